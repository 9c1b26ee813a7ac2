import type { JWTVerifyGetKey } from 'jose';
import { LogoutTokenValidationError } from './errors.js';
import { verifySignedJwt } from './jwt-verification.js';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Who a back-channel logout token logs out: a session (`sid`), a user (`sub`), or both. */
export interface LogoutTokenClaims {
  /** The session to end: the ID token's `sid` of that login. */
  sid?: string;
  /** The user whose sessions to end. */
  sub?: string;
}

/**
 * Verifies an OpenID Connect back-channel logout token (OIDC Back-Channel Logout §2.4, §2.6):
 * signature and algorithm, `iss`, `aud`, `iat`, `exp` (required by the final spec), `jti`, the back-channel `events` member, `sid`
 * and/or `sub`, and no `nonce` (a nonce means an ID token is being passed off as a logout token).
 */
export async function verifyLogoutToken(
  token: string,
  expect: {
    issuer: string;
    clientId: string;
    jwks: JWTVerifyGetKey;
    algorithms: string[];
    leeway: number;
  },
): Promise<LogoutTokenClaims> {
  const payload: Record<string, unknown> = await verifySignedJwt(
    token,
    expect.jwks,
    {
      issuer: expect.issuer,
      audience: expect.clientId,
      algorithms: expect.algorithms,
      clockTolerance: expect.leeway,
      requiredClaims: ['iat', 'exp', 'jti'],
    },
    (reason, cause) =>
      new LogoutTokenValidationError({ message: `Logout token rejected: ${reason}.`, cause }),
  );
  const fail = (reason: string): never => {
    throw new LogoutTokenValidationError({ message: `Logout token rejected: ${reason}.` });
  };
  if ('nonce' in payload) fail('it must not carry a "nonce"');
  const events = payload.events;
  if (typeof events !== 'object' || events === null || Array.isArray(events))
    fail('"events" is missing');
  const event = (events as Record<string, unknown>)[BACKCHANNEL_EVENT];
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    fail('"events" lacks the back-channel logout event');
  }
  const { sid, sub } = payload;
  if (sid !== undefined && typeof sid !== 'string') fail('"sid" is not a string');
  if (sub !== undefined && typeof sub !== 'string') fail('"sub" is not a string');
  if (sid === undefined && sub === undefined) fail('it names neither "sid" nor "sub"');
  const claims: LogoutTokenClaims = {};
  if (typeof sid === 'string') claims.sid = sid;
  if (typeof sub === 'string') claims.sub = sub;
  return claims;
}
