import type { OrganizationConfig, UserConfig } from '../config.js';
import { parseUser } from '../config-validation.js';
import { invalidGrant, invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import {
  type CeremonyExpectations,
  PasskeyVerificationError,
  verifyLogin,
  verifyRegistration,
} from '../passkey/ceremony.js';
import type { PasskeySession } from '../passkey/state.js';
import { randomToken } from '../random-token.js';
import { grantableScopes, parseScope } from '../scopes.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type GrantContext, type GrantHandler, knownApi, requiredParam } from './grant.js';
import { startRefreshFamily } from './refresh-family.js';

/** Auth0's grant type for passkey signup and login. */
export const WEBAUTHN_GRANT = 'urn:okta:params:oauth:grant-type:webauthn';

/** `authn_response`: a nested JSON object (a JSON string of one is accepted too). */
function authnResponse(context: GrantContext): Record<string, unknown> {
  let value = context.params.json('authn_response');
  const text = context.params.get('authn_response');
  if (value === undefined && text !== undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      throw invalidRequest('"authn_response" is not valid JSON');
    }
  }
  if (value === undefined) throw invalidRequest('"authn_response" is missing');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest('"authn_response" must be an object');
  }
  return value as Record<string, unknown>;
}

function refused(error: unknown): never {
  if (error instanceof PasskeyVerificationError) {
    throw invalidGrant(`The passkey response was refused: ${error.message}`, 403);
  }
  throw error;
}

/** Signup: verifies the attestation, then creates the user and stores the passkey. */
async function register(
  context: GrantContext,
  session: PasskeySession,
  response: Record<string, unknown>,
  expected: CeremonyExpectations,
  organization: OrganizationConfig | undefined,
): Promise<UserConfig> {
  const { directory, store } = context.runtime;
  const profile = session.profile;
  if (!profile || session.webauthnUserId === undefined) throw invalidGrant('Invalid auth_session');
  const credential = await verifyRegistration(response, expected).catch(refused);
  if (organization?.members !== undefined) {
    throw new OAuthErrorResponse(
      'access_denied',
      `organization ${organization.name} has a member list: sign up outside it first`,
      { status: 403 },
    );
  }
  if (store.passkeys.credentials.has(credential.id)) {
    throw invalidGrant('This passkey is already registered.', 403);
  }
  // Checked again: someone may have signed up with this email since /passkey/register.
  if (directory.userByEmail(profile.email))
    throw new OAuthErrorResponse('user_exists', 'The user already exists.');
  // A random password nobody knows: this user logs in with the passkey.
  const user = parseUser({
    user_id: `auth0|${randomToken(12)}`,
    password: randomToken(),
    email_verified: false,
    ...profile,
  });
  directory.upsertUser(user);
  store.passkeys.credentials.set(credential.id, {
    ...credential,
    userId: user.user_id,
    webauthnUserId: session.webauthnUserId,
  });
  return user;
}

/** Login: finds the passkey, checks its user handle, verifies the assertion and its counter. */
async function login(
  context: GrantContext,
  response: Record<string, unknown>,
  expected: CeremonyExpectations,
): Promise<UserConfig> {
  const { directory, store } = context.runtime;
  if (typeof response.id !== 'string') throw invalidRequest('"authn_response.id" is missing');
  const passkey = store.passkeys.credentials.get(response.id);
  if (!passkey) throw invalidGrant('Unknown passkey.', 403);
  const inner = response.response;
  const userHandle =
    typeof inner === 'object' && inner !== null
      ? (inner as Record<string, unknown>).userHandle
      : undefined;
  if (userHandle !== undefined && userHandle !== passkey.webauthnUserId) {
    throw invalidGrant('The passkey belongs to another user handle.', 403);
  }
  passkey.counter = await verifyLogin(response, expected, passkey).catch(refused);
  const user = directory.user(passkey.userId);
  if (!user) throw invalidGrant('The user of this passkey no longer exists.', 403);
  return user;
}

/**
 * `urn:okta:params:oauth:grant-type:webauthn` (JSON body): redeems an `auth_session` from
 * `/passkey/register` or `/passkey/challenge` with the browser's WebAuthn response. The session
 * is single-use (the first attempt spends it, like a code), the origin must be one of the
 * client's `allowedOrigins` and the RP ID the tenant's `passkeyRpId`.
 */
export const webauthnGrant: GrantHandler = async (context) => {
  const { runtime, client, params, proof } = context;
  const sessionId = requiredParam(params, 'auth_session');
  const response = authnResponse(context);
  const session = runtime.store.passkeys.sessions.get(sessionId);
  if (!session || session.clientId !== client.clientId) throw invalidGrant('Invalid auth_session');
  runtime.store.passkeys.sessions.delete(sessionId);
  const now = runtime.clock.now();
  if (session.expiresAt <= now) throw invalidGrant('auth_session has expired');

  const audience = params.get('audience');
  const api = audience === undefined ? undefined : knownApi(runtime, audience);
  const organizationParam = params.get('organization') ?? session.organization;
  const organization =
    organizationParam === undefined ? undefined : runtime.directory.organization(organizationParam);
  if (organizationParam !== undefined && !organization) {
    throw invalidRequest(`unknown organization "${organizationParam}"`);
  }

  const expected = {
    challenge: session.challenge,
    origins: client.allowedOrigins,
    rpId: runtime.settings.passkeyRpId,
  };
  const user =
    session.kind === 'register'
      ? await register(context, session, response, expected, organization)
      : await login(context, response, expected);
  if (organization && !runtime.directory.isMember(organization, user.user_id)) {
    throw new OAuthErrorResponse(
      'access_denied',
      `user is not a member of organization ${organization.name}`,
      {
        status: 403,
      },
    );
  }

  const scope = grantableScopes(parseScope(params.get('scope') ?? 'openid'), api);
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope,
    authTime: now,
    ...(audience === undefined ? {} : { audience }),
    ...(organization ? { organizationId: organization.id } : {}),
  });
  const grant: TokenGrant = { client, user, scope, authTime: now };
  if (audience !== undefined) grant.audience = audience;
  if (organization) grant.organizationId = organization.id;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  return (await issueTokens(runtime, grant, family?.token)).body;
};
