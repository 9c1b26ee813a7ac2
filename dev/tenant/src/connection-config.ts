// The configuration shape of Token Vault connections: part of `TenantOptions`, kept apart from
// the registry that runs them (connections.ts) so that config.ts needs nothing that needs it.

/**
 * An external provider's token that Token Vault holds for one user of a connection. The tenant
 * hands `access_token` out as it is, reporting `expires_in` as if it had just refreshed it.
 */
export interface ConnectedAccountConfig {
  /** The provider's access token. */
  access_token: string;
  /** Space-separated scopes it carries. Default: the connection's `scopes`. */
  scope?: string | undefined;
  /** Seconds. Default: 3600. */
  expires_in?: number | undefined;
  /** Which provider account this is (an email, an external id); a `login_hint` must match it. */
  login_hint?: string | undefined;
}

/**
 * A social or enterprise connection with Token Vault on (e.g. `google-oauth2`). The tenant does
 * not call the provider: connected accounts are configured here, set through the admin surface,
 * or created by the My Account API connect flow, whose consent page stands in for the provider.
 *
 * @example
 * ```ts
 * import type { ConnectionConfig } from 'auth0-enclave-tenant';
 *
 * const google: ConnectionConfig = {
 *   name: 'google-oauth2',
 *   displayName: 'Google',
 *   scopes: ['openid', 'email', 'https://www.googleapis.com/auth/calendar.readonly'],
 *   accounts: { 'auth0|alice': { access_token: 'ya29.alice', expires_in: 3600 } },
 * };
 * ```
 */
export interface ConnectionConfig {
  name: string;
  /** Shown on the consent page. Default: `name`. */
  displayName?: string | undefined;
  /** What the provider grants when a connect request names no scopes. Default: none. */
  scopes?: string[] | undefined;
  /** Connected accounts by `user_id`. Default: none. */
  accounts?: Record<string, ConnectedAccountConfig> | undefined;
}
