import { readNonceHeader } from '../src/core/dpop-nonces.js';
import { HttpError, NetworkError, NotAllowedError } from '../src/core/errors.js';
import {
  authorizationHeaders,
  isInvalidTokenChallenge,
  isUseDpopNonceChallenge,
} from '../src/core/resource-request.js';
import { serializeError } from '../src/rpc/errors.js';
import { FETCH_ERROR_HEADER, FETCH_MARKER_HEADER } from '../src/rpc/fetch-marker.js';
import { type ApiRoute, matchRoute } from './allowlist.js';
import { ambientReason } from './ambient.js';
import { broadcastLogin } from './broadcast.js';
import { completeCallback, resultKey } from './callback.js';
import { normalizedOrigin, type ResolvedConfig } from './config.js';
import { withoutErrorHeader } from './error-header.js';
import type { LoginDeps } from './login.js';
import type { Session } from './session.js';

/** What the fetch router needs. */
export interface RouterDeps extends LoginDeps {
  config: ResolvedConfig;
  session: Session;
}

/**
 * Decides, for every request of every controlled page, whether the worker handles it:
 * - the navigation to `redirect_uri` with a `state`: the worker redeems the code itself;
 * - any other navigation, and every `no-cors` or non-fetch request (`<img>`, forms, iframes,
 *   scripts): untouched — no ambient authority, so no CSRF;
 * - requests to the authorization server's token, revocation and PAR endpoints: refused, only the
 *   worker talks to them;
 * - `fetch()`/XHR to an allow-listed URL: sent by the worker with credentials;
 * - everything else: untouched.
 */
export function routeFetch(event: FetchEvent, deps: RouterDeps): void {
  const request = event.request;
  const { config } = deps;
  if (request.mode === 'navigate') {
    if (isCallback(request.url, config)) event.respondWith(handleCallback(event, deps));
    return;
  }
  const url = new URL(request.url);
  const strict = request.headers.has(FETCH_MARKER_HEADER);
  // A beacon (navigator.sendBeacon with a non-safelisted type) reaches the worker as a cors-mode
  // request with destination '', exactly like fetch() — measured in Chromium: without this check
  // it went out with the token. Only its keepalive flag tells it apart, so no keepalive request
  // gets credentials (the worker's own request could not be keepalive anyway).
  const isFetch = request.mode !== 'no-cors' && request.destination === '' && !request.keepalive;
  // With fetchWithAuthOnly (the default), only requests marked by fetchWithAuth (a header markup
  // cannot set) are credentialed: plain fetch() and anything that looks like it go out as written.
  // Without it, requests that markup can cause and that still look like fetch() are refused by
  // what gives them away (see `ambientReason`).
  const ambient = strict ? undefined : ambientReason(request);
  const credentialed = isFetch && (strict || (!config.fetchWithAuthOnly && !ambient));
  const route = credentialed ? matchRoute(config.routes, request.url) : undefined;
  const handle = (): Promise<Response> | undefined => {
    if (route) return proxyApiRequest(request, route, strict, deps);
    if (!strict) return undefined;
    const reason = isFetch
      ? `${url.origin}${url.pathname} is not in the worker's "apis" allow-list, or its path is ambiguous (an encoded "/" or "\\", ";" or a dot segment).`
      : request.keepalive
        ? 'keepalive requests (and so navigator.sendBeacon) get no credentials.'
        : 'Only fetch() requests get credentials.';
    return Promise.resolve(errorResponse(new NotAllowedError(reason)));
  };
  if (isAuthorizationServer(url, config)) {
    event.respondWith(
      guardAuthorizationServer(request, deps).then(
        (refused) => refused ?? handle() ?? fetch(request),
      ),
    );
    return;
  }
  const handled = handle();
  if (handled) event.respondWith(handled);
}

/** True when `url` is on the authorization server: `domain` or an alias, host normalised. */
function isAuthorizationServer(url: URL, config: ResolvedConfig): boolean {
  return config.authorizationServerOrigins.has(normalizedOrigin(url));
}

function isCallback(requestUrl: string, config: ResolvedConfig): boolean {
  const url = new URL(requestUrl);
  return (
    url.origin === config.redirectUri.origin &&
    url.pathname === config.redirectUri.pathname &&
    url.searchParams.has('state')
  );
}

