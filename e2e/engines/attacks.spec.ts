import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { type CustomApp, startCustomApp } from '../support/custom-app.js';
import { API_URL, OTHER_ORIGIN_API_URL } from '../support/environment.js';
import { callApi, login } from './app.js';
import type { Tab } from './driver.js';
import { expect, test } from './fixtures.js';
import { pollUntil } from './poll.js';
import {
  loginAndSteal,
  redeemWithOwnProof,
  sweep,
  TOKEN_ENDPOINT_SPELLINGS,
} from './token-endpoint-attacks.js';

// The allow-list (THREATS 4), redirect (5), navigation/no-cors (6) and token-endpoint (7)
// attacks in every engine. The Chromium suite (e2e/attacks) bypasses the page's CSP to give
// each attack every chance; WebDriver BiDi and classic WebDriver cannot, so here the page's CSP
// stands and the attacks use what it lets through — which is what a real XSS would have. For
// THREATS 4–6 that is the sample app's recommended CSP (connect-src: the app and the API's two
// origins); THREATS 7 runs on an app whose page CSP also lists the tenant, to test the worker's
// own refusal (page-csp.spec.ts: the recommended CSP refuses it all first). The servers' logs
// say what arrived.

/** Sends one request from page script: plain fetch()/XHR, or fetchWithAuth; its status or error. */
function send(
  tab: Tab,
  request: { url: string; method?: string; xhr?: boolean },
  strict: boolean,
): Promise<string | number> {
  return tab.evaluate(
    async ({ url, method, xhr, strict }) => {
      const auth0 = (
        window as unknown as {
          auth0: { fetchWithAuth(input: string, init?: RequestInit): Promise<Response> };
        }
      ).auth0;
      try {
        if (xhr && !strict) {
          return await new Promise<number>((resolve, reject) => {
            const request = new XMLHttpRequest();
            request.open(method ?? 'GET', url);
            request.onload = () => resolve(request.status);
            request.onerror = () => reject(new TypeError('XHR failed'));
            request.send();
          });
        }
        const init = method ? { method, ...(method === 'POST' ? { body: '{}' } : {}) } : {};
        const response = strict ? await auth0.fetchWithAuth(url, init) : await fetch(url, init);
        return response.status;
      } catch (error) {
        return (error as Error).name;
      }
    },
    { url: request.url, method: request.method ?? null, xhr: request.xhr ?? false, strict },
  );
}

const api = API_URL; // http://localhost:4401, allow-list entry http://localhost:4401/api
const ALLOW_LIST_CASES: {
  label: string;
  url: string;
  method?: string;
  xhr?: boolean;
  on: boolean;
}[] = [
  { label: 'the entry itself', url: `${api}/api`, on: true },
  { label: 'a path under it', url: `${api}/api/me`, on: true },
  { label: 'query and fragment', url: `${api}/api/echo?x=1#frag`, on: true },
  { label: 'host in capitals', url: 'http://LOCALHOST:4401/api/echo', on: true },
  { label: 'a dot segment before', url: `${api}/./api/echo`, on: true },
  { label: 'climbing into it', url: `${api}/x/../api/echo`, on: true },
  { label: 'a backslash', url: `${api}/api\\echo`, on: true },
  { label: 'POST on the list', url: `${api}/api/echo`, method: 'POST', on: true },
  { label: 'DELETE on the list', url: `${api}/api/echo`, method: 'DELETE', on: true },
  { label: 'XHR on the list', url: `${api}/api/echo`, xhr: true, on: true },
  { label: 'a longer first segment', url: `${api}/apix`, on: false },
  { label: 'a dotted first segment', url: `${api}/api.evil`, on: false },
  { label: 'path in capitals', url: `${api}/API/echo`, on: false },
  { label: 'climbing out, encoded', url: `${api}/api/%2e%2e/echo`, on: false },
  { label: 'an encoded slash', url: `${api}/api%2Fecho`, on: false },
  { label: 'a double slash', url: `${api}//api/echo`, on: false },
  { label: '127.0.0.1 for localhost', url: `${OTHER_ORIGIN_API_URL}/api/echo`, on: false },
  { label: 'POST off the list', url: `${api}/apix`, method: 'POST', on: false },
  { label: 'XHR off the list', url: `${api}/api.evil`, xhr: true, on: false },
];

