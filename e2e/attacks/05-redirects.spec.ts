import type { Page } from '@playwright/test';
import { apiAdmin } from '../support/admin-clients.js';
import { type Recorder, startRecorder, tapNetwork } from '../support/attacker.js';
import { API_URL, OTHER_ORIGIN_API_URL, type Variant } from '../support/environment.js';
import { expect, login, openApp, test } from '../support/fixtures.js';

// THREATS 5 — an allow-listed URL answers with a redirect (every 3xx kind; 307/308 replay the
// method and body). The worker must not follow it with the token: not to another origin, not to
// another allow-listed URL. The targets' logs say whether anything arrived.

const STATUSES = [301, 302, 303, 307, 308];

/** Calls `/api/redirect` from the page; what page script got back. */
let sequence = 0;
function redirectFrom(
  page: Page,
  options: { to: string; status: number; strict: boolean; init?: RequestInit },
): Promise<unknown> {
  // Unique URLs: the browser's HTTP cache keeps 301 and 308 answers, and a cached redirect would
  // not show in the API's log.
  const url = `${API_URL}/api/redirect?to=${encodeURIComponent(options.to)}&status=${options.status}&n=${sequence++}`;
  return page.evaluate(
    async ({ url, strict, init }) => {
      const auth0 = window.auth0;
      try {
        const response = strict ? await auth0.fetchWithAuth(url, init) : await fetch(url, init);
        return { type: response.type, status: response.status, url: response.url };
      } catch (caught) {
        const error = caught as { name: string; code?: string; status?: number };
        return { error: error.name, code: error.code, status: error.status };
      }
    },
    { url, strict: options.strict, init: options.init },
  );
}

let recorder: Recorder;
test.beforeAll(async () => {
  recorder = await startRecorder();
});
test.afterAll(async () => {
  await recorder.close();
});

// The recorder is on another port of localhost, which the page's CSP does not list; the worker
// would have to follow the redirect for the page's CSP to matter, so it is bypassed to give the
// attack every chance.
test.use({ bypassCSP: true });

for (const variant of ['dpop', 'bearer'] as Variant[]) {
  test(`THREATS 5: ${variant}: no 3xx from an allow-listed URL is followed with credentials — to another origin or to an allow-listed URL`, async ({
    page,
  }) => {
    await login(page, variant);
    // The worker's own CSP (connect-src: the tenant and the API's two origins) would stop it
    // reaching the recorder even if it followed; 127.0.0.1 and the API itself it could reach.
    const targets = {
      'another origin': `${recorder.origin}/steal`,
      'the same API under 127.0.0.1': `${OTHER_ORIGIN_API_URL}/api/echo`,
      'an allow-listed URL': `${API_URL}/api/echo`,
    };
    await apiAdmin.clearRequests();
    recorder.clear();
    for (const status of STATUSES) {
      for (const [name, to] of Object.entries(targets)) {
        for (const init of [{}, { method: 'POST', body: 'secret=1' }] as RequestInit[]) {
          const what = `${status} to ${name}${init.method ? ' (POST)' : ''}`;
          // A plain fetch(): the redirect is a network error for the page.
          expect(await redirectFrom(page, { to, status, strict: false, init }), what).toEqual({
            error: 'TypeError',
          });
          // fetchWithAuth: a typed error.
          expect(await redirectFrom(page, { to, status, strict: true, init }), what).toEqual({
            error: 'HttpError',
            code: 'http_error',
            status: 502,
          });
        }
      }
    }
    // The redirecting requests themselves were allow-listed, and carried the token…
    const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
    const redirects = log.filter((entry) => entry.path === '/api/redirect');
    expect(redirects.length).toBeGreaterThanOrEqual(STATUSES.length * 3 * 2 * 2);
    expect(new Set(redirects.map((entry) => entry.status))).toEqual(new Set(STATUSES));
    expect(
      redirects.every((entry) => entry.authScheme === (variant === 'dpop' ? 'DPoP' : 'Bearer')),
    ).toBe(true);
    // …and nothing followed them: no request reached a target, with or without credentials.
    expect(log.filter((entry) => entry.path !== '/api/redirect')).toEqual([]);
    expect(recorder.requests()).toEqual([]);
  });
}

test("THREATS 5: the page's own redirect modes ('manual', 'error', 'follow') do not make the worker follow either", async ({
  page,
  context,
}) => {
  const wire = tapNetwork(context, [recorder.origin, OTHER_ORIGIN_API_URL]);
  await login(page, 'dpop');
  await apiAdmin.clearRequests();
  recorder.clear();
  const outcomes: Record<string, unknown> = {};
  for (const redirect of ['manual', 'error', 'follow'] as const) {
    for (const status of [302, 307]) {
      for (const strict of [false, true]) {
        outcomes[`${redirect} ${status} ${strict ? 'fetchWithAuth' : 'fetch'}`] =
          await redirectFrom(page, {
            to: `${recorder.origin}/steal`,
            status,
            strict,
            init: { redirect },
          });
      }
    }
  }
  // Measured: the worker answers a network error to fetch() whatever the page's mode (it does
  // not hand the page an opaque redirect to follow itself), and a typed error to fetchWithAuth.
  for (const [what, outcome] of Object.entries(outcomes)) {
    expect(outcome, what).toEqual(
      what.endsWith('fetchWithAuth')
        ? { error: 'HttpError', code: 'http_error', status: 502 }
        : { error: 'TypeError' },
    );
  }
  expect(recorder.requests()).toEqual([]);
  expect(wire().filter((entry) => entry.authorization || entry.dpop)).toEqual([]);
  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(log.map((entry) => entry.path)).toEqual(Array(12).fill('/api/redirect'));
});

test('THREATS 5: logged out, a plain fetch of a redirecting allow-listed URL is not followed either', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  await apiAdmin.clearRequests();
  recorder.clear();
  for (const status of STATUSES) {
    expect(
      await redirectFrom(page, { to: `${recorder.origin}/steal`, status, strict: false }),
    ).toEqual({ error: 'TypeError' });
    expect(
      await redirectFrom(page, { to: `${recorder.origin}/steal`, status, strict: true }),
    ).toEqual({ error: 'LoginRequiredError', code: 'login_required', status: undefined });
  }
  expect(recorder.requests()).toEqual([]);
  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(log.every((entry) => entry.path === '/api/redirect' && entry.authScheme === null)).toBe(
    true,
  );
  expect(log).toHaveLength(STATUSES.length);
});
