import { NetworkError, WorkerUnavailableError } from '../core/errors.js';
import { FETCH_ERROR_HEADER, FETCH_MARKER_HEADER } from '../rpc/fetch-marker.js';
import type { TokenOptions } from '../rpc/protocol.js';
import { deserializeError, type SerializedError } from '../rpc/rebuild-error.js';

/**
 * Sends a request through the worker, which attaches the access token (and DPoP proof) when the
 * URL is on its allow-list. Fails closed: it never sends anything when the page is not controlled
 * by the worker, and turns the worker's refusals (no session, URL not allowed) into typed errors.
 * `send` is the fetch to use (a Fetcher's custom `fetch`); it gets the marked request.
 */
export async function fetchWithAuth<TOutput extends CustomFetchMinimalOutput = Response>(
  ensureControlled: () => Promise<void>,
  input: RequestInfo | URL,
  init?: RequestInit,
  options: AuthParams = {},
  send: (request: Request) => Promise<TOutput> = fetch as never,
): Promise<TOutput> {
  await ensureControlled();
  if (!navigator.serviceWorker.controller) {
    throw new WorkerUnavailableError({
      message: 'The page is not controlled by the auth worker; the request was not sent.',
    });
  }
  const request = new Request(input, init);
  const headers = new Headers(request.headers);
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
  const marker: TokenOptions = {
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    ...(scope === undefined ? {} : { scope }),
  };
  headers.set(FETCH_MARKER_HEADER, encodeURIComponent(JSON.stringify(marker)));
  let response: TOutput;
  try {
    response = await send(new Request(request, { headers }));
  } catch (cause) {
    // The caller's own abort stays an AbortError; anything else (network down, the worker
    // stopped mid-request, CORS) becomes the typed error every other failure is.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError({ message: `The request to ${request.url} failed.`, cause });
  }
  // A custom fetch may answer with headers of another shape (spa-js's ResponseHeaders: a record,
  // entries, or anything with `get`); the Headers constructor reads the first two.
  const answer = response.headers as Headers;
  const error =
    typeof answer.get === 'function'
      ? answer.get(FETCH_ERROR_HEADER)
      : new Headers(response.headers as HeadersInit).get(FETCH_ERROR_HEADER);
  if (error) throw deserializeError(JSON.parse(decodeURIComponent(error)) as SerializedError);
  return response;
}

/** Response headers as a custom fetch may return them (auth0-spa-js's `ResponseHeaders`). */
export type ResponseHeaders =
  | Record<string, string | null | undefined>
  | [string, string][]
  | { get(name: string): string | null | undefined };

/** What a custom `fetch` must return at least (auth0-spa-js's `CustomFetchMinimalOutput`). */
export interface CustomFetchMinimalOutput {
  /** HTTP status. */
  status: number;
  /** Response headers (a nonce in `DPoP-Nonce`, a challenge in `WWW-Authenticate`). */
  headers: ResponseHeaders;
}

/** Per-request token options (auth0-spa-js's `AuthParams`): `scope` as a string or a list. */
export interface AuthParams {
  /** The API's audience; default the allow-list entry's. */
  audience?: string | undefined;
  /** The scopes needed, as a string or a list. */
  scope?: string | string[] | undefined;
}

/** Options of `createFetcher` (auth0-spa-js's `FetcherConfig`, plus default token options). */
export interface FetcherConfig<TOutput extends CustomFetchMinimalOutput = Response>
  extends AuthParams {
  /** Relative inputs are resolved against this URL. */
  baseUrl?: string;
  /** The fetch to send with (default: the global one); it gets the request the worker authenticates. */
  fetch?: (request: Request) => Promise<TOutput>;
  /** Accepted: the worker keeps DPoP nonces per server origin, which is what this names in spa-js. */
  dpopNonceId?: string;
  /**
   * Only where the worker config sets `exposeAccessTokens` (else `createFetcher` throws
   * `InvalidConfigurationError`): the worker still attaches its own token to the request.
   */
  getAccessToken?: (authParams?: AuthParams) => Promise<unknown>;
}

/** A fetch bound to a base URL and token options. */
export interface Fetcher<TOutput extends CustomFetchMinimalOutput = Response> {
  /**
   * `fetch` with the worker's credentials for the fetcher's audience and scope (see
   * `Auth0Client.fetchWithAuth`).
   */
  fetchWithAuth(
    input: RequestInfo | URL,
    init?: RequestInit,
    options?: AuthParams,
  ): Promise<TOutput>;
}

/** Builds a {@link Fetcher}. */
export function createFetcher<TOutput extends CustomFetchMinimalOutput = Response>(
  ensureControlled: () => Promise<void>,
  config: FetcherConfig<TOutput> = {},
): Fetcher<TOutput> {
  const { baseUrl, fetch: send, audience, scope } = config;
  const defaults: AuthParams = { audience, scope };
  return {
    fetchWithAuth(input, init, options) {
      const resolved = typeof input === 'string' && baseUrl ? new URL(input, baseUrl).href : input;
      return fetchWithAuth(ensureControlled, resolved, init, { ...defaults, ...options }, send);
    },
  };
}
