import type { ClientContext } from '../context.js';
import { ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { type ConnectedAccount, toConnectedAccount } from './complete.js';
import { type MyAccountToken, myAccountRequest } from './request.js';

/** Options of {@link listConnectedAccounts}. */
export interface ListConnectedAccountsOptions extends MyAccountToken {
  /** Only the accounts of this connection. */
  connection?: string | undefined;
}

/**
 * The user's connected accounts (`GET /me/v1/connected-accounts/accounts`); the token needs the
 * `read:me:connected_accounts` scope.
 *
 * @example
 * ```ts
 * import { listConnectedAccounts } from 'auth0-enclave/core';
 *
 * const accounts = await listConnectedAccounts(context, { accessToken, connection: 'google-oauth2' });
 * ```
 */
export async function listConnectedAccounts(
  context: ClientContext,
  options: ListConnectedAccountsOptions,
): Promise<ConnectedAccount[]> {
  const what = 'List connected accounts';
  const query =
    options.connection === undefined
      ? ''
      : `?${new URLSearchParams({ connection: options.connection })}`;
  const response = await myAccountRequest(context, {
    accessToken: options.accessToken,
    tokenType: options.tokenType,
    signal: options.signal,
    method: 'GET',
    path: `v1/connected-accounts/accounts${query}`,
    what,
  });
  const body = parseJsonObject(response, what);
  if (!Array.isArray(body.accounts)) {
    throw new ResponseError({ message: `${what}: malformed response.`, status: response.status });
  }
  return body.accounts.map((account) => toConnectedAccount(account, what, response.status));
}
