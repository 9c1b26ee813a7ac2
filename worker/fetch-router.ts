import { readNonceHeader } from '../src/core/dpop-nonces.js';
import {
  HttpError,
  LoginRequiredError,
  NetworkError,
  NotAllowedError,
} from '../src/core/errors.js';
import {
  authorizationHeaders,
  isInvalidTokenChallenge,
  isUseDpopNonceChallenge,
} from '../src/core/resource-request.js';
import { serializeError } from '../src/rpc/errors.js';
import { FETCH_ERROR_HEADER, FETCH_MARKER_HEADER } from '../src/rpc/fetch-marker.js';
import type { ApiRoute } from './allowlist.js';
import { ambientReason } from './ambient.js';
import { broadcastLogin } from './broadcast.js';
import { completeCallback, resultKey } from './callback.js';
import type { WorkerDeps } from './deps.js';
import { withoutErrorHeader } from './error-header.js';
import { normalizedOrigin } from './host.js';
import {
  apiTokenKey,
  credentialsFor,
  isAuthorizationServer,
  isCallback,
  isWorkerOnlyEndpoint,
  type TokenKey,
} from './policy.js';
import type { AccessToken, Session } from './session.js';

/**
 * Routes every request of every controlled page as the policy (policy.ts) decides:
 * - the navigation to `redirect_uri` with a `state`: the worker redeems the code itself;
 * - any other navigation, and every `no-cors` or non-fetch request (`<img>`, forms, iframes,
 *   scripts): untouched — no ambient authority, so no CSRF;
 * - requests to the authorization server's token, revocation and PAR endpoints: refused, only the
 *   worker talks to them — wherever discovery puts them (server-endpoints.ts);
 * - `fetch()`/XHR to an allow-listed URL: sent by the worker with credentials;
 * - everything else: untouched.
 */
export function routeFetch(event: FetchEvent, deps: WorkerDeps): void {
  const request = event.request;
  const { config } = deps;
  const url = new URL(request.url);
  if (request.mode === 'navigate') {
    if (isCallback(config, url)) event.respondWith(handleCallback(event, deps));
    return;
  }
  const strict = request.headers.has(FETCH_MARKER_HEADER);
  const credentials = credentialsFor(config, {
    url: request.url,
    mode: request.mode,
    destination: request.destination,
    keepalive: request.keepalive,
    marked: strict,
    // Requests markup can cause that still look like fetch() (prefetch, EventSource …).
    ambient: strict ? undefined : ambientReason(request),
  });
  const handle = (): Promise<Response> | undefined => {
    if (!credentials) return undefined;
    if ('route' in credentials) return proxyApiRequest(request, credentials.route, strict, deps);
    const reason = credentials.refused;
    return Promise.resolve(errorResponse(new NotAllowedError({ message: reason })));
  };
  // The configured server's origins, and those its metadata names for worker-only endpoints. Until
  // discovery has answered in this worker's life (it starts with the worker), a request to any
  // origin the allow-list does not cover waits for it: a worker woken by this very request must
  // not let it past a token endpoint it has not learnt yet.
  if (
    isAuthorizationServer(config, url) ||
    deps.endpoints.origins.has(normalizedOrigin(url)) ||
    (!deps.endpoints.known && !credentials && url.origin !== self.location.origin)
  ) {
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

async function handleCallback(event: FetchEvent, deps: WorkerDeps): Promise<Response> {
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
  // resultingClientId is the browser's id of the page this navigation creates — measured in
  // Chromium to survive the same-origin redirect below — so the outcome is filed under exactly
  // the page that will ask (the facade's `windowId`).
  const windowId = event.resultingClientId;
  await deps.vault.putResult(windowId || 'latest', result);
  const clean = new URL(deps.config.redirectUri);
  clean.search = '';
  clean.hash = '';
  return Response.redirect(clean.href, 302);
}

/** A refusal for requests to the endpoints only the worker may call; `undefined` for the rest. */
async function guardAuthorizationServer(
  request: Request,
  deps: WorkerDeps,
): Promise<Response | undefined> {
  const url = new URL(request.url);
  const discovered = await deps.endpoints.learn(deps);
  // Well-known paths on the configured server; discovered endpoints wherever they are.
  const onServer =
    isAuthorizationServer(deps.config, url) || deps.endpoints.origins.has(normalizedOrigin(url));
  if (onServer && isWorkerOnlyEndpoint(deps.config, url, discovered)) {
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
  deps: WorkerDeps,
): Promise<Response> {
  let key: TokenKey;
  try {
    key = apiTokenKey(route, strict ? request.headers.get(FETCH_MARKER_HEADER) : null);
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
      // No user: an anonymous session's token (auth0.anonymous), when the worker has the
      // feature (features.ts) and the page started one.
      const anonymous =
        error instanceof LoginRequiredError
          ? await anonymousToken(deps, key, failed).catch(() => undefined)
          : undefined;
      if (anonymous) token = anonymous;
      else if (strict) return errorResponse(error);
      // A plain fetch() without a session goes out as the page wrote it: no credentials.
      else return fetch(outgoing(request, body, {}));
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
        return errorResponse(
          new NetworkError({ message: `The request to ${origin} failed.`, cause }),
        );
      return Response.error();
    }
    const fresh = readNonceHeader(response.headers);
    if (fresh) await nonces.set(origin, fresh);
    if (response.type === 'opaqueredirect') {
      if (strict)
        return errorResponse(
          new HttpError({
            status: 502,
            message: 'The API answered with a redirect; it is not followed with credentials.',
          }),
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

/** The anonymous session's token for `key`, from the feature that holds one (if installed). */
async function anonymousToken(
  deps: WorkerDeps,
  key: TokenKey,
  failed: string | undefined,
): Promise<AccessToken | undefined> {
  for (const feature of deps.features) {
    const token = await feature.anonymousAccessToken?.(deps, key, failed);
    if (token) return token;
  }
  return undefined;
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
