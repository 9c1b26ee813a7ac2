import type { FetchLike } from '../../src/core/http.js';

/** One request the stub received, with its body already read as text. */
export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  init: RequestInit | undefined;
}

/** Answers one request: a Response, or a thrown error to simulate a network failure. */
export type Reply = Response | Error | ((request: RecordedRequest) => Response | Promise<Response>);

/** A `FetchLike` that records every request and answers from a script, in order. */
export interface FetchStub {
  fetch: FetchLike;
  requests: RecordedRequest[];
  /** Adds replies to the end of the script. */
  push(...replies: Reply[]): void;
}

/**
 * Builds a stub fetch. Replies are used in order; a request with no reply left fails the test
 * loudly (a `TypeError`, which the SDK reports as a `NetworkError`) and is still recorded.
 */
export function createFetchStub(...replies: Reply[]): FetchStub {
  const script = [...replies];
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body;
    const request: RecordedRequest = {
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: typeof body === 'string' ? body : body == null ? undefined : String(body),
      init,
    };
    requests.push(request);
    const reply = script.shift();
    if (reply === undefined) throw new TypeError(`fetch-stub: no reply scripted for ${url}`);
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(request);
    return reply;
  };
  return { fetch, requests, push: (...more) => script.push(...more) };
}

/** A JSON response. */
export function jsonResponse(
  body: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
}

/** A fetch that never settles on its own, but rejects like the platform's when aborted. */
export const hangingFetch: FetchLike = (_input, init) =>
  new Promise<Response>((_resolve, reject) => {
    const signal = init?.signal;
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** A fetch that never settles and ignores its signal (a careless custom fetch). */
export const deafFetch: FetchLike = () => new Promise<Response>(() => {});
