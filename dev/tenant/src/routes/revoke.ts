import type { Hono } from 'hono';
import { compactVerify, decodeJwt } from 'jose';
import { authenticateClient } from '../client-auth.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { requiredParam } from '../grants/grant.js';
import { OAuthErrorResponse } from '../oauth-error-response.js';
import { bodyParams } from '../request-params.js';

/** The jti of an access token this tenant signed (expired or not), or undefined. */
async function ownAccessTokenJti(
  runtime: TenantRuntime,
  token: string,
): Promise<string | undefined> {
  try {
    await compactVerify(token, (await runtime.signingKey).publicKey);
    const { jti } = decodeJwt(token);
    return typeof jti === 'string' ? jti : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `POST /oauth/revoke` (RFC 7009). A refresh token takes its whole family with it; an access
 * token stops working at /userinfo. Unknown tokens, and tokens of other clients, get the same
 * 200 as revoked ones, so the endpoint reveals nothing about them.
 */
export function registerRevokeRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post('/oauth/revoke', async (c) => {
    try {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await authenticateClient(
        runtime,
        params,
        '/oauth/revoke',
        c.req.header('authorization'),
      );
      c.var.log.clientId = client.clientId;
      const token = requiredParam(params, 'token');
      const { store } = runtime;
      const refresh = store.refreshTokens.get(token);
      const family = refresh && store.families.get(refresh.familyId);
      if (family) {
        if (family.clientId === client.clientId) store.revokeFamily(family.id);
      } else {
        const jti = await ownAccessTokenJti(runtime, token);
        const record = jti === undefined ? undefined : store.accessTokens.get(jti);
        if (record && record.clientId === client.clientId) record.revoked = true;
      }
      return c.body(null, 200, { 'Cache-Control': 'no-store' });
    } catch (error) {
      if (!(error instanceof OAuthErrorResponse)) throw error;
      return c.json(error.toJSON(), error.status, {
        'Cache-Control': 'no-store',
        ...error.headers,
      });
    }
  });
}
