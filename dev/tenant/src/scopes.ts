import type { ApiConfig } from './config.js';

/** Scopes every client may ask for whatever the audience: OpenID Connect's own. */
export const OIDC_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
]);

/** Splits a `scope` parameter into distinct scopes, in order. */
export function parseScope(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter((scope) => scope !== ''))];
}

/**
 * The scopes a token may carry: the requested ones that are OIDC scopes or scopes the audience
 * API defines. Like Auth0, unknown scopes are dropped rather than refused.
 */
export function grantableScopes(
  requested: readonly string[],
  api: ApiConfig | undefined,
): string[] {
  return requested.filter((scope) => OIDC_SCOPES.has(scope) || api?.scopes.includes(scope));
}
