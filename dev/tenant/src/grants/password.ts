import { mfaRequired } from '../mfa/mfa-token.js';
import { invalidGrant } from '../oauth-error-response.js';
import { grantableScopes, parseScope } from '../scopes.js';
import { secretsEqual } from '../secret-compare.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type GrantHandler, knownApi, requiredParam } from './grant.js';
import { startRefreshFamily } from './refresh-family.js';

/** Auth0's grant type for the password grant with an explicit connection (`realm`). */
export const PASSWORD_REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';

/**
 * `password` and `password-realm` (resource owner password). `realm` names the connection; the
 * dev tenant has one user database, so any realm is accepted. `auth0-forwarded-for` (the end
 * user's IP, for brute-force protection) is accepted and ignored. A user with `mfa: 'required'`
 * gets 403 `mfa_required` with an `mfa_token` instead of tokens (see ../mfa/).
 */
export const passwordGrant: GrantHandler = async (context) => {
  const { runtime, client, params, proof } = context;
  const username = requiredParam(params, 'username');
  const password = requiredParam(params, 'password');
  if (params.get('grant_type') === PASSWORD_REALM_GRANT) requiredParam(params, 'realm');
  const user = runtime.directory.userByEmail(username);
  // Auth0 answers wrong credentials with 403 invalid_grant.
  if (!user || !secretsEqual(password, user.password)) {
    throw invalidGrant('Wrong email or password.', 403);
  }
  const audience = params.get('audience');
  const api = audience === undefined ? undefined : knownApi(runtime, audience);
  const scope = grantableScopes(parseScope(params.get('scope') ?? 'openid'), api);
  const authTime = runtime.clock.now();
  if (user.mfa === 'required') {
    throw mfaRequired(runtime, { client, user, scope, audience, authTime, gty: 'password' });
  }
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope,
    authTime,
    ...(audience === undefined ? {} : { audience }),
  });
  const grant: TokenGrant = { client, user, scope, authTime, gty: 'password' };
  if (audience !== undefined) grant.audience = audience;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  return (await issueTokens(runtime, grant, family?.token)).body;
};
