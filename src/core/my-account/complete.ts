import type { ClientContext } from '../context.js';
import { ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { type MyAccountToken, myAccountRequest } from './request.js';

/** Options of {@link completeAccount}. */
export interface CompleteAccountOptions extends MyAccountToken {
  /** From {@link connectAccount}'s answer. */
  authSession: string;
  /** From the callback (see {@link readConnectCallback}). */
  connectCode: string;
  /** The `redirectUri` of the connect request. */
  redirectUri: string;
  /** The PKCE verifier of the connect request's `codeChallenge`. */
  codeVerifier: string;
}

/** A connected account (auth0-spa-js's `CompleteResponse`). */
export interface ConnectedAccount {
  /** `cac_…` */
  id: string;
  /** The connection the account was connected at, e.g. `google-oauth2`. */
  connection: string;
  /** Always `offline`: the provider's refresh token is kept in Token Vault. */
  access_type: 'offline';
  /** The provider scopes granted to the account. */
  scopes?: string[];
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601, when the provider's refresh token expires. */
  expires_at?: string;
}

/** Checks one connected account of a My Account API answer. */
export function toConnectedAccount(value: unknown, what: string, status: number): ConnectedAccount {
  const body = value as Record<string, unknown> | null;
  const ok =
    typeof body === 'object' &&
    body !== null &&
    typeof body.id === 'string' &&
    typeof body.connection === 'string' &&
    typeof body.created_at === 'string' &&
    (body.scopes === undefined ||
      (Array.isArray(body.scopes) && body.scopes.every((s) => typeof s === 'string'))) &&
    (body.expires_at === undefined || typeof body.expires_at === 'string');
  if (!ok) throw new ResponseError({ message: `${what}: malformed connected account.`, status });
  const account: ConnectedAccount = {
    id: body.id as string,
    connection: body.connection as string,
    access_type: 'offline',
    created_at: body.created_at as string,
  };
  if (body.scopes !== undefined) account.scopes = [...(body.scopes as string[])];
  if (body.expires_at !== undefined) account.expires_at = body.expires_at as string;
  return account;
}

/**
 * Finishes linking an account (`POST /me/v1/connected-accounts/complete`): redeems the
 * `connect_code` of the callback with the PKCE verifier. Token Vault serves the account from then
 * on. Refusals are {@link ConnectError}s carrying the problem details.
 *
 * @example
 * ```ts
 * import { completeAccount, readConnectCallback } from 'auth0-enclave/core';
 *
 * // kept from connectAccount (see there): its auth_session, state and PKCE verifier
 * declare const started: { authSession: string; state: string; codeVerifier: string };
 * const connectCode = readConnectCallback(request.url, { state: started.state });
 * const account = await completeAccount(context, {
 *   accessToken,
 *   authSession: started.authSession,
 *   connectCode,
 *   redirectUri: 'https://app.example.com/connected',
 *   codeVerifier: started.codeVerifier,
 * });
 * ```
 */
export async function completeAccount(
  context: ClientContext,
  options: CompleteAccountOptions,
): Promise<ConnectedAccount> {
  const what = 'Complete account';
  const response = await myAccountRequest(context, {
    accessToken: options.accessToken,
    tokenType: options.tokenType,
    signal: options.signal,
    method: 'POST',
    path: 'v1/connected-accounts/complete',
    body: {
      auth_session: options.authSession,
      connect_code: options.connectCode,
      redirect_uri: options.redirectUri,
      code_verifier: options.codeVerifier,
    },
    what,
  });
  return toConnectedAccount(parseJsonObject(response, what), what, response.status);
}
