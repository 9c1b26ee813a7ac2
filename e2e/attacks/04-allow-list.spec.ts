import type { Page } from '@playwright/test';
import { apiAdmin } from '../support/admin-clients.js';
import { type Recorder, startRecorder, tapNetwork } from '../support/attacker.js';
import { API_URL, OTHER_ORIGIN_API_URL, TENANT_URL, type Variant } from '../support/environment.js';
import { callApi, expect, login, test } from '../support/fixtures.js';

// THREATS 4 — the allow-list entry is `http://localhost:4401/api`. A request gets credentials
// only when its *parsed* URL has exactly that scheme, host and port and a path under `/api` on a
// `/` boundary. X tries every spelling it can think of; the API's request log (and the
// recorder, for other ports) says which requests arrived with an Authorization header.

test('THREATS 4: a request to an origin that is not on the allow-list carries no credentials', async ({
  page,
}) => {
  await login(page, 'dpop');
  // Same server, another origin (127.0.0.1 is not localhost): not on the allow-list.
  const other = OTHER_ORIGIN_API_URL;
  const plain = await callApi(page, `${other}/api/echo`, { plain: true });
  expect(plain).toMatchObject({ status: 200 });
  const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
  expect(headers.authorization).toBeUndefined();
  expect(headers.dpop).toBeUndefined();
  // fetchWithAuth refuses it outright.
  expect(await callApi(page, `${other}/api/echo`)).toMatchObject({
    error: { name: 'NotAllowedError', code: 'not_allowed' },
  });
});

interface Case {
  label: string;
  url: string;
  method?: string;
  xhr?: boolean;
  /** Whether the request must arrive with credentials. */
  credentialed: boolean;
}

const api = API_URL; // http://localhost:4401
const CASES = (recorder: string): Case[] => [
  // On the list, however it is spelled: matching is on the parsed URL.
  { label: 'the entry itself', url: `${api}/api`, credentialed: true },
  { label: 'the entry with a slash', url: `${api}/api/`, credentialed: true },
  { label: 'a path under it', url: `${api}/api/me`, credentialed: true },
  { label: 'query and fragment', url: `${api}/api/echo?x=1#frag`, credentialed: true },
  { label: 'host in capitals', url: 'http://LOCALHOST:4401/api/echo', credentialed: true },
  { label: 'scheme in capitals', url: 'HTTP://localhost:4401/api/echo', credentialed: true },
  { label: 'port with a leading zero', url: 'http://localhost:04401/api/echo', credentialed: true },
  { label: 'a dot segment inside', url: `${api}/api/./echo`, credentialed: true },
  { label: 'a dot segment before', url: `${api}/./api/echo`, credentialed: true },
  { label: 'climbing into it', url: `${api}/x/../api/echo`, credentialed: true },
  { label: 'a backslash', url: `${api}/api\\echo`, credentialed: true },
  // An encoded slash stays inside its segment for the browser, but a server that decodes before
  // routing reads /api/../x = /x: ambiguous paths get nothing (THREATS 24).
  { label: 'encoded dots and slash inside', url: `${api}/api/..%2fx`, credentialed: false },
  // Not on the list.
  { label: 'a longer first segment', url: `${api}/apix`, credentialed: false },
  { label: 'a dotted first segment', url: `${api}/api.evil`, credentialed: false },
  { label: 'a dashed first segment', url: `${api}/api-v2/echo`, credentialed: false },
  { label: 'path in capitals', url: `${api}/API/echo`, credentialed: false },
  { label: 'path capitalised', url: `${api}/Api`, credentialed: false },
  { label: 'climbing out', url: `${api}/api/../__admin/requests`, credentialed: false },
  { label: 'climbing out, encoded', url: `${api}/api/%2e%2e/echo`, credentialed: false },
  { label: 'climbing out, half encoded', url: `${api}/api/.%2E/echo`, credentialed: false },
  { label: 'an encoded slash', url: `${api}/api%2Fecho`, credentialed: false },
  { label: 'an encoded letter', url: `${api}/%61pi/echo`, credentialed: false },
  { label: 'a double slash', url: `${api}//api/echo`, credentialed: false },
  { label: 'a path parameter', url: `${api}/api;x/echo`, credentialed: false },
  { label: 'an encoded NUL', url: `${api}/api%00/echo`, credentialed: false },
  {
    label: '127.0.0.1 for localhost',
    url: `${OTHER_ORIGIN_API_URL}/api/echo`,
    credentialed: false,
  },
  { label: 'a hexadecimal IP', url: 'http://0x7f000001:4401/api/echo', credentialed: false },
  { label: 'IPv6 loopback', url: 'http://[::1]:4401/api/echo', credentialed: false },
  { label: 'a trailing dot', url: 'http://localhost.:4401/api/echo', credentialed: false },
  { label: 'the default port', url: 'http://localhost:80/api/echo', credentialed: false },
  { label: 'https', url: 'https://localhost:4401/api/echo', credentialed: false },
  { label: 'another port', url: `${recorder}/api/echo`, credentialed: false },
  { label: 'the tenant port', url: 'http://localhost:4400/api/echo', credentialed: false },
  // Every method of fetch() on a listed URL gets credentials — and only there.
  ...['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map((method) => ({
    label: `${method} on the list`,
    url: `${api}/api/echo`,
    method,
    credentialed: true,
  })),
  ...['POST', 'DELETE', 'OPTIONS'].map((method) => ({
    label: `${method} off the list`,
    url: `${api}/apix`,
    method,
    credentialed: false,
  })),
  { label: 'XHR on the list', url: `${api}/api/echo`, xhr: true, credentialed: true },
  { label: 'XHR off the list', url: `${api}/api.evil`, xhr: true, credentialed: false },
];

