import { NetworkError, WorkerUnavailableError } from '../core/errors.js';
import { FETCH_ERROR_HEADER, FETCH_MARKER_HEADER } from '../rpc/fetch-marker.js';
import type { TokenOptions } from '../rpc/protocol.js';
import { deserializeError, type SerializedError } from '../rpc/rebuild-error.js';

/**
 * Sends a request through the worker, which attaches the access token (and DPoP proof) when the
 * URL is on its allow-list. Fails closed: it never sends anything when the page is not controlled
 * by the worker, and turns the worker's refusals (no session, URL not allowed) into typed errors.
 */
export async function fetchWithAuth(
  ensureControlled: () => Promise<void>,
  input: RequestInfo | URL,
  init?: RequestInit,
  options: TokenOptions = {},
): Promise<Response> {
  await ensureControlled();
  if (!navigator.serviceWorker.controller) {
    throw new WorkerUnavailableError({
      message: 'The page is not controlled by the auth worker; the request was not sent.',
    });
  }
  const request = new Request(input, init);
  const headers = new Headers(request.headers);
  headers.set(FETCH_MARKER_HEADER, encodeURIComponent(JSON.stringify(options)));
  let response: Response;
  try {
    response = await fetch(new Request(request, { headers }));
  } catch (cause) {
    // The caller's own abort stays an AbortError; anything else (network down, the worker
    // stopped mid-request, CORS) becomes the typed error every other failure is.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new NetworkError({ message: `The request to ${request.url} failed.`, cause });
  }
  const error = response.headers.get(FETCH_ERROR_HEADER);
  if (error) throw deserializeError(JSON.parse(decodeURIComponent(error)) as SerializedError);
  return response;
}

/** Options of `createFetcher`. */
export interface FetcherConfig extends TokenOptions {
  /** Relative inputs are resolved against this URL. */
  baseUrl?: string;
}

/** A fetch bound to a base URL and token options. */
export interface Fetcher {
  /**
   * `fetch` with the worker's credentials for the fetcher's audience and scope (see
   * `Auth0Client.fetchWithAuth`).
   */
  fetchWithAuth(
    input: RequestInfo | URL,
    init?: RequestInit,
    options?: TokenOptions,
  ): Promise<Response>;
}

/** Builds a {@link Fetcher}. */
export function createFetcher(
  ensureControlled: () => Promise<void>,
  config: FetcherConfig = {},
): Fetcher {
  const { baseUrl, ...defaults } = config;
  return {
    fetchWithAuth(input, init, options) {
      const resolved = typeof input === 'string' && baseUrl ? new URL(input, baseUrl).href : input;
      return fetchWithAuth(ensureControlled, resolved, init, { ...defaults, ...options });
    },
  };
}