test('THREATS 4: credentials go exactly to the parsed URLs under the allow-list entry; fetchWithAuth refuses the rest and sends nothing', async ({
  session,
}) => {
  const tab = await session.newTab();
  await login(tab, 'dpop');
  const carried: Record<string, boolean> = {};
  for (const request of ALLOW_LIST_CASES) {
    await apiAdmin.clearRequests();
    await send(tab, request, false);
    const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
    // Not vacuous: every one of them reached the API (127.0.0.1 is the same server).
    expect(log.length, `${request.label} arrived`).toBeGreaterThan(0);
    carried[request.label] = log.some((entry) => entry.authScheme !== null || entry.dpopJti);

    await apiAdmin.clearRequests();
    const strict = await send(tab, request, true);
    if (request.on) expect(typeof strict, `${request.label}: ${strict}`).toBe('number');
    else {
      expect(strict, request.label).toBe('NotAllowedError');
      expect(await apiAdmin.requests(), request.label).toEqual([]);
    }
  }
  expect(carried).toEqual(
    Object.fromEntries(ALLOW_LIST_CASES.map((request) => [request.label, request.on])),
  );
});

test('THREATS 5: no 3xx from an allow-listed URL is followed with credentials — to another origin or to an allow-listed URL', async ({
  session,
}) => {
  const tab = await session.newTab();
  await login(tab, 'dpop');
  await apiAdmin.clearRequests();
  let sequence = 0;
  const outcomes: Record<string, unknown> = {};
  for (const status of [301, 302, 303, 307, 308]) {
    for (const [name, to] of [
      ['127.0.0.1', `${OTHER_ORIGIN_API_URL}/api/echo`],
      ['allow-listed', `${API_URL}/api/echo`],
    ]) {
      for (const strict of [false, true]) {
        // Unique URLs: the HTTP cache keeps 301 and 308 answers.
        const url = `${API_URL}/api/redirect?to=${encodeURIComponent(to as string)}&status=${status}&n=${sequence++}`;
        outcomes[`${status} to ${name} ${strict ? 'fetchWithAuth' : 'fetch'}`] = await tab.evaluate(
          async ({ url, strict }) => {
            const auth0 = (
              window as unknown as { auth0: { fetchWithAuth(input: string): Promise<Response> } }
            ).auth0;
            try {
              const response = strict ? await auth0.fetchWithAuth(url) : await fetch(url);
              return { type: response.type, status: response.status };
            } catch (caught) {
              const error = caught as { name: string; code?: string; status?: number };
              return { error: error.name, code: error.code ?? null, status: error.status ?? null };
            }
          },
          { url, strict },
        );
      }
    }
  }
  for (const [what, outcome] of Object.entries(outcomes)) {
    expect(outcome, what).toEqual(
      what.endsWith('fetchWithAuth')
        ? { error: 'HttpError', code: 'http_error', status: 502 }
        : { error: 'TypeError', code: null, status: null },
    );
  }
  // The redirecting requests carried the token; nothing followed them.
  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(log.map((entry) => entry.path)).toEqual(Array(sequence).fill('/api/redirect'));
  expect(log.every((entry) => entry.authScheme === 'DPoP')).toBe(true);
});

test('THREATS 6: no-cors fetches, beacons, keepalive, window.open and a top-level navigation from the app page get no credentials', async ({
  session,
}) => {
  const tab = await session.newTab();
  await login(tab, 'dpop');
  await apiAdmin.clearRequests();
  const labels = [
    'no-cors',
    'no-cors-post',
    'no-cors-credentials',
    'beacon-text',
    'beacon-form',
    'beacon-json',
    'keepalive',
    'window-open',
    'top-level',
  ];
  await tab.evaluate(async (api) => {
    const url = (label: string) => `${api}/api/probe/${label}`;
    await fetch(url('no-cors'), { mode: 'no-cors' }).catch(() => undefined);
    await fetch(url('no-cors-post'), { mode: 'no-cors', method: 'POST', body: 'a=b' }).catch(
      () => undefined,
    );
    await fetch(url('no-cors-credentials'), { mode: 'no-cors', credentials: 'include' }).catch(
      () => undefined,
    );
    navigator.sendBeacon(url('beacon-text'), 'a=b');
    navigator.sendBeacon(url('beacon-form'), new URLSearchParams({ a: 'b' }));
    navigator.sendBeacon(url('beacon-json'), new Blob(['{}'], { type: 'application/json' }));
    await fetch(url('keepalive'), { keepalive: true }).catch(() => undefined);
    // window.open from a real click: classic WebDriver's scripts carry no user activation, and
    // WebKit blocks a popup without one.
    const opener = document.createElement('button');
    opener.id = 'open-probe';
    opener.textContent = 'open';
    opener.onclick = () => void window.open(url('window-open'));
    document.body.append(opener);
  }, API_URL);
  await tab.click('#open-probe');
  await tab.evaluate((target) => {
    location.href = target;
  }, `${API_URL}/api/probe/top-level`);
  const probes = () =>
    apiAdmin.requests().then((log) => log.filter((entry) => entry.path.startsWith('/api/probe/')));
  await pollUntil(
    async () => (await probes()).map((entry) => entry.path.slice('/api/probe/'.length)),
    (seen) => labels.every((label) => seen.includes(label)),
    { what: 'every probe to reach the API' },
  );
  // A request the worker sent itself arrives after its CORS preflight: give it the time.
  await new Promise((resolve) => setTimeout(resolve, 750));
  const credentialed = (await probes()).filter(
    (entry) => entry.authScheme !== null || entry.dpopJti,
  );
  expect(credentialed).toEqual([]);
});