/** Sends one request from page script: plain fetch()/XHR, or fetchWithAuth. */
function send(page: Page, request: Case, strict: boolean): Promise<string | number> {
  return page.evaluate(
    async ({ url, method, xhr, strict }) => {
      const auth0 = window.auth0;
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
    { url: request.url, method: request.method, xhr: request.xhr ?? false, strict },
  );
}

test.describe('every spelling', () => {
  // The page's CSP would stop most of these before the worker sees them (connect-src names the
  // API's two origins only); bypassed so that the worker itself is what is tested.
  test.use({ bypassCSP: true });
  let recorder: Recorder;
  test.beforeAll(async () => {
    recorder = await startRecorder();
  });
  test.afterAll(async () => {
    await recorder.close();
  });

  for (const variant of ['dpop', 'bearer'] as Variant[]) {
    test(`THREATS 4: ${variant}: credentials go exactly to the parsed URLs under the entry, for every method, and nowhere else`, async ({
      page,
      context,
    }) => {
      const wire = tapNetwork(context, ['http', 'HTTP']);
      await login(page, variant);
      const cases = CASES(recorder.origin);
      const carried: Record<string, boolean> = {};
      const arrived: Record<string, boolean> = {};
      const refused: Record<string, string | number> = {};
      for (const request of cases) {
        await apiAdmin.clearRequests();
        recorder.clear();
        await send(page, request, false);
        const log = await apiAdmin.requests();
        carried[request.label] =
          log.some((entry) => entry.authScheme !== null || entry.dpopJti !== undefined) ||
          recorder.credentialed().length > 0;
        arrived[request.label] = log.length > 0 || recorder.requests().length > 0;

        // fetchWithAuth fails closed off the list: a typed error, and nothing is sent at all.
        await apiAdmin.clearRequests();
        recorder.clear();
        const strict = await send(page, request, true);
        refused[request.label] = request.credentialed ? 'sent' : strict;
        if (!request.credentialed) {
          expect(await apiAdmin.requests(), request.label).toEqual([]);
          expect(recorder.requests(), request.label).toEqual([]);
        } else expect(typeof strict, `${request.label}: ${strict}`).toBe('number');
      }
      // Exactly the listed ones carried credentials.
      expect(carried).toEqual(
        Object.fromEntries(cases.map((request) => [request.label, request.credentialed])),
      );
      // And the test is not vacuous: the listed ones, and every unlisted one that names a
      // reachable server, did arrive (bare).
      const unreachable = ['IPv6 loopback', 'the default port', 'https', 'the tenant port'];
      const climbsToAdmin = 'climbing out'; // /__admin/* is not in the API's own log
      for (const request of cases) {
        if (unreachable.includes(request.label) || request.label === climbsToAdmin) continue;
        if (request.label === 'a trailing dot' && !arrived[request.label]) continue;
        expect(arrived[request.label], `${request.label} arrived`).toBe(true);
      }
      expect(
        Object.entries(refused)
          .filter(([, outcome]) => outcome !== 'sent')
          .every(([, outcome]) => outcome === 'NotAllowedError'),
        JSON.stringify(refused),
      ).toBe(true);

      // On the wire: every request that carried a credential header was the worker's own, to a
      // URL under the entry — whatever the page had written. (The worker's own DPoP proofs to the
      // tenant's token endpoint are the one other kind.)
      const credentialed = wire().filter(
        (entry) =>
          (entry.authorization || entry.dpop) &&
          !(entry.fromWorker && entry.url === `${TENANT_URL}/oauth/token` && !entry.authorization),
      );
      expect(credentialed.length).toBeGreaterThan(0);
      for (const entry of credentialed) {
        const url = new URL(entry.url);
        expect(entry.fromWorker, entry.url).toBe(true);
        expect(url.origin, entry.url).toBe(API_URL);
        expect(url.pathname === '/api' || url.pathname.startsWith('/api/'), entry.url).toBe(true);
      }
      // "climbing out" reached /__admin/requests (resolved by the URL parser) without credentials.
      const admin = wire().filter((entry) => new URL(entry.url).pathname === '/__admin/requests');
      expect(admin.filter((entry) => !entry.fromWorker).length).toBeGreaterThan(0);
      expect(admin.filter((entry) => entry.authorization || entry.dpop)).toEqual([]);
    });
  }
});
