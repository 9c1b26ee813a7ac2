import type { ClientContext } from '../context.js';
import { ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { type MyAccountToken, myAccountRequest } from './request.js';

/** Options of {@link connectAccount}. */
export interface ConnectAccountOptions extends MyAccountToken {
  /** The connection to link, e.g. `google-oauth2`. */
  connection: string;
  /** Where the provider's consent comes back to; an allowed callback URL of the client. */
  redirectUri: string;
  /** Comes back on the callback; check it there. */
  state: string;
  /** The S256 PKCE challenge of the verifier {@link completeAccount} will send. */
  codeChallenge: string;
  /** Scopes to ask the provider for. */
  scopes?: string[] | undefined;
  /** Extra parameters for the provider's authorization request (`login_hint`, `prompt` …). */
  authorizationParams?: Record<string, unknown> | undefined;
}

/** The My Account API's answer to a connect request (auth0-spa-js's `ConnectResponse`). */
export interface ConnectAccountResponse {
  /** The page to send the browser to, with `ticket` (see {@link connectUrl}). */
  connect_uri: string;
  /** Keep it for {@link completeAccount}. */
  auth_session: string;
  /** The single-use `ticket` to append to `connect_uri`. */
  connect_params: { ticket: string };
  /** Seconds until the ticket expires. */
  expires_in: number;
}

/**
 * Starts linking the user's account at an external provider (`POST /me/v1/connected-accounts/connect`,
 * the first half of auth0-spa-js's `connectAccountWithRedirect`). The token needs the
 * `create:me:connected_accounts` scope for audience `<issuer>me/`.
 *
 * @example
 * ```ts
 * import { connectAccount, createPkce } from 'auth0-enclave/core';
 *
 * const { codeVerifier, codeChallenge } = await createPkce();
 * const state = crypto.randomUUID();
 * const started = await connectAccount(context, {
 *   accessToken,
 *   connection: 'google-oauth2',
 *   redirectUri: 'https://app.example.com/connected',
 *   state,
 *   codeChallenge,
 * });
 * // keep started.auth_session, codeVerifier and state; then navigate to connectUrl(started)
 * ```
 */
export async function connectAccount(
  context: ClientContext,
  options: ConnectAccountOptions,
): Promise<ConnectAccountResponse> {
  const what = 'Connect account';
  const response = await myAccountRequest(context, {
    accessToken: options.accessToken,
    tokenType: options.tokenType,
    signal: options.signal,
    method: 'POST',
    path: 'v1/connected-accounts/connect',
    body: {
      connection: options.connection,
      redirect_uri: options.redirectUri,
      state: options.state,
      code_challenge: options.codeChallenge,
      code_challenge_method: 'S256',
      ...(options.scopes === undefined ? {} : { scopes: options.scopes }),
      ...(options.authorizationParams === undefined
        ? {}
        : { authorization_params: options.authorizationParams }),
    },
    what,
  });
  const body = parseJsonObject(response, what);
  const params = body.connect_params as { ticket?: unknown } | undefined;
  const uri = typeof body.connect_uri === 'string' ? parseUrl(body.connect_uri) : undefined;
  if (
    !uri ||
    (uri.protocol !== 'https:' && uri.protocol !== 'http:') ||
    typeof body.auth_session !== 'string' ||
    body.auth_session === '' ||
    typeof params?.ticket !== 'string' ||
    params.ticket === '' ||
    typeof body.expires_in !== 'number'
  ) {
    throw new ResponseError({ message: `${what}: malformed response.`, status: response.status });
  }
  return {
    connect_uri: uri.href,
    auth_session: body.auth_session,
    connect_params: { ticket: params.ticket },
    expires_in: body.expires_in,
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * The URL to send the browser to: `connect_uri?ticket=…`.
 *
 * @example
 * ```ts
 * import { type ConnectAccountOptions, connectAccount, connectUrl } from 'auth0-enclave/core';
 *
 * declare const options: ConnectAccountOptions; // see connectAccount
 * location.assign(connectUrl(await connectAccount(context, options)));
 * ```
 */
export function connectUrl(response: ConnectAccountResponse): URL {
  const url = new URL(response.connect_uri);
  url.searchParams.set('ticket', response.connect_params.ticket);
  return url;
}
