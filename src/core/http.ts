import {
  HttpError,
  MfaRequiredError,
  type MfaRequirements,
  NetworkError,
  OAuthError,
  ResponseError,
  TimeoutError,
} from './errors.js';

/** The subset of `fetch` the SDK calls. Pass your own for mTLS, proxies or tests. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** How every request of the core is sent and read. */
export interface HttpConfig {
  /** The fetch every request is sent with: the global one, or the caller's `customFetch`. */
  fetch: FetchLike;
  /** Per request, from sending to the last byte of the body. */
  timeoutMs: number;
  /** Responses larger than this are refused (typed error, body not parsed). */
  maxResponseBytes: number;
  /** Extra headers for every request to the authorization server (telemetry). */
  headers?: Record<string, string>;
  /** Aborts every request sent with this config, as a caller's signal does (per-call options). */
  signal?: AbortSignal | undefined;
}

/** 10 s: long enough for a cold Auth0 tenant, short enough that a hung request surfaces. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** 1 MiB: far above any token, JWKS or userinfo response, far below a memory problem. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** A response whose body has been read (within the size limit) as text. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends a request and reads its whole body, bounded in time and size. Redirects are never
 * followed: nothing the core sends (codes, verifiers, refresh tokens, client secrets) may be
 * replayed to another URL.
 */
export async function send(
  http: HttpConfig,
  url: string,
  init: RequestInit & { what: string },
): Promise<ReadResponse> {
  const { what, ...requestInit } = init;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), http.timeoutMs);
  // The caller's signals: the request's own and the call's (per-call requestOptions.signal).
  const callerSignal =
    init.signal && http.signal
      ? AbortSignal.any([init.signal, http.signal])
      : init.signal || http.signal;
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
  try {
    let response: Response;
    try {
      // Raced against the signal: a custom fetch that ignores it must not outlive the time limit.
      response = await untilAborted(
        http.fetch(url, {
          ...requestInit,
          headers: {
            ...http.headers,
            ...(requestInit.headers as Record<string, string> | undefined),
          },
          redirect: 'manual',
          signal,
        }),
        signal,
      );
    } catch (cause) {
      throw requestFailure(cause, what, http, timeout.signal, callerSignal);
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      // Not awaited: Node's fetch can leave the cancel of a redirect's (empty) body pending until
      // the connection closes — measured at the 2 s time limit and, once, past the test's 20 s.
      void response.body?.cancel().catch(() => {});
      throw new HttpError({
        status: response.status,
        message: `${what}: the server answered with a redirect, which is never followed.`,
      });
    }
    let text: string;
    try {
      text = await readText(response, http.maxResponseBytes, what, signal);
    } catch (cause) {
      if (cause instanceof ResponseError) throw cause;
      throw requestFailure(cause, what, http, timeout.signal, callerSignal, 'reading the response');
    }
    return { status: response.status, headers: response.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

function requestFailure(
  cause: unknown,
  what: string,
  http: HttpConfig,
  timeoutSignal: AbortSignal,
  callerSignal: AbortSignal | null | undefined,
  stage = 'sending the request',
): Error {
  if (callerSignal?.aborted)
    return callerSignal.reason instanceof Error ? callerSignal.reason : new Error('Aborted');
  if (timeoutSignal.aborted) {
    return new TimeoutError({
      message: `${what}: no complete response within ${http.timeoutMs} ms.`,
      cause,
    });
  }
  if (stage === 'reading the response') {
    return new ResponseError({
      message: `${what}: the response was cut off while ${stage}.`,
      cause,
    });
  }
  return new NetworkError({ message: `${what}: the request failed (${reasonOf(cause)}).`, cause });
}

function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : 'network failure';
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function readText(
  response: Response,
  maxBytes: number,
  what: string,
  signal: AbortSignal,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new ResponseError({
      message: `${what}: the response is larger than ${maxBytes} bytes.`,
      status: response.status,
    });
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      // Raced against the signal too: a body stream not tied to it (a custom fetch's) can stall.
      chunk = await untilAborted(reader.read(), signal);
    } catch (cause) {
      await reader.cancel().catch(() => {});
      throw cause;
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ResponseError({
        message: `${what}: the response is larger than ${maxBytes} bytes.`,
        status: response.status,
      });
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ResponseError({
      message: `${what}: the response is not valid UTF-8.`,
      cause,
      status: response.status,
    });
  }
}

/** Parses a body as a JSON object, or throws a {@link ResponseError}. */
export function parseJsonObject(response: ReadResponse, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(response.text);
  } catch (cause) {
    throw new ResponseError({
      message: `${what}: the response is not JSON (HTTP ${response.status}).`,
      cause,
      status: response.status,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResponseError({
      message: `${what}: the response is not a JSON object (HTTP ${response.status}).`,
      status: response.status,
    });
  }
  return value as Record<string, unknown>;
}

/**
 * The typed error for a non-2xx response: an {@link OAuthError} (or {@link MfaRequiredError})
 * when the body is an OAuth error object, an {@link HttpError} otherwise (a 5xx page, a bare 404).
 */
export function errorFromResponse(response: ReadResponse, what: string): Error {
  let body: Record<string, unknown> | undefined;
  try {
    body = parseJsonObject(response, what);
  } catch {
    body = undefined;
  }
  const error = body?.error;
  if (body && typeof error === 'string' && error.length > 0) {
    const description =
      typeof body.error_description === 'string' ? body.error_description : undefined;
    if (error === 'mfa_required' && typeof body.mfa_token === 'string') {
      return new MfaRequiredError({
        message: description,
        mfa_token: body.mfa_token,
        mfa_requirements: body.mfa_requirements as MfaRequirements | undefined,
      });
    }
    return new OAuthError({ error, message: description, status: response.status });
  }
  return new HttpError({
    status: response.status,
    message: `${what}: the server answered HTTP ${response.status}.`,
  });
}

/** `true` for 2xx statuses. */
export function isOk(response: ReadResponse): boolean {
  return response.status >= 200 && response.status < 300;
}
