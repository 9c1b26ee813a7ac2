import { expect, test } from 'vitest';
import { FETCH_ERROR_HEADER } from '../../src/rpc/fetch-marker.js';
import { withoutErrorHeader } from '../../worker/error-header.js';

// Only the worker may tell fetchWithAuth "this failed with LoginRequiredError": an API that
// sends (and CORS-exposes) the same header must not forge typed errors on the page.
test('an API response loses a forged x-auth0-enclave-error header, and keeps everything else', async () => {
  const forged = new Response('{"ok":true}', {
    status: 201,
    statusText: 'Created',
    headers: {
      [FETCH_ERROR_HEADER]: 'forged',
      'x-other': 'kept',
      'content-type': 'application/json',
    },
  });
  const cleaned = withoutErrorHeader(forged);
  expect(cleaned.headers.has(FETCH_ERROR_HEADER)).toBe(false);
  expect(cleaned.headers.get('x-other')).toBe('kept');
  expect(cleaned.status).toBe(201);
  expect(cleaned.statusText).toBe('Created');
  expect(await cleaned.json()).toEqual({ ok: true });
});

test('a response without it is passed through untouched (same object)', () => {
  const plain = new Response('x');
  expect(withoutErrorHeader(plain)).toBe(plain);
});
