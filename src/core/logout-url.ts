import type { ClientContext } from './context.js';

/** Options of {@link buildLogoutUrl}. */
export interface LogoutUrlOptions {
  /** Where the server sends the browser afterwards; must be in the client's allowed logout URLs. */
  returnTo?: string | undefined;
  /** Also log out of the upstream identity provider. */
  federated?: boolean | undefined;
  /** The ID token of the session, as a hint (OIDC RP-initiated logout). */
  idTokenHint?: string | undefined;
  /** The session id (`sid`) to end. */
  logoutHint?: string | undefined;
  /** Echoed back to `returnTo` by the server (OIDC RP-initiated logout). */
  state?: string | undefined;
}

/**
 * The logout URL: the discovered `end_session_endpoint` (OIDC RP-initiated logout) when the server
 * advertises one, Auth0's `/v2/logout` otherwise.
 */
export async function buildLogoutUrl(
  context: ClientContext,
  options: LogoutUrlOptions = {},
): Promise<URL> {
  const server = await context.metadata();
  if (server.end_session_endpoint) {
    const url = new URL(server.end_session_endpoint);
    const search = url.searchParams;
    search.set('client_id', context.clientId);
    if (options.returnTo) search.set('post_logout_redirect_uri', options.returnTo);
    if (options.idTokenHint) search.set('id_token_hint', options.idTokenHint);
    if (options.logoutHint) search.set('logout_hint', options.logoutHint);
    if (options.state) search.set('state', options.state);
    if (options.federated) search.set('federated', 'true');
    return url;
  }
  const url = new URL('v2/logout', context.base);
  url.searchParams.set('client_id', context.clientId);
  if (options.returnTo) url.searchParams.set('returnTo', options.returnTo);
  if (options.federated) url.searchParams.set('federated', '');
  return url;
}
