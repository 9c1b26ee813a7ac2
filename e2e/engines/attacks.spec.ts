import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, OTHER_ORIGIN_API_URL, TENANT_URL } from '../support/environment.js';
import { dumpStorage, vaultStore } from '../support/storage.js';
import { callApi, login } from './app.js';
import type { Tab } from './driver.js';
import { expect, test } from './fixtures.js';
import { pollUntil } from './poll.js';

// The allow-list (THREATS 4), redirect (5), navigation/no-cors (6) and token-endpoint (7)
// attacks in every engine. The Chromium suite (e2e/attacks) bypasses the page's CSP to give
// each attack every chance; WebDriver BiDi and classic WebDriver cannot, so here the page's CSP
// stands (connect-src: the app, the tenant and the API's two origins) and the attacks use what
// it lets through — which is what a real XSS would have. The servers' logs say what arrived.

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

/** Logs in; returns the DPoP-bound refresh token X reads from IndexedDB. */
async function loginAndSteal(tab: Tab): Promise<string> {
  await login(tab, 'dpop');
  const dump = await tab.evaluate(dumpStorage, undefined);
  const stored = vaultStore(dump, 'session')[0]?.value as {
    refreshTokens: Record<string, { token: string }>;
  };
  const stolen = Object.values(stored.refreshTokens)[0]?.token as string;
  expect(stolen).toBeTruthy();
  await tenantAdmin.clearRequests();
  return stolen;
}

const TOKEN_ENDPOINT_SPELLINGS = [
  '/oauth/token',
  '/oauth/token/',
  '/OAUTH/TOKEN',
  '/oauth/./token',
  '/oauth/x/../token',
  '/oauth/%74oken',
  '/%6Fauth/token',
  '/oauth//token',
  '//oauth/token',
  '/oauth%2Ftoken',
  '/oauth/token;jsessionid=1',
  '/oauth/token?grant_type=refresh_token',
  '/oauth/revoke',
  '/OAuth/Revoke',
  '/oauth/par',
  '/oauth/%70ar',
];

/**
 * Sends the stolen refresh token to every spelling of the tenant's endpoints from page script:
 * `ordinary` = fetch (POST, GET, with a DPoP header, no-cors), XHR and a dedicated worker;
 * `keepalive` = keepalive fetches and beacons. What page script got back, per request.
 */
function sweep(
  tab: Tab,
  kinds: 'ordinary' | 'keepalive',
  stolen: string,
): Promise<Record<string, unknown>> {
  return tab.evaluate(
    async ({ tenant, spellings, stolen, kinds }) => {
      const results: Record<string, unknown> = {};
      const body = () =>
        new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: stolen,
          client_id: 'spa-dpop',
          token: stolen,
        });
      const settle = async (key: string, request: () => Promise<Response>) => {
        try {
          const response = await request();
          results[key] = response.type === 'opaque' ? 'opaque' : response.status;
        } catch (error) {
          results[key] = (error as Error).name;
        }
      };
      const xhr = (url: string) =>
        new Promise<number | string>((resolve) => {
          const request = new XMLHttpRequest();
          request.open('POST', url);
          request.onload = () => resolve(request.status);
          request.onerror = () => resolve('error');
          request.send(body());
        });
      for (const spelling of spellings) {
        const url = `${tenant}${spelling}`;
        if (kinds === 'keepalive') {
          await settle(`keepalive ${spelling}`, () =>
            fetch(url, { method: 'POST', body: body(), keepalive: true }),
          );
          results[`beacon form ${spelling}`] = navigator.sendBeacon(url, body());
          continue;
        }
        await settle(`fetch POST ${spelling}`, () => fetch(url, { method: 'POST', body: body() }));
        await settle(`fetch GET ${spelling}`, () => fetch(url));
        await settle(`fetch DPoP ${spelling}`, () =>
          fetch(url, { method: 'POST', body: body(), headers: { dpop: 'attacker.proof.jwt' } }),
        );
        await settle(`no-cors ${spelling}`, () =>
          fetch(url, { method: 'POST', body: body(), mode: 'no-cors' }),
        );
        results[`xhr POST ${spelling}`] = await xhr(url);
      }
      if (kinds === 'ordinary') {
        // A dedicated worker the page starts is controlled by the same service worker (the
        // page's CSP may refuse a blob: worker outright: then it cannot try at all).
        const source = `fetch(${JSON.stringify(`${tenant}/oauth/token`)}, { method: 'POST', body: 'grant_type=refresh_token' }).then((r) => postMessage(r.status), (e) => postMessage(e.name));`;
        try {
          const worker = new Worker(
            URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
          );
          results['dedicated worker'] = await new Promise((resolve) => {
            worker.onmessage = (event) => resolve(event.data);
            worker.onerror = () => resolve('error');
          });
          worker.terminate();
        } catch {
          results['dedicated worker'] = 'error';
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return results;
    },
    { tenant: TENANT_URL, spellings: TOKEN_ENDPOINT_SPELLINGS, stolen, kinds },
  );
}

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
 * Measured in Firefox 153 ESR: keepalive fetches and beacons are not dispatched to the service
 * worker — they reach the tenant as the page wrote them (WebKitGTK 2.50 and Chromium 156
 * dispatch them, and the worker refuses them). The worker cannot refuse what it never sees.
 */
