import { type Auth0Client, InvalidStateError, type RedirectCallbackResult } from 'auth0-enclave';

// One rule for every framework binding (auth0-enclave/react, /vue): whether this page load is a
// login's return, and finishing it. Shared by the bindings, not part of the page client's API:
// it reaches the client by its package name, as the bindings do, so an app and its binding share
// one client module, and an app without a binding does not carry it.

/**
 * `code`/`error` with `state` in the query: a callback that reached the page, not the worker.
 * For framework bindings; apps call `handleRedirectCallback` themselves.
 */
export function hasAuthParams(search: string = window.location.search): boolean {
  const params = new URLSearchParams(search);
  return (
    (params.has('code') || params.has('connect_code') || params.has('error')) && params.has('state')
  );
}

/**
 * Finishes a redirect login if this page load is one's return, else resolves `undefined`. For
 * framework bindings (auth0-enclave/react and /vue use it).
 *
 * auth0-react and auth0-vue recognise a callback by `code` and `state` in the address bar. Here
 * the worker redeems the callback before the page exists and redirects to `redirect_uri` without
 * them, so a callback is the page at the worker's `redirect_uri` (origin and path) — or, when the
 * worker was not in control, a URL that still carries them. At `redirect_uri` with no login
 * waiting (a reload, a bookmark, or a `redirect_uri` that is the app's home page), the worker
 * answers `InvalidStateError`: that is an ordinary page load, not an error, and the caller checks
 * the session instead. Any other error is the login's own (e.g. `access_denied`) and is thrown.
 */
export async function finishRedirect(
  client: Auth0Client,
): Promise<RedirectCallbackResult | undefined> {
  const uncontrolled = hasAuthParams();
  if (!uncontrolled) {
    const { authorizationParams } = await client.getWorkerConfiguration();
    const redirect = new URL(String(authorizationParams.redirect_uri), window.location.href);
    if (
      redirect.origin !== window.location.origin ||
      redirect.pathname !== window.location.pathname
    )
      return undefined;
  }
  try {
    return await client.handleRedirectCallback();
  } catch (error) {
    if (!uncontrolled && error instanceof InvalidStateError) return undefined;
    throw error;
  }
}
