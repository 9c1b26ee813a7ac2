import type { ClientContext } from '../context.js';
import { requestToken } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';
import { extraParams } from './extra-params.js';

/** Auth0's Token Vault grant type. */
export const FEDERATED_CONNECTION_GRANT_TYPE =
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
/** What a Token Vault exchange asks for: the external provider's access token. */
export const FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE =
  'http://auth0.com/oauth/token-type/federated-connection-access-token';
/** RFC 8693 §3 token type of a subject token that is an access token (the default). */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** RFC 8693 §3 token type of a subject token that is a refresh token. */
export const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';

/** Token Vault exchange, with the option names of auth0-auth-js's `TokenVaultExchangeOptions`. */
export interface TokenVaultExchangeOptions {
  /** The connection with Token Vault on, e.g. `google-oauth2`. */
  connection: string;
  /** An Auth0 access or refresh token of the user. */
  subjectToken: string;
  /** Default: access token. Set the refresh token type when passing a refresh token. */
  subjectTokenType?: typeof ACCESS_TOKEN_TYPE | typeof REFRESH_TOKEN_TYPE | undefined;
  /** Default: {@link FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE}. */
  requestedTokenType?: string | undefined;
  /** Which of the user's provider accounts (an email, an external id). */
  loginHint?: string | undefined;
  /** Provider scopes the token must carry. */
  scope?: string | undefined;
  /** Custom parameters added to the exchange request; never secrets or personal data. */
  extra?: Record<string, string | string[]> | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}

/**
 * Trades an Auth0 access or refresh token for the access token of the account the user connected
 * at `connection` (Auth0 Token Vault). No ID token comes back; a user without a connected account
 * gets a 401 `federated_connection_refresh_token_not_found` (an `OAuthError`).
 *
 * @example
 * ```ts
 * import { federatedConnectionGrant, REFRESH_TOKEN_TYPE } from 'auth0-enclave/core';
 *
 * const google = await federatedConnectionGrant(context, {
 *   connection: 'google-oauth2',
 *   subjectToken: refreshToken,
 *   subjectTokenType: REFRESH_TOKEN_TYPE,
 * });
 * ```
 */
export async function federatedConnectionGrant(
  context: ClientContext,
  options: TokenVaultExchangeOptions,
): Promise<TokenResponse> {
  const raw = await requestToken(context, {
    params: {
      grant_type: FEDERATED_CONNECTION_GRANT_TYPE,
      connection: options.connection,
      subject_token: options.subjectToken,
      subject_token_type: options.subjectTokenType ?? ACCESS_TOKEN_TYPE,
      requested_token_type: options.requestedTokenType ?? FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
      login_hint: options.loginHint,
      scope: options.scope,
    },
    extra: extraParams(options.extra),
    signal: options.signal,
    what: 'Token Vault exchange',
  });
  return toTokenResponse(context, raw);
}