/** Nothing reached the tenant, page script got only refusals, and the session is undisturbed. */
async function expectNothingReachedTheTenant(
  tab: Tab,
  outcomes: Record<string, unknown>,
): Promise<void> {
  // The decisive part: not one of them arrived at the tenant.
  expect(await tenantAdmin.requests()).toEqual([]);
  for (const [what, outcome] of Object.entries(outcomes)) {
    if (what.startsWith('beacon')) continue; // sendBeacon only says whether it queued
    expect([403, 'opaque', 'TypeError', 'error'], `${what} → ${String(outcome)}`).toContain(
      outcome,
    );
  }
  expect(
    (await tenantAdmin.tokens()).refreshTokens.filter((token) => token.status === 'revoked'),
  ).toEqual([]);
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
}

/**
 * The worker's own defence at the token endpoint, with the page's CSP out of the way: an app
 * whose page `connect-src` lists the authorization server (what SECURITY.md warns against), so
 * page script's requests reach the worker — or, where the engine sends them past it, the
 * network. Under the recommended CSP the page cannot send them at all (page-csp.spec.ts).
 * Apps of the cross-engine suite use 4465–4469 (e2e/support/environment.ts).
 */
test.describe('THREATS 7 without the recommended page CSP (port 4466: connect-src lists the tenant)', () => {
  const PORT = 4466;
  const CLIENT_ID = `attack-${PORT}`;
  let app: CustomApp;
  test.beforeAll(async () => {
    app = await startCustomApp(PORT, {}, {}, { unsafePageConnectsToAuthorizationServer: true });
  });
  test.afterAll(() => app.close());

  test('THREATS 7: page fetch, XHR, no-cors and a dedicated worker to the token, revocation and PAR endpoints, however spelled, never reach the tenant', async ({
    session,
  }) => {
    const tab = await session.newTab();
    const stolen = await loginAndSteal(tab, app.origin);
    const { results } = await sweep(tab, 'ordinary', { stolen, clientId: CLIENT_ID });
    // The worker saw them and refused them: the CSP did not.
    const refusedByWorker = Object.values(results).filter((outcome) => outcome === 403);
    expect(refusedByWorker.length).toBeGreaterThan(TOKEN_ENDPOINT_SPELLINGS.length * 2);
    await expectNothingReachedTheTenant(tab, results);
  });

  /**
   * Measured in Firefox 153 ESR: keepalive fetches and beacons are not dispatched to the service
   * worker — they reach the tenant as the page wrote them (WebKitGTK 2.50 and Chromium 156
   * dispatch them, and the worker refuses them). The worker cannot refuse what it never sees;
   * this is the hole the recommended page CSP closes, asserted so that the day Firefox routes
   * them through the worker this test turns red and the note can go.
   */
  test('THREATS 7: keepalive fetches and beacons to the token, revocation and PAR endpoints — the worker refuses them; Firefox sends them past it', async ({
    session,
  }) => {
    const tab = await session.newTab();
    const stolen = await loginAndSteal(tab, app.origin);
    const { results } = await sweep(tab, 'keepalive', { stolen, clientId: CLIENT_ID });
    if (session.engine !== 'firefox') {
      await expectNothingReachedTheTenant(tab, results);
      return;
    }
    const arrived = new Set((await tenantAdmin.requests()).map((entry) => entry.path));
    expect([...arrived]).toEqual(expect.arrayContaining(['/oauth/token', '/oauth/revoke']));
  });

  test('THREATS 7: X signs its own DPoP proof with the stored (non-extractable) key and redeems the stored refresh token — the worker refuses plain and keepalive fetch; Firefox sends the keepalive one past it and X gets tokens', async ({
    session,
  }) => {
    const tab = await session.newTab();
    await loginAndSteal(tab, app.origin);
    const { results } = await redeemWithOwnProof(tab, CLIENT_ID);
    const redeemed = (await tenantAdmin.refreshRequests()).filter((entry) => entry.status === 200);
    expect(results.fetch).toBe('403');
    if (session.engine !== 'firefox') {
      expect(String(results.keepalive)).toMatch(/^(403|TypeError)$/);
      expect(await tenantAdmin.requests()).toEqual([]);
      return;
    }
    expect(results.keepalive).toBe('200 TOKENS');
    expect(redeemed).toHaveLength(1);
  });
});
