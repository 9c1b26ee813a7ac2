import type { ClientContext } from '../context.js';
import { requestToken, resourceParams } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** Options of {@link clientCredentialsGrant}. */
export interface ClientCredentialsOptions {
  /** The API (`audience`) the machine-to-machine access token is for. */
  audience: string;
  /** The organization (ID or name) the token is issued in, for organization-enabled APIs. */
  organization?: string | undefined;
  /** RFC 8707 resource indicator(s): the API(s) the access token is for. */
  resource?: string | readonly string[] | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}

/** A machine-to-machine token (RFC 6749 §4.4); confidential clients only. */
export async function clientCredentialsGrant(
  context: ClientContext,
  options: ClientCredentialsOptions,
): Promise<TokenResponse> {
  const raw = await requestToken(context, {
    params: {
      grant_type: 'client_credentials',
      audience: options.audience,
      organization: options.organization,
    },
    extra: resourceParams(options.resource),
    signal: options.signal,
    what: 'Client credentials',
  });
  return toTokenResponse(context, raw);
}
