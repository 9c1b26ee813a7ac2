import { describe, expect, test } from 'vitest';
import {
  EnclaveError,
  HttpError,
  MfaRequiredError,
  NetworkError,
  OAuthError,
  ResponseError,
  TimeoutError,
} from '../../src/core/errors.js';
import {
  errorFromResponse,
  type FetchLike,
  type HttpConfig,
  isOk,
  parseJsonObject,
  type ReadResponse,
  send,
} from '../../src/core/http.js';
import {
  createFetchStub,
  deafFetch,
  hangingFetch,
  jsonResponse,
  type Reply,
} from '../helpers/fetch-stub.js';

const URL_ = 'https://as.example/oauth/token';

function config(fetch: FetchLike, overrides: Partial<HttpConfig> = {}): HttpConfig {
  return { fetch, timeoutMs: 2_000, maxResponseBytes: 4096, ...overrides };
}

function sendWith(reply: Reply, overrides: Partial<HttpConfig> = {}) {
  const stub = createFetchStub(reply);
  const result = send(config(stub.fetch, overrides), URL_, { method: 'GET', what: 'Test' });
  return { stub, result };
}

/** A body stream that counts pulls and cancellation; `chunk(n)` decides what the n-th pull gives. */
function countingStream(chunk: (pull: number) => Uint8Array | 'error' | 'stall' | 'end') {
  const state = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunk(state.pulls++);
        if (next === 'error') controller.error(new TypeError('connection reset'));
        else if (next === 'end') controller.close();
        else if (next === 'stall') return new Promise<void>(() => {});
        else controller.enqueue(next);
        return undefined;
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe('send', () => {
  test('reads the body and status, merges configured headers, asks not to follow redirects', async () => {
    const { stub, result } = sendWith(jsonResponse({ ok: true }, { status: 201 }), {
      headers: { 'auth0-client': 'abc', accept: 'text/plain' },
    });
    const response = await result;
    expect(response.status).toBe(201);
    expect(response.text).toBe('{"ok":true}');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(stub.requests).toHaveLength(1);
    const request = stub.requests[0];
    expect(request?.init?.redirect).toBe('manual');
    expect(request?.init?.signal).toBeInstanceOf(AbortSignal);
    expect(request?.headers.get('auth0-client')).toBe('abc');
  });

  test('per-request headers win over configured ones', async () => {
    const stub = createFetchStub(jsonResponse({}));
    await send(config(stub.fetch, { headers: { accept: 'text/plain' } }), URL_, {
      method: 'GET',
      headers: { accept: 'application/json' },
      what: 'Test',
    });
    expect(stub.requests[0]?.headers.get('accept')).toBe('application/json');
  });

  test('an empty body reads as an empty string', async () => {
    const { result } = sendWith(new Response(null, { status: 204 }));
    expect((await result).text).toBe('');
  });

  test('a fetch that never answers is a TimeoutError', async () => {
    const attempt = send(config(hangingFetch, { timeoutMs: 30 }), URL_, {
      method: 'GET',
      what: 'Test',
    });
    await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
    await expect(
      send(config(hangingFetch, { timeoutMs: 30 }), URL_, { method: 'GET', what: 'Test' }),
    ).rejects.toMatchObject({ code: 'timeout', error: 'timeout' });
  });

  test('a fetch that never settles and ignores its signal is still a TimeoutError', async () => {
    const attempt = send(config(deafFetch, { timeoutMs: 30 }), URL_, {
      method: 'GET',
      what: 'Test',
    });
    await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
  });

  test('a body that stalls is a TimeoutError, and its stream is cancelled', async () => {
    const { stream, state } = countingStream((pull) =>
      pull === 0 ? new TextEncoder().encode('{"a"') : 'stall',
    );
    const { result } = sendWith(new Response(stream), { timeoutMs: 50 });
    await expect(result).rejects.toBeInstanceOf(TimeoutError);
    await expect(result).rejects.toMatchObject({ code: 'timeout' });
    expect(state.cancelled).toBe(true);
  });

  test('a caller abort rejects with the caller reason, not a TimeoutError', async () => {
    const controller = new AbortController();
    const attempt = send(config(hangingFetch, { timeoutMs: 5_000 }), URL_, {
      method: 'GET',
      signal: controller.signal,
      what: 'Test',
    });
    setTimeout(() => controller.abort(), 10);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).not.toBeInstanceOf(EnclaveError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  test('an already-aborted caller signal is not a TimeoutError either', async () => {
    const reason = new Error('user left');
    const error = await send(config(hangingFetch), URL_, {
      method: 'GET',
      signal: AbortSignal.abort(reason),
      what: 'Test',
    }).catch((e: unknown) => e);
    expect(error).toBe(reason);
  });

  test('a network failure is a NetworkError keeping the cause', async () => {
    const cause = new TypeError('fetch failed');
    const { result } = sendWith(cause);
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'network_error', error: 'network_error', cause });
  });

  test('a response declared larger than the limit is refused before reading', async () => {
    const { stream, state } = countingStream(() => new Uint8Array(1024));
    const { result } = sendWith(
      new Response(stream, { headers: { 'content-length': String(10_000) } }),
    );
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({ code: 'invalid_response', status: 200 });
    expect(state.pulls).toBe(0);
    expect(state.cancelled).toBe(true);
  });

  test('a streamed body over the limit is refused and reading stops', async () => {
    const { stream, state } = countingStream(() => new Uint8Array(1024));
    const { result } = sendWith(new Response(stream), { maxResponseBytes: 4096 });
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({ code: 'invalid_response' });
    expect(state.cancelled).toBe(true);
    expect(state.pulls).toBeLessThanOrEqual(6);
  });

  test('a body of exactly the limit is accepted', async () => {
    const { stream } = countingStream((pull) =>
      pull < 4 ? new Uint8Array(1024).fill(0x61) : 'end',
    );
    const { result } = sendWith(new Response(stream), { maxResponseBytes: 4096 });
    expect((await result).text).toHaveLength(4096);
  });

  test('a body cut off mid-way is a ResponseError', async () => {
    const { stream } = countingStream((pull) =>
      pull === 0 ? new TextEncoder().encode('{"access_tok') : 'error',
    );
    const { result } = sendWith(new Response(stream));
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({ code: 'invalid_response' });
  });

  test('a body that is not UTF-8 is a ResponseError', async () => {
    const { result } = sendWith(new Response(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    await expect(result).rejects.toBeInstanceOf(ResponseError);
    await expect(result).rejects.toMatchObject({ code: 'invalid_response' });
  });

  test.each([301, 302, 303, 307, 308])(
    'a %i is an HttpError and is not followed',
    async (status) => {
      const { stub, result } = sendWith(
        new Response(null, { status, headers: { location: 'https://evil.example/steal' } }),
      );
      await expect(result).rejects.toBeInstanceOf(HttpError);
      await expect(result).rejects.toMatchObject({ code: 'http_error', status });
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]?.init?.redirect).toBe('manual');
    },
  );

  test('an opaque redirect (what browsers give for redirect: manual) is an HttpError', async () => {
    const opaque = new Response(null, { status: 200 });
    Object.defineProperty(opaque, 'type', { value: 'opaqueredirect' });
    const { result } = sendWith(opaque);
    await expect(result).rejects.toBeInstanceOf(HttpError);
  });
});

function read(text: string, status = 200, headers: Record<string, string> = {}): ReadResponse {
  return { status, headers: new Headers(headers), text };
}

describe('parseJsonObject', () => {
  test('parses a JSON object', () => {
    expect(parseJsonObject(read('{"a":1}'), 'Test')).toEqual({ a: 1 });
  });

  test.each([
    ['HTML', '<html>oops</html>'],
    ['empty', ''],
    ['an array', '[1]'],
    ['null', 'null'],
    ['a string', '"x"'],
  ])('%s is a ResponseError', (_label, text) => {
    let error: unknown;
    try {
      parseJsonObject(read(text), 'Test');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
  });
});

describe('errorFromResponse', () => {
  test('an OAuth error body is an OAuthError with status and error', () => {
    const error = errorFromResponse(
      read('{"error":"invalid_grant","error_description":"Bad code"}', 400),
      'Test',
    );
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'oauth_error',
      error: 'invalid_grant',
      error_description: 'Bad code',
      status: 400,
    });
  });

  test('mfa_required is an MfaRequiredError', () => {
    const error = errorFromResponse(
      read(
        JSON.stringify({
          error: 'mfa_required',
          error_description: 'MFA',
          mfa_token: 'mfa-1',
          mfa_requirements: { challenge: [{ type: 'otp' }] },
        }),
        403,
      ),
      'Test',
    );
    expect(error).toBeInstanceOf(MfaRequiredError);
    expect(error).toMatchObject({
      code: 'mfa_required',
      mfa_token: 'mfa-1',
      mfa_requirements: { challenge: [{ type: 'otp' }] },
    });
  });

  test.each([
    ['an HTML 502', '<html>Bad gateway</html>', 502],
    ['JSON without error', '{"message":"nope"}', 500],
    ['an empty error', '{"error":""}', 400],
    ['a bare 404', '', 404],
  ])('%s is an HttpError', (_label, text, status) => {
    const error = errorFromResponse(read(text, status), 'Test');
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ code: 'http_error', status });
  });
});

test('isOk is true for 2xx only', () => {
  expect([199, 200, 204, 299, 300, 400].map((status) => isOk(read('', status)))).toEqual([
    false,
    true,
    true,
    true,
    false,
    false,
  ]);
});
