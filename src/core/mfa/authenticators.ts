import type { ClientContext } from '../context.js';
import { MfaListAuthenticatorsError, ResponseError } from '../errors.js';
import type { ReadResponse } from '../http.js';
import { mfaRequest } from './mfa-request.js';
import type {
  AuthenticatorResponse,
  AuthenticatorType,
  DeleteAuthenticatorOptions,
  ListAuthenticatorsOptions,
  OobChannel,
} from './types.js';

const WHAT = 'List MFA authenticators';

function parseJsonArray(response: ReadResponse): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(response.text);
  } catch (cause) {
    throw new ResponseError({
      message: `${WHAT}: the response is not JSON.`,
      cause,
      status: response.status,
    });
  }
  if (!Array.isArray(value)) {
    throw new ResponseError({
      message: `${WHAT}: the response is not a JSON array.`,
      status: response.status,
    });
  }
  return value;
}

function parseAuthenticator(value: unknown): AuthenticatorResponse {
  const item = value as Record<string, unknown>;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof item.id !== 'string' ||
    typeof item.authenticator_type !== 'string' ||
    typeof item.active !== 'boolean'
  ) {
    throw new ResponseError({
      message: `${WHAT}: an authenticator lacks "id", "authenticator_type" or "active".`,
    });
  }
  const result: AuthenticatorResponse = {
    id: item.id,
    authenticatorType: item.authenticator_type as AuthenticatorType,
    active: item.active,
  };
  if (typeof item.name === 'string') result.name = item.name;
  if (typeof item.type === 'string') result.type = item.type;
  // WIRE.md: servers send `oob_channel`, `oob_channels` or both.
  if (Array.isArray(item.oob_channels)) {
    result.oobChannels = item.oob_channels.filter((c) => typeof c === 'string') as OobChannel[];
  } else if (typeof item.oob_channel === 'string') {
    result.oobChannels = [item.oob_channel as OobChannel];
  }
  return result;
}

/**
 * `GET /mfa/authenticators`: the user's authenticators (including ones still being enrolled,
 * with `active: false`), authorised by the `mfa_token` of an `mfa_required` error.
 *
 * @example
 * ```ts
 * import { listAuthenticators } from 'auth0-enclave/core';
 *
 * const authenticators = await listAuthenticators(context, { mfaToken });
 * ```
 */
export async function listAuthenticators(
  context: ClientContext,
  options: ListAuthenticatorsOptions,
): Promise<AuthenticatorResponse[]> {
  const response = await mfaRequest(
    context,
    {
      method: 'GET',
      url: 'mfa/authenticators',
      bearer: options.mfaToken,
      signal: options.signal,
      what: WHAT,
    },
    MfaListAuthenticatorsError,
  );
  return parseJsonArray(response).map(parseAuthenticator);
}

/**
 * `DELETE /mfa/authenticators/{id}`.
 *
 * @example
 * ```ts
 * import { deleteAuthenticator } from 'auth0-enclave/core';
 *
 * await deleteAuthenticator(context, { mfaToken, authenticatorId: 'totp|dev_abc123' });
 * ```
 */
export async function deleteAuthenticator(
  context: ClientContext,
  options: DeleteAuthenticatorOptions,
): Promise<void> {
  await mfaRequest(context, {
    method: 'DELETE',
    url: `mfa/authenticators/${encodeURIComponent(options.authenticatorId)}`,
    bearer: options.mfaToken,
    signal: options.signal,
    what: 'Delete MFA authenticator',
  });
}
