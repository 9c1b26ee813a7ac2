import type { ClientContext } from '../context.js';
import { requestToken } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** Options of {@link passwordGrant}. */
export interface PasswordOptions {
  /** The user's username or email. */
  username: string;
  /** The user's password; sent only in the token request body. */
  password: string;
  /** The API (`audience`) to ask an access token for. */
  audience?: string | undefined;
  /** Scopes to ask for; include `openid` for an ID token, `offline_access` for a refresh token. */
  scope?: string | undefined;
  /** The connection (Auth0 "realm"); switches to the password-realm grant. */
  realm?: string | undefined;
  /** The end user's IP, for Auth0's brute-force protection (`auth0-forwarded-for`). */
  auth0ForwardedFor?: string | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}

/** Resource Owner Password grant (and Auth0's password-realm variant when `realm` is set). */
export async function passwordGrant(
  context: ClientContext,
  options: PasswordOptions,
): Promise<TokenResponse> {
  const raw = await requestToken(context, {
    params: {
      grant_type: options.realm ? 'http://auth0.com/oauth/grant-type/password-realm' : 'password',
      username: options.username,
      password: options.password,
      audience: options.audience,
      scope: options.scope,
      realm: options.realm,
    },
    headers: options.auth0ForwardedFor ? { 'auth0-forwarded-for': options.auth0ForwardedFor } : {},
    signal: options.signal,
    what: 'Password grant',
  });
  return toTokenResponse(context, raw);
}