const FIREFOX_KEEPALIVE_BYPASS =
  'Firefox 153 ESR sends keepalive fetches and beacons past the service worker (measured: they reach the tenant; the worker never sees them)';

test('THREATS 7: page fetch, XHR, no-cors and a dedicated worker to the token, revocation and PAR endpoints, however spelled, never reach the tenant', async ({
  session,
}) => {
  const tab = await session.newTab();
  const stolen = await loginAndSteal(tab);
  const outcomes = await sweep(tab, 'ordinary', stolen);
  const refusedByWorker = Object.values(outcomes).filter((outcome) => outcome === 403);
  expect(refusedByWorker.length).toBeGreaterThan(TOKEN_ENDPOINT_SPELLINGS.length * 2);
  await expectNothingReachedTheTenant(tab, outcomes);
});

test('THREATS 7: keepalive fetches and beacons to the token, revocation and PAR endpoints never reach the tenant', async ({
  session,
}) => {
  test.fail(session.engine === 'firefox', FIREFOX_KEEPALIVE_BYPASS);
  const tab = await session.newTab();
  const stolen = await loginAndSteal(tab);
  await expectNothingReachedTheTenant(tab, await sweep(tab, 'keepalive', stolen));
});

test('THREATS 7: X signs its own DPoP proof with the stored (non-extractable) key and redeems the stored refresh token — plain and keepalive fetch alike are refused', async ({
  session,
}) => {
  test.fail(session.engine === 'firefox', FIREFOX_KEEPALIVE_BYPASS);
  const tab = await session.newTab();
  await loginAndSteal(tab);
  // The attacker's own proof, signed by WebCrypto with the key read from IndexedDB (using a
  // non-extractable key is allowed; exporting it is not), nonce retry included.
  const outcomes = await tab.evaluate(async (tenant) => {
    const request = <T>(req: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    const db = await request(indexedDB.open('auth0-enclave') as IDBRequest<IDBDatabase>);
    const all = (store: string) => request(db.transaction(store).objectStore(store).getAll());
    const [keys] = (await all('keys')) as { privateKey: CryptoKey; publicKey: CryptoKey }[];
    const [stored] = (await all('session')) as {
      refreshTokens: Record<string, { token: string }>;
    }[];
    db.close();
    if (!keys || !stored) return ['nothing stored'];
    const refreshToken = Object.values(stored.refreshTokens)[0]?.token ?? '';
    const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
    const b64url = (bytes: ArrayBuffer | Uint8Array) =>
      btoa(String.fromCharCode(...new Uint8Array(bytes)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const part = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
    const proof = async (nonce: string | null) => {
      const input = `${part({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } })}.${part({ htm: 'POST', htu: `${tenant}/oauth/token`, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ...(nonce ? { nonce } : {}) })}`;
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        keys.privateKey,
        new TextEncoder().encode(input),
      );
      return `${input}.${b64url(signature)}`;
    };
    const results: string[] = [];
    for (const keepalive of [false, true]) {
      let nonce: string | null = null;
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const response: Response = await fetch(`${tenant}/oauth/token`, {
            method: 'POST',
            keepalive,
            headers: { dpop: await proof(nonce) },
            body: new URLSearchParams({
              grant_type: 'refresh_token',
              refresh_token: refreshToken,
              client_id: 'spa-dpop',
            }),
          });
          const text = await response.text();
          nonce = response.headers.get('dpop-nonce') ?? nonce;
          // Only whether a token came back: never the token itself.
          results.push(
            `${keepalive ? 'keepalive' : 'fetch'} ${response.status}${text.includes('access_token') ? ' TOKENS' : ''}`,
          );
          if (response.status !== 400) break;
        } catch (error) {
          results.push(`${keepalive ? 'keepalive' : 'fetch'} ${(error as Error).name}`);
          break;
        }
      }
    }
    return results;
  }, TENANT_URL);
  expect(outcomes).toHaveLength(2);
  for (const outcome of outcomes) expect(outcome).toMatch(/^(fetch|keepalive) (403|TypeError)$/);
  expect(await tenantAdmin.requests()).toEqual([]);
});
