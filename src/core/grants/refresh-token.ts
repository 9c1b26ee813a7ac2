import type { ClientContext } from '../context.js';
import { requestToken, resourceParams } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** Options of {@link refreshTokenGrant}. */
export interface RefreshTokenOptions {
  /** The refresh token to redeem. */
  refreshToken: string;
  /** The API to ask an access token for; defaults to the one the refresh token was issued for. */
  audience?: string | undefined;
  /** Scopes to ask for, a subset of the refresh token's (down-scoping). */
  scope?: string | undefined;
  /**
   * The organization asked for at login; the refreshed ID token's `org_id`/`org_name` must match
   * it.
   */
  organization?: string | undefined;
  /** RFC 8707 resource indicator(s): the API(s) the access token is for. */
  resource?: string | readonly string[] | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}

/**
 * Redeems a refresh token (RFC 6749 §6). With rotation the response carries a new refresh token
 * that replaces the old one; the caller must store it before using the access token.
 */
export async function refreshTokenGrant(
  context: ClientContext,
  options: RefreshTokenOptions,
): Promise<TokenResponse> {
  const raw = await requestToken(context, {
    params: {
      grant_type: 'refresh_token',
      refresh_token: options.refreshToken,
      audience: options.audience,
      scope: options.scope,
    },
    extra: resourceParams(options.resource),
    signal: options.signal,
    what: 'Refresh',
  });
  return toTokenResponse(context, raw, { organization: options.organization, refreshed: true });
}
