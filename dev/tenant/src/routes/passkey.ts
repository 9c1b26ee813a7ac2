import type { Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { ResolvedClient } from '../config.js';
import { isRecord } from '../config-validation.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { WEBAUTHN_GRANT } from '../grants/webauthn.js';
import { invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { startLogin, startRegistration } from '../passkey/ceremony.js';
import type { PasskeyProfile } from '../passkey/state.js';
import { bodyParams, type RequestParams } from '../request-params.js';

const PROFILE_FIELDS = ['name', 'nickname', 'picture', 'given_name', 'family_name'] as const;

/** `user_profile` of a signup. The tenant's users are found by email, so it is required here. */
function parseProfile(value: unknown): PasskeyProfile {
  if (!isRecord(value)) throw invalidRequest('"user_profile" must be an object');
  const { email } = value;
  if (typeof email !== 'string' || !email.includes('@')) {
    throw invalidRequest(
      '"user_profile.email" must be an email address (the local tenant needs one)',
    );
  }
  const profile: PasskeyProfile = { email };
  for (const field of PROFILE_FIELDS) {
    const item = value[field];
    if (item === undefined) continue;
    if (typeof item !== 'string' || item === '') {
      throw invalidRequest(`"user_profile.${field}" must be a non-empty string`);
    }
    profile[field] = item;
  }
  return profile;
}

/** Client authentication, and the checks that a client can do passkeys at all. */
async function passkeyClient(
  runtime: TenantRuntime,
  params: RequestParams,
  path: string,
): Promise<ResolvedClient> {
  params.assertNoRepeats();
  const client = await authenticateClient(runtime, params, path);
  if (!client.grantTypes.includes(WEBAUTHN_GRANT)) {
    throw new OAuthErrorResponse(
      'unauthorized_client',
      `Grant type '${WEBAUTHN_GRANT}' not allowed for the client.`,
      {
        status: 403,
      },
    );
  }
  // The browser puts its origin into clientDataJSON; without an allowed one nothing can verify.
  if (client.allowedOrigins.length === 0) {
    throw invalidRequest('the client has no allowedOrigins: passkeys are bound to an origin');
  }
  const organization = params.get('organization');
  if (organization !== undefined && !runtime.directory.organization(organization)) {
    throw invalidRequest(`unknown organization "${organization}"`);
  }
  return client;
}

/**
 * The passkey API of WIRE.md (JSON): `POST /passkey/register` starts a signup ceremony for a new
 * user, `POST /passkey/challenge` a login with a discoverable credential. Both answer an
 * `auth_session` for the `urn:okta:params:oauth:grant-type:webauthn` grant.
 */
export function registerPasskeyRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  const { passkeys } = runtime.store;

  app.post(
    '/passkey/register',
    oauthRoute(async (c) => {
      const params = await bodyParams(c);
      const client = await passkeyClient(runtime, params, '/passkey/register');
      c.var.log.clientId = client.clientId;
      const profile = parseProfile(params.json('user_profile'));
      // Signing up with someone else's email must not attach a passkey to their account.
      if (runtime.directory.userByEmail(profile.email)) {
        throw new OAuthErrorResponse('user_exists', 'The user already exists.');
      }
      const now = runtime.clock.now();
      passkeys.prune(now);
      const { session, options } = await startRegistration(runtime.settings, {
        clientId: client.clientId,
        profile,
        now,
      });
      const organization = params.get('organization');
      if (organization !== undefined) session.organization = organization;
      passkeys.sessions.set(session.id, session);
      return c.json({ auth_session: session.id, authn_params_public_key: options }, 200, NO_STORE);
    }),
  );

  app.post(
    '/passkey/challenge',
    oauthRoute(async (c) => {
      const params = await bodyParams(c);
      const client = await passkeyClient(runtime, params, '/passkey/challenge');
      c.var.log.clientId = client.clientId;
      const now = runtime.clock.now();
      passkeys.prune(now);
      const { session, options } = await startLogin(runtime.settings, {
        clientId: client.clientId,
        now,
      });
      const organization = params.get('organization');
      if (organization !== undefined) session.organization = organization;
      passkeys.sessions.set(session.id, session);
      return c.json({ auth_session: session.id, authn_params_public_key: options }, 200, NO_STORE);
    }),
  );
}
