import type { ClientContext } from '../context.js';
import {
  PasskeyChallengeError,
  type PasskeyError,
  PasskeyRegisterError,
  ResponseError,
} from '../errors.js';
import { parseJsonObject } from '../http.js';
import { sendJsonRequest } from '../json-request.js';
import { toPasskeyError } from './passkey-error.js';
import type {
  PasskeyCreationOptions,
  PasskeyLoginChallengeOptions,
  PasskeyLoginChallengeResponse,
  PasskeyRequestOptions,
  PasskeySignupChallengeOptions,
  PasskeySignupChallengeResponse,
} from './types.js';

/** POSTs to a passkey endpoint with client authentication; returns `{ auth_session, … }`. */
async function startCeremony(
  context: ClientContext,
  path: string,
  body: Record<string, unknown>,
  signal: AbortSignal | undefined,
  what: string,
  Class: typeof PasskeyError,
): Promise<{ authSession: string; publicKey: Record<string, unknown> }> {
  try {
    const server = await context.metadata();
    const auth = await context.authenticate({ clientId: context.clientId, issuer: server.issuer });
    const response = await sendJsonRequest(context, {
      method: 'POST',
      url: path,
      body: { ...body, ...auth },
      signal,
      what,
    });
    const raw = parseJsonObject(response, what);
    const publicKey = raw.authn_params_public_key;
    if (
      typeof raw.auth_session !== 'string' ||
      typeof publicKey !== 'object' ||
      publicKey === null ||
      typeof (publicKey as Record<string, unknown>).challenge !== 'string'
    ) {
      throw new ResponseError({
        message: `${what}: "auth_session" or "authn_params_public_key" is missing.`,
      });
    }
    return { authSession: raw.auth_session, publicKey: publicKey as Record<string, unknown> };
  } catch (error) {
    throw toPasskeyError(error, Class);
  }
}

const PROFILE: ReadonlyArray<readonly [keyof PasskeySignupChallengeOptions, string]> = [
  ['email', 'email'],
  ['phoneNumber', 'phone_number'],
  ['username', 'username'],
  ['name', 'name'],
  ['givenName', 'given_name'],
  ['familyName', 'family_name'],
  ['nickname', 'nickname'],
  ['picture', 'picture'],
];

/**
 * `POST /passkey/register`: starts a passkey signup for a new user. Hand `authnParamsPublicKey`
 * to `navigator.credentials.create()` (after decoding its base64url fields), then redeem the
 * result with `authSession` at the webauthn grant ({@link webauthnGrant}).
 *
 * @example
 * ```ts
 * import { passkeyRegister } from 'auth0-enclave/core';
 *
 * const { authSession, authnParamsPublicKey } = await passkeyRegister(context, {
 *   email: 'user@example.com',
 *   name: 'Jane Doe',
 * });
 * ```
 */
export async function passkeyRegister(
  context: ClientContext,
  options: PasskeySignupChallengeOptions,
): Promise<PasskeySignupChallengeResponse> {
  const userProfile: Record<string, string> = {};
  for (const [option, field] of PROFILE) {
    const value = options[option];
    if (typeof value === 'string' && value !== '') userProfile[field] = value;
  }
  const body: Record<string, unknown> = { client_id: context.clientId, user_profile: userProfile };
  if (options.realm) body.realm = options.realm;
  if (options.organization) body.organization = options.organization;
  if (options.userMetadata) body.user_metadata = options.userMetadata;
  const { authSession, publicKey } = await startCeremony(
    context,
    'passkey/register',
    body,
    options.signal,
    'Passkey signup challenge',
    PasskeyRegisterError,
  );
  return {
    authSession,
    authnParamsPublicKey: publicKey as unknown as PasskeyCreationOptions,
  };
}

/**
 * `POST /passkey/challenge`: starts a passkey login (a discoverable credential: the user picks
 * it). Hand `authnParamsPublicKey` to `navigator.credentials.get()`, then redeem the result with
 * `authSession` at the webauthn grant ({@link webauthnGrant}).
 *
 * @example
 * ```ts
 * import { passkeyChallenge } from 'auth0-enclave/core';
 *
 * const { authSession, authnParamsPublicKey } = await passkeyChallenge(context, {});
 * ```
 */
export async function passkeyChallenge(
  context: ClientContext,
  options: PasskeyLoginChallengeOptions = {},
): Promise<PasskeyLoginChallengeResponse> {
  const body: Record<string, unknown> = { client_id: context.clientId };
  if (options.realm) body.realm = options.realm;
  if (options.organization) body.organization = options.organization;
  const { authSession, publicKey } = await startCeremony(
    context,
    'passkey/challenge',
    body,
    options.signal,
    'Passkey login challenge',
    PasskeyChallengeError,
  );
  return {
    authSession,
    authnParamsPublicKey: publicKey as unknown as PasskeyRequestOptions,
  };
}
