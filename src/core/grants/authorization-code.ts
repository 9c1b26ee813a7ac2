import { readAuthorizationResponse, validateAuthorizationResponse } from '../callback.js';
import type { ClientContext } from '../context.js';
import { requestToken, resourceParams } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** What the code exchange checks the callback and the ID token against. */
export interface AuthorizationCodeOptions {
  /** The URL the browser came back to (query or fragment response). */
  callbackUrl: string | URL;
  /** The verifier from `buildAuthorizationUrl`. */
  codeVerifier: string;
  /** The `state` from `buildAuthorizationUrl`. */
  state: string;
  /** The `nonce` from `buildAuthorizationUrl`. */
  nonce?: string | undefined;
  /** The `redirect_uri` used on /authorize (must be identical). */
  redirectUri: string;
  /** The `max_age` sent on /authorize; the ID token's `auth_time` must then be recent enough. */
  maxAge?: number | undefined;
  /** The organization sent on /authorize; the ID token's `org_id`/`org_name` must match it. */
  organization?: string | undefined;
  /** Carried into an `AuthenticationError` when the callback holds an error. */
  appState?: unknown;
  /** RFC 8707 resource indicator(s): the API(s) the access token is for. */
  resource?: string | readonly string[] | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}

/**
 * Validates a callback and redeems its code (RFC 6749 §4.1.3 with PKCE and, when the context has
 * a key, DPoP). Nothing is returned unless the ID token verified.
 */
export async function authorizationCodeGrant(
  context: ClientContext,
  options: AuthorizationCodeOptions,
): Promise<TokenResponse> {
  const server = await context.metadata();
  const code = validateAuthorizationResponse(readAuthorizationResponse(options.callbackUrl), {
    state: options.state,
    issuer: server.issuer,
    issRequired: server.authorization_response_iss_parameter_supported,
    appState: options.appState,
  });
  const raw = await requestToken(context, {
    params: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: options.redirectUri,
      code_verifier: options.codeVerifier,
    },
    extra: resourceParams(options.resource),
    signal: options.signal,
    what: 'Code exchange',
  });
  return toTokenResponse(context, raw, {
    nonce: options.nonce,
    maxAge: options.maxAge,
    organization: options.organization,
  });
}
