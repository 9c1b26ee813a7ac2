import { type JWTPayload, jwtVerify } from 'jose';
import type { TenantRuntime } from './context.js';
import type { AccessTokenRecord } from './store.js';

/** An access token this tenant issued that is still good: its claims and what the tenant knows. */
export interface OwnAccessToken {
  claims: JWTPayload;
  record: AccessTokenRecord;
}

/**
 * Verifies an access token as one this tenant signed (RS256, issuer, `exp` on the tenant clock,
 * and `audience` when given) and has not revoked. Throws an Error saying why not.
 */
export async function verifyOwnAccessToken(
  runtime: TenantRuntime,
  token: string,
  options: { audience?: string } = {},
): Promise<OwnAccessToken> {
  const key = await runtime.signingKey;
  const { payload } = await jwtVerify(token, key.publicKey, {
    issuer: runtime.issuer(),
    algorithms: ['RS256'],
    typ: 'at+jwt',
    currentDate: new Date(runtime.clock.now() * 1000),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  });
  const record =
    typeof payload.jti === 'string' ? runtime.store.accessTokens.get(payload.jti) : undefined;
  if (!record) throw new Error('the token is unknown');
  if (record.revoked) throw new Error('the token has been revoked');
  return { claims: payload, record };
}
