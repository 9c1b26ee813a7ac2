import type { Context, Hono } from 'hono';
import { jwtVerify } from 'jose';
import { endpoint, type TenantEnv, type TenantRuntime } from '../context.js';
import { summarizeDpopProof } from '../dpop-proof-summary.js';
import { authenticateResourceRequest, ResourceAccessError } from '../resource-access.js';
import { userClaims } from '../user-claims.js';

/** `GET|POST /userinfo`: the OIDC claims of the token's user, for Bearer and DPoP tokens. */
export function registerUserinfoRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  const handler = async (c: Context<TenantEnv>) => {
    const url = endpoint(runtime, '/userinfo');
    Object.assign(c.var.log, await summarizeDpopProof(c.req.header('dpop')));
    try {
      const access = await authenticateResourceRequest(
        { method: c.req.method, url, headers: c.req.raw.headers },
        {
          dpop: 'allowed',
          dpopVerifier: runtime.dpop,
          realm: runtime.issuer(),
          verifyAccessToken: async (token) => {
            const key = await runtime.signingKey;
            const { payload } = await jwtVerify(token, key.publicKey, {
              issuer: runtime.issuer(),
              audience: url,
              algorithms: ['RS256'],
              currentDate: new Date(runtime.clock.now() * 1000),
            });
            const record =
              typeof payload.jti === 'string'
                ? runtime.store.accessTokens.get(payload.jti)
                : undefined;
            if (!record || record.revoked) throw new Error('the token has been revoked');
            return payload;
          },
        },
      );
      const sub = String(access.claims.sub);
      const user = runtime.directory.user(sub);
      if (!user) {
        return c.json({ error: 'invalid_token', error_description: 'Unknown user' }, 401, {
          'WWW-Authenticate': `${access.scheme} error="invalid_token"`,
        });
      }
      const claims: Record<string, unknown> = {
        sub,
        ...userClaims(user, [...access.scopes], runtime.startedAt),
      };
      if (typeof access.claims.org_id === 'string') claims.org_id = access.claims.org_id;
      return c.json(claims, 200, { 'Cache-Control': 'no-store' });
    } catch (error) {
      if (!(error instanceof ResourceAccessError)) throw error;
      return c.json(error.toJSON(), error.status, error.headers);
    }
  };
  app.get('/userinfo', handler);
  app.post('/userinfo', handler);
}