async function handleCallback(event: FetchEvent, deps: RouterDeps): Promise<Response> {
  const result = await completeCallback(deps, event.request.url);
  if ((result.mode === 'popup' || result.mode === 'silent') && result.loginId) {
    // The page that opened the popup or iframe waits for this id; the popup or iframe itself
    // only needs a page that shows nothing secret (the opener closes it, the iframe is removed).
    await deps.vault.putResult(resultKey(result.loginId), result);
    broadcastLogin(result.loginId);
    return new Response(
      result.mode === 'popup'
        ? '<!doctype html><meta charset="utf-8"><title>Login</title><p>You can close this window.</p>'
        : '<!doctype html><meta charset="utf-8"><title>Login</title>',
      {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'",
          'cache-control': 'no-store',
        },
      },
    );
  }
  // resultingClientId is the page this navigation creates — measured in Chromium to survive the
  // same-origin redirect below — so the outcome is filed under exactly the page that will ask.
  await deps.vault.putResult(event.resultingClientId || 'latest', result);
  const clean = new URL(deps.config.redirectUri);
  clean.search = '';
  clean.hash = '';
  return Response.redirect(clean.href, 302);
}

const PROTECTED_PATHS = ['/oauth/token', '/oauth/revoke', '/oauth/par'];

/**
 * How endpoint paths are compared: as a lenient server would route them — percent-decoded,
 * `;params` dropped, repeated slashes merged, dot segments resolved, lower-cased, without
 * trailing slashes — so `/OAuth/Token/`, `/oauth/%74oken` or `/oauth//token` cannot slip past.
 * The decoding was missing at first: the local tenant (Hono) decodes paths before routing, and
 * `/oauth/%74oken` from a page reached its token endpoint. The origin is compared before, by
 * `isAuthorizationServer`, with the host normalised (case, trailing dot, IDN) and every alias.
 */
function endpointPath(url: URL): string {
  let path = url.pathname;
  try {
    const decoded = decodeURIComponent(path)
      .replace(/;[^/\\]*/g, '')
      .replace(/[/\\]+/g, '/');
    path = new URL(decoded, url.origin).pathname;
  } catch {
    // A malformed escape: compared as written (a server cannot route it to an endpoint either).
  }
  return path.toLowerCase().replace(/\/+$/, '');
}

/**
 * A refusal for requests to the endpoints only the worker may call; `undefined` for the rest.
 * Called only for requests to the authorization server (`domain` or an alias): every alias
 * serves the same endpoints, so their paths are refused on each of them.
 */
