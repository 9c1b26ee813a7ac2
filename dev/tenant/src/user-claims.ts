import type { UserConfig } from './config.js';

// Claims a user record must never be able to set: they are the token's own, or secrets.
const NOT_CLAIMS = new Set([
  'iss',
  'sub',
  'aud',
  'exp',
  'nbf',
  'iat',
  'jti',
  'azp',
  'nonce',
  'auth_time',
  'sid',
  'cnf',
  'scope',
  'org_id',
  'org_name',
  'at_hash',
  'c_hash',
  'acr',
  'amr',
  'gty',
  'password',
  'user_id',
  // The user's MFA policy (UserConfig.mfa) is tenant configuration, not a claim.
  'mfa',
]);
const PROFILE = new Set(['name', 'nickname', 'picture', 'updated_at']);
const EMAIL = new Set(['email', 'email_verified']);

/**
 * The OIDC claims about `user` that `scope` releases, for ID tokens and /userinfo:
 * `profile` → name, nickname, picture, updated_at; `email` → email, email_verified. Like
 * Auth0, name and nickname default to the email and its local part. Any other member of the
 * user record is a custom claim and is always released.
 */
export function userClaims(
  user: UserConfig,
  scope: readonly string[],
  defaultUpdatedAt: string,
): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scope.includes('profile')) {
    claims.name = user.name ?? user.email;
    claims.nickname = user.nickname ?? user.email.split('@')[0];
    if (user.picture !== undefined) claims.picture = user.picture;
    claims.updated_at = typeof user.updated_at === 'string' ? user.updated_at : defaultUpdatedAt;
  }
  if (scope.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.email_verified ?? false;
  }
  for (const [name, value] of Object.entries(user)) {
    if (NOT_CLAIMS.has(name) || PROFILE.has(name) || EMAIL.has(name)) continue;
    claims[name] = value;
  }
  return claims;
}
