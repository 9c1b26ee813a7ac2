import type { IdTokenClaims, User } from '../src/rpc/protocol.js';

/** Claims that describe the token, not the user; left out of `getUser()` (as auth0-spa-js does). */
const PROTOCOL_CLAIMS = new Set([
  'iss',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'azp',
  'nonce',
  'auth_time',
  'at_hash',
  'c_hash',
  'acr',
  'amr',
  'sub_jwk',
  'cnf',
  'sid',
  'org_id',
  'org_name',
  'events',
]);

/** The user's profile: the ID token's claims without the protocol ones. */
export function toUser(claims: IdTokenClaims): User {
  const user: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims))
    if (!PROTOCOL_CLAIMS.has(name)) user[name] = value;
  return user as User;
}
