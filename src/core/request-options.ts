import { assertFunction, assertKnownKeys, assertObject } from './assert.js';
import type { ClientContext } from './context.js';
import type { FetchLike, HttpConfig } from './http.js';

/**
 * Per-call options, the trailing argument of every network-performing method (as auth-js 1.16).
 * They apply to that call only and never change the client.
 */
export interface RequestOptions {
  /** Aborts the call's requests (composed with the SDK's own time limit). */
  signal?: AbortSignal;
  /**
   * Extra headers for this call. The headers the SDK sets (`Authorization`, `DPoP`,
   * `Content-Type`, the `Auth0-Client` telemetry header) win and cannot be overridden.
   */
  headers?: Record<string, string>;
  /** A fetch for this call only (it does not inherit an mTLS agent of the client's fetch). */
  customFetch?: FetchLike;
}

/** What a method returns with `fullResponse: true`: its result and the server's HTTP response. */
export interface ApiResponse<T> {
  /** The method's result, as without `fullResponse`. */
  data: T;
  /** A copy of the last response the call read (status, headers and body). */
  response: Response;
}

/** Intersected into the options of the methods that offer the response envelope. */
export interface FullResponseOption {
  /** `true` returns `{ data, response }` instead of the bare result. */
  fullResponse?: true;
}

const RESERVED_HEADERS = new Set(['authorization', 'auth0-client', 'dpop', 'content-type']);

/** Checks a `requestOptions` argument; TypeErrors name the option. */
export function assertRequestOptions(value: unknown): asserts value is RequestOptions | undefined {
  if (value === undefined) return;
  assertObject(value, 'requestOptions');
  assertKnownKeys(value, ['signal', 'headers', 'customFetch'], 'requestOptions');
  const { signal, headers, customFetch } = value as RequestOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError('"requestOptions.signal" must be an AbortSignal');
  }
  if (headers !== undefined) {
    assertObject(headers, 'requestOptions.headers');
    for (const [key, header] of Object.entries(headers)) {
      if (typeof header !== 'string') {
        throw new TypeError(`"requestOptions.headers.${key}" must be a string`);
      }
    }
  }
  if (customFetch !== undefined) assertFunction(customFetch, 'requestOptions.customFetch');
}

/** A call's context: the client's, with the call's signal, headers and fetch, and a response tap. */
export interface CallContext {
  context: ClientContext;
  /** The last response the call read, as a `Response` (for `fullResponse`). */
  lastResponse(): Response | undefined;
}

/**
 * Derives the context of one call. Discovery and the JWKS stay on the client's own transport
 * (they are cached and shared); every request the call itself sends uses the derived one.
 */
export function callContext(base: ClientContext, requestOptions?: RequestOptions): CallContext {
  let last: Response | undefined;
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(requestOptions?.headers ?? {})) {
    if (!RESERVED_HEADERS.has(key.toLowerCase())) extra[key.toLowerCase()] = value;
  }
  const transport: FetchLike = requestOptions?.customFetch ?? base.http.fetch;
  const http: HttpConfig = {
    ...base.http,
    // The client's headers (telemetry) come last: per-call headers cannot replace them.
    headers: { ...extra, ...base.http.headers },
    // Every response of the call is kept as an unread clone, as auth-js's `fullResponse` gives it.
    fetch: async (input, init) => {
      const response = await transport(input, init);
      last = response.clone();
      return response;
    },
    signal: requestOptions?.signal ?? base.http.signal,
  };
  return { context: { ...base, http }, lastResponse: () => last };
}
