import type { ClientContext } from '../context.js';
import { PasskeyGetTokenError } from '../errors.js';
import { toPasskeyError } from '../passkey/passkey-error.js';
import type { GetTokenByPasskeyOptions } from '../passkey/types.js';
import { requestToken } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** Auth0's grant type for passkey signup and login. */
export const WEBAUTHN_GRANT_TYPE = 'urn:okta:params:oauth:grant-type:webauthn';

/**
 * The `urn:okta:params:oauth:grant-type:webauthn` grant: redeems the `authSession` of a passkey
 * signup or login with the browser's credential, as a JSON body (`authn_response` nested, as
 * Auth0 expects), with client authentication and — when the context has a key — a DPoP proof.
 * Returns the tokens with a verified ID token (checked against `organization` when given).
 * Server refusals are {@link PasskeyError}s; `mfa_required` stays a {@link MfaRequiredError}.
 *
 * @example
 * ```ts
 * import { type PasskeyCredentialResponse, webauthnGrant } from 'auth0-enclave/core';
 *
 * declare const authSession: string; // from passkeyRegister or passkeyChallenge
 * declare const credential: PasskeyCredentialResponse; // the browser's credential.toJSON()
 * const tokens = await webauthnGrant(context, { authSession, credential });
 * ```
 */
export async function webauthnGrant(
  context: ClientContext,
  options: GetTokenByPasskeyOptions,
): Promise<TokenResponse> {
  try {
    const raw = await requestToken(context, {
      params: {
        grant_type: WEBAUTHN_GRANT_TYPE,
        auth_session: options.authSession,
        realm: options.realm,
        scope: options.scope,
        audience: options.audience,
        organization: options.organization,
      },
      json: { authn_response: options.credential },
      signal: options.signal,
      what: 'Passkey token',
    });
    return await toTokenResponse(context, raw, { organization: options.organization });
  } catch (error) {
    throw toPasskeyError(error, PasskeyGetTokenError);
  }
}