async function guardAuthorizationServer(
  request: Request,
  deps: RouterDeps,
): Promise<Response | undefined> {
  const protectedPaths = new Set(PROTECTED_PATHS);
  try {
    const server = await deps.session.context().metadata();
    for (const endpoint of [
      server.token_endpoint,
      server.revocation_endpoint,
      server.pushed_authorization_request_endpoint,
    ]) {
      if (endpoint) protectedPaths.add(endpointPath(new URL(endpoint)));
    }
  } catch {
    // Discovery failed: the well-known paths above still apply.
  }
  if (protectedPaths.has(endpointPath(new URL(request.url)))) {
    return new Response(
      JSON.stringify({
        error: 'access_denied',
        error_description: 'Only the auth worker talks to this endpoint.',
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    );
  }
  return undefined;
}

/**
 * Sends an allow-listed request with credentials: the access token for the entry's audience and
 * scope, and a fresh DPoP proof (`htu` without query, `ath`, the server's nonce). A redirect is
 * never followed with credentials. One retry with a fresh proof on `use_dpop_nonce`; one retry
 * with a refreshed token on `invalid_token`.
 */
async function proxyApiRequest(
  request: Request,
  route: ApiRoute,
  strict: boolean,
  deps: RouterDeps,
): Promise<Response> {
  let key: { audience: string | undefined; scope: string };
  try {
    key = tokenKeyFor(route, strict ? request.headers.get(FETCH_MARKER_HEADER) : null);
  } catch (error) {
    return errorResponse(error);
  }
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  const origin = new URL(request.url).origin;
  // Bound to the current session: a nonce arriving after a logout is not written back.
  const nonces = deps.session.context().nonces;
  let failed: string | undefined;
  let retriedNonce = false;
  let retriedToken = false;
  for (;;) {
    let token: Awaited<ReturnType<Session['getAccessToken']>>;
    try {
      token = await deps.session.getAccessToken(key, { failed });
    } catch (error) {
      if (strict) return errorResponse(error);
      // A plain fetch() without a session goes out as the page wrote it: no credentials.
      return fetch(outgoing(request, body, {}));
    }
    const nonce = token.tokenType === 'DPoP' ? await nonces.get(origin) : undefined;
    const auth = await authorizationHeaders({
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      method: request.method,
      url: request.url,
      dpop: deps.session.key,
      nonce,
    });
    let response: Response;
    try {
      response = await fetch(outgoing(request, body, auth));
    } catch (cause) {
      if (strict)
        return errorResponse(new NetworkError(`The request to ${origin} failed.`, { cause }));
      return Response.error();
    }
    const fresh = readNonceHeader(response.headers);
    if (fresh) await nonces.set(origin, fresh);
    if (response.type === 'opaqueredirect') {
      if (strict)
        return errorResponse(
          new HttpError(
            502,
            'The API answered with a redirect; it is not followed with credentials.',
          ),
        );
      return Response.error();
    }
    if (
      !retriedNonce &&
      fresh &&
      fresh !== nonce &&
      isUseDpopNonceChallenge(response.status, response.headers)
    ) {
      retriedNonce = true;
      continue;
    }
    if (!retriedToken && isInvalidTokenChallenge(response.status, response.headers)) {
      retriedToken = true;
      failed = token.accessToken;
      continue;
    }
    return withoutErrorHeader(response);
  }
}

/** The page's request as the worker sends it: same method, headers and body, its own credentials. */
function outgoing(
  request: Request,
  body: ArrayBuffer | undefined,
  auth: Record<string, string>,
): Request {
  const headers = new Headers(request.headers);
  headers.delete(FETCH_MARKER_HEADER);
  headers.delete('authorization');
  headers.delete('dpop');
  for (const [name, value] of Object.entries(auth)) headers.set(name, value);
  return new Request(request.url, {
    method: request.method,
    headers,
    ...(body === undefined ? {} : { body }),
    mode: 'cors',
    credentials: request.credentials,
    // A credentialed answer must never sit in the HTTP cache, where a request without
    // credentials (after logout, or from injected markup) could be served it.
    cache: 'no-store',
    redirect: 'manual',
    integrity: request.integrity,
    signal: request.signal,
  });
}

/**
 * The audience and scope for a request: the entry's, unless fetchWithAuth asked for a narrower
 * scope or named the entry's audience. Anything wider is refused.
 */
function tokenKeyFor(
  route: ApiRoute,
  marker: string | null,
): { audience: string | undefined; scope: string } {
  if (!marker) return { audience: route.audience, scope: route.scope };
  let requested: { audience?: unknown; scope?: unknown };
  try {
    requested = JSON.parse(decodeURIComponent(marker)) as typeof requested;
  } catch {
    throw new NotAllowedError('Malformed fetchWithAuth options.');
  }
  if (requested.audience !== undefined && requested.audience !== route.audience) {
    throw new NotAllowedError(
      `Audience "${String(requested.audience)}" is not the one configured for ${route.url}.`,
    );
  }
  if (requested.scope === undefined) return { audience: route.audience, scope: route.scope };
  if (typeof requested.scope !== 'string') throw new NotAllowedError('"scope" must be a string.');
  const allowed = new Set(route.scope.split(' '));
  const asked = requested.scope.split(/\s+/).filter(Boolean);
  for (const scope of asked) {
    if (!allowed.has(scope))
      throw new NotAllowedError(`Scope "${scope}" is not configured for ${route.url}.`);
  }
  return { audience: route.audience, scope: [...new Set(['openid', ...asked])].join(' ') };
}

/** A synthetic response that fetchWithAuth turns back into the typed error. */
export function errorResponse(error: unknown): Response {
  const serialized = serializeError(error);
  const status =
    serialized.code === 'not_allowed'
      ? 403
      : serialized.code === 'network_error' || serialized.code === 'http_error'
        ? 502
        : 401;
  return new Response(
    JSON.stringify({ error: serialized.error ?? 'error', error_description: serialized.message }),
    {
      status,
      headers: {
        'content-type': 'application/json',
        [FETCH_ERROR_HEADER]: encodeURIComponent(JSON.stringify(serialized)),
      },
    },
  );
}
