import type { ClientContext } from './context.js';
import { NotSupportedError } from './errors.js';
import { postToTokenEndpoint } from './token-request.js';

/** Options of {@link revokeToken}. */
export interface RevokeTokenOptions {
  /** The access or refresh token to revoke. */
  token: string;
  /**
   * Which kind of token `token` is: a hint the server may use to find it (RFC 7009
   * `token_type_hint`).
   */
  tokenTypeHint?: 'refresh_token' | 'access_token' | undefined;
  /** Aborts the revocation request. */
  signal?: AbortSignal | undefined;
}

/**
 * Revokes a token (RFC 7009) at the discovered revocation endpoint, with the same client
 * authentication (and DPoP proof) as token requests.
 */
export async function revokeToken(
  context: ClientContext,
  options: RevokeTokenOptions,
): Promise<void> {
  const server = await context.metadata();
  if (!server.revocation_endpoint)
    throw new NotSupportedError({ message: 'The server has no revocation endpoint.' });
  await postToTokenEndpoint(context, {
    endpoint: server.revocation_endpoint,
    params: { token: options.token, token_type_hint: options.tokenTypeHint },
    signal: options.signal,
    what: 'Revocation',
  });
}
