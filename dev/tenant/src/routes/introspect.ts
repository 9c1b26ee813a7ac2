import type { Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { ResolvedClient } from '../config.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { requiredParam } from '../grants/grant.js';
import { invalidClient, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE } from '../oauth-route.js';
import { verifyOwnAccessToken } from '../own-access-token.js';
import { bodyParams } from '../request-params.js';

/** An RFC 7662 §2.2 introspection response. */
type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

/** A refresh token of `client` that can still be redeemed, described per RFC 7662 §2.2. */
function describeRefreshToken(
  runtime: TenantRuntime,
  client: ResolvedClient,
  token: string,
): Introspection | undefined {
  const record = runtime.store.refreshTokens.get(token);
  if (!record) return undefined;
  const family = runtime.store.families.get(record.familyId);
  if (
    !family ||
    family.clientId !== client.clientId ||
    family.revoked ||
    record.status !== 'active' ||
    family.expiresAt <= runtime.clock.now()
  ) {
    return INACTIVE;
  }
  return {
    active: true,
    client_id: family.clientId,
    sub: family.userId,
    scope: family.scope.join(' '),
    exp: family.expiresAt,
    iss: runtime.issuer(),
    ...(family.audience === undefined ? {} : { aud: family.audience }),
    ...(family.jkt === undefined ? {} : { cnf: { jkt: family.jkt } }),
  };
}

/** An access token this tenant issued to `client` and that is still good. */
async function describeAccessToken(
  runtime: TenantRuntime,
  client: ResolvedClient,
  token: string,
): Promise<Introspection> {
  let claims: Awaited<ReturnType<typeof verifyOwnAccessToken>>['claims'];
  try {
    ({ claims } = await verifyOwnAccessToken(runtime, token));
  } catch {
    return INACTIVE;
  }
  if (claims.client_id !== client.clientId) return INACTIVE;
  const cnf = claims.cnf as { jkt?: unknown } | undefined;
  const bound = typeof cnf?.jkt === 'string';
  return {
    ...claims,
    active: true,
    // RFC 9449 §6.2: a DPoP-bound token introspects as token_type DPoP with its cnf.jkt.
    token_type: bound ? 'DPoP' : 'Bearer',
  };
}

/**
 * `POST /oauth/introspect` (RFC 7662) for confidential clients. A client learns about its own
 * access and refresh tokens only: a token of another client, an unknown, expired or revoked
 * token, all answer `{ "active": false }` alike, so the endpoint reveals nothing about them.
 * `token_type_hint` is accepted and not needed (both kinds are looked up).
 */
export function registerIntrospectRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post('/oauth/introspect', async (c) => {
    try {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await authenticateClient(
        runtime,
        params,
        '/oauth/introspect',
        c.req.header('authorization'),
      );
      c.var.log.clientId = client.clientId;
      if (client.tokenEndpointAuthMethod === 'none') {
        // RFC 7662 §2.1: the endpoint requires client authentication; a public client has none.
        throw invalidClient('introspection is for confidential clients only');
      }
      const token = requiredParam(params, 'token');
      const body =
        describeRefreshToken(runtime, client, token) ??
        (await describeAccessToken(runtime, client, token));
      return c.json(body, 200, NO_STORE);
    } catch (error) {
      if (!(error instanceof OAuthErrorResponse)) throw error;
      return c.json(error.toJSON(), error.status, { ...NO_STORE, ...error.headers });
    }
  });
}
