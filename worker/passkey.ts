import { assertObject, assertOptionalString, assertString } from '../src/core/assert.js';
import { NotAllowedError } from '../src/core/errors.js';
import { webauthnGrant } from '../src/core/grants/webauthn.js';
import { passkeyChallenge, passkeyRegister } from '../src/core/passkey/ceremony-start.js';
import type {
  PasskeyCredentialResponse,
  PasskeySignupChallengeOptions,
} from '../src/core/passkey/types.js';
import type {
  PasskeyCeremony,
  PasskeyCredentialJSON,
  PasskeyOptionsJSON,
  PasskeyStartOptions,
  PasskeyTokenParams,
  TokenSummary,
} from '../src/rpc/protocol.js';
import type { WorkerDeps } from './deps.js';
import { checkPageAuthorizationParams, newSessionGrant } from './policy.js';

/** The profile fields of a signup (auth0-spa-js `PasskeySignupChallengeOptions`). */
const PROFILE = [
  'email',
  'phoneNumber',
  'username',
  'name',
  'givenName',
  'familyName',
  'nickname',
  'picture',
] as const;

/** A credential's JSON is a few hundred bytes to a few KB; this bounds what a page can send. */
const MAX_CREDENTIAL_BYTES = 64 * 1024;

/**
 * Starts a passkey signup (`/passkey/register`) or login (`/passkey/challenge`). The
 * `auth_session` stays in the worker under a new ceremony id; the page gets the id and the
 * WebAuthn options as JSON, for `PublicKeyCredential.parseCreationOptionsFromJSON` (or
 * `parseRequestOptionsFromJSON`). `audience` and `scope` are limited like a login's.
 */
export async function passkeyStart(
  deps: WorkerDeps,
  options: PasskeyStartOptions,
): Promise<PasskeyCeremony> {
  assertObject(options, 'options');
  const mode = options.mode;
  if (mode !== 'signup' && mode !== 'login') {
    throw new TypeError('"options.mode" must be "signup" or "login"');
  }
  for (const name of [...PROFILE, 'realm', 'organization', 'audience', 'scope'] as const) {
    assertOptionalString(options[name], `options.${name}`);
  }
  const grant = newSessionGrant(deps.config, options);
  const where = { realm: options.realm, organization: options.organization };
  let started: { authSession: string; authnParamsPublicKey: object };
  if (mode === 'signup') {
    if (!options.email && !options.phoneNumber && !options.username) {
      throw new TypeError(
        'one of "options.email", "options.phoneNumber", "options.username" is required',
      );
    }
    const metadata: unknown = options.userMetadata;
    if (metadata !== undefined) {
      assertObject(metadata, 'options.userMetadata');
      for (const [key, value] of Object.entries(metadata)) {
        if (typeof value !== 'string')
          throw new TypeError(`"options.userMetadata.${key}" must be a string`);
      }
    }
    const profile: Record<string, unknown> = { ...where, userMetadata: metadata };
    for (const name of PROFILE) profile[name] = options[name];
    started = await passkeyRegister(
      deps.session.context(),
      profile as unknown as PasskeySignupChallengeOptions,
    );
  } else {
    started = await passkeyChallenge(deps.session.context(), where);
  }
  const ceremonyId = deps.ceremonies.hold({
    mode,
    authSession: started.authSession,
    ...grant,
    realm: options.realm,
    organization: options.organization,
  });
  return { ceremonyId, publicKey: started.authnParamsPublicKey as PasskeyOptionsJSON };
}

/**
 * Finishes a ceremony with the browser's credential (`credential.toJSON()`): the webauthn grant,
 * DPoP-bound when the worker uses DPoP, whose tokens establish the session exactly like a login
 * (ID token verified, refresh token kept, every tab told). A ceremony is used once, whatever the
 * outcome — the server spends its `auth_session` on the first attempt too.
 */
export async function passkeyFinish(
  deps: WorkerDeps,
  options: { ceremonyId: string; credential: PasskeyCredentialJSON } & PasskeyTokenParams,
): Promise<TokenSummary> {
  assertObject(options, 'options');
  assertString(options.ceremonyId, 'options.ceremonyId');
  // auth0-spa-js takes these at getTokenWithPasskey; given here, they replace the start's.
  for (const name of ['audience', 'scope', 'realm', 'organization'] as const)
    assertOptionalString(options[name], `options.${name}`);
  checkPageAuthorizationParams(deps.config, { audience: options.audience, scope: options.scope });
  const credential = options.credential;
  assertObject(credential, 'options.credential');
  assertString(credential.id, 'options.credential.id');
  assertString(credential.rawId, 'options.credential.rawId');
  assertString(credential.type, 'options.credential.type');
  assertObject(credential.response, 'options.credential.response');
  assertString(credential.response.clientDataJSON, 'options.credential.response.clientDataJSON');
  let json: string;
  try {
    json = JSON.stringify(credential);
  } catch {
    throw new TypeError('"options.credential" must be JSON (credential.toJSON())');
  }
  if (json.length > MAX_CREDENTIAL_BYTES) {
    throw new TypeError('"options.credential" is too large for a WebAuthn credential');
  }
  const held = deps.ceremonies.take(options.ceremonyId);
  // auth0-spa-js names the token at getTokenWithPasskey: given here, the audience and scope
  // replace the start's (checked above, as for any new session), and realm and organization too.
  const ceremony = {
    ...held,
    ...(options.audience === undefined && options.scope === undefined
      ? {}
      : newSessionGrant(deps.config, {
          audience: options.audience ?? held.audience,
          scope: options.scope,
        })),
    ...(options.realm === undefined ? {} : { realm: options.realm }),
    ...(options.organization === undefined ? {} : { organization: options.organization }),
  };
  // A new session: a key generated now, never one found in storage (key-binding.ts).
  const key = await deps.session.newSessionKey();
  const tokens = await webauthnGrant(deps.session.contextFor(key?.handle), {
    authSession: ceremony.authSession,
    credential: JSON.parse(json) as PasskeyCredentialResponse,
    audience: ceremony.audience,
    scope: ceremony.scope,
    realm: ceremony.realm,
    organization: ceremony.organization,
  });
  if (!tokens.claims) {
    throw new NotAllowedError({
      message: 'The passkey grant returned no ID token, so it cannot establish a session.',
    });
  }
  await deps.session.establish({ audience: ceremony.audience, scope: ceremony.scope }, tokens, key);
  const summary: TokenSummary = {
    token_type: tokens.tokenType,
    expires_in: Math.max(0, tokens.expiresAt - Math.floor(deps.now() / 1000)),
    scope: tokens.scope,
  };
  if (deps.config.exposeAccessTokens) summary.access_token = tokens.accessToken;
  return summary;
}
