import type { BrowserContext, Page } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, OTHER_ORIGIN_API_URL, TENANT_URL } from '../support/environment.js';
import { callApi, expect, login, openApp, stopWorkers, test } from '../support/fixtures.js';
import { callClient, LIFECYCLE_PORTS } from '../support/lifecycle.js';

// THREATS 9 — the worker's security configuration is part of the worker script. Script in the
// page re-registers the script with a query string that names another domain, client, allow-list
// and exposure switches (at the app's own scope, at another scope, as a classic script), makes
// its registration the active worker, restarts it, and posts messages of every shape to it. The
// configuration the worker reports and, above all, what it sends where (every request of the
// browser, the tenant's and the API's logs) stay exactly those of the build.

const APP = appUrl('dpop');
/** Allowed by the app's CSP (it is the API under another name), so only the worker can refuse it. */
const EVIL = OTHER_ORIGIN_API_URL;
const RECORDER = `http://127.0.0.1:${LIFECYCLE_PORTS.recorder}`;

const TAMPERED_QUERY = new URLSearchParams({
  domain: EVIL,
  clientId: 'evil-client',
  apis: JSON.stringify([{ url: `${EVIL}/api` }, { url: RECORDER }]),
  audience: 'https://evil.example/',
  redirect_uri: `${RECORDER}/callback`,
  useDpop: 'false',
  exposeAccessTokens: 'true',
  exposeDpopProofs: 'true',
  refreshTokenStorage: 'indexeddb',
  config: JSON.stringify({ domain: EVIL, clientId: 'evil-client', exposeAccessTokens: true }),
}).toString();

/** Every URL the browser requested (pages and workers alike), from now on. */
function recordOrigins(context: BrowserContext): () => Set<string> {
  const origins = new Set<string>();
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http')) origins.add(url.origin);
  });
  return () => origins;
}

/** The exposure switches are still off: no token, nonce or proof for page script. */
async function expectExposureOff(page: Page): Promise<void> {
  expect(await callClient(page, 'getTokenSilently')).toMatchObject({
    error: { name: 'TokenNotExposedError', code: 'token_not_exposed' },
  });
  expect(await callClient(page, 'setDpopNonce', 'attacker-nonce')).toMatchObject({
    error: { name: 'NotAllowedError', code: 'not_allowed' },
  });
  expect(
    await callClient(page, 'generateDpopProof', { url: `${EVIL}/api/me`, method: 'GET' }),
  ).toMatchObject({ error: { name: 'NotAllowedError', code: 'not_allowed' } });
}

/** After the attack: a login and API calls go to the build's tenant and API, as the build's client. */
async function expectTrafficUnchanged(page: Page, origins: () => Set<string>): Promise<void> {
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { tokenType: 'DPoP' },
  });
  await tenantAdmin.advanceClock(2 * 60 * 60);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  // The attacker's allow-list entries get nothing: plain fetch goes out bare, fetchWithAuth refuses.
  const plain = await callApi(page, `${EVIL}/api/echo`, { plain: true });
  const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
  expect(headers.authorization).toBeUndefined();
  expect(headers.dpop).toBeUndefined();
  expect(await callApi(page, `${EVIL}/api/echo`)).toMatchObject({ error: { code: 'not_allowed' } });

  const tokenRequests = (await tenantAdmin.requests('/oauth/token')).filter(
    (entry) => entry.method === 'POST',
  );
  expect(tokenRequests.length).toBeGreaterThan(0);
  expect(new Set(tokenRequests.map((entry) => entry.clientId))).toEqual(new Set(['spa-dpop']));
  const api = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  // Only /api paths (a worker configured for EVIL as its domain would have asked it for
  // discovery), and every credentialed one DPoP.
  expect(api.every((entry) => entry.path.startsWith('/api/'))).toBe(true);
  expect(api.filter((entry) => entry.authScheme === 'Bearer')).toEqual([]);
  // Nothing but the app, the tenant and the API was ever contacted — by the page or the worker.
  // (EVIL appears once: the test's own plain fetch and fetchWithAuth attempt above.)
  expect([...origins()].sort()).toEqual([APP, TENANT_URL, API_URL, EVIL].sort());
}

test('THREATS 9: re-registering the worker script with a tampering query string — same scope, made active, restarted; other scopes; classic — changes nothing', async ({
  page,
  context,
}) => {
  const origins = recordOrigins(context);
  await login(page, 'dpop');
  const original = await callClient(page, 'getWorkerConfiguration');
  expect(original).toMatchObject({ value: { domain: TENANT_URL, clientId: 'spa-dpop' } });

  const attack = await page.evaluate(async (query) => {
    const outcome: Record<string, string> = {};
    const settle = (worker: ServiceWorker | null) =>
      new Promise<string>((resolve) => {
        if (!worker) return resolve('none');
        if (worker.state === 'installed' || worker.state === 'activated')
          return resolve(worker.state);
        worker.addEventListener('statechange', () => {
          if (['installed', 'activated', 'redundant'].includes(worker.state)) resolve(worker.state);
        });
      });
    // 1. The app's own scope: a new version from the tampered URL installs and waits…
    const same = await navigator.serviceWorker.register(`/auth-worker.js?${query}`, {
      type: 'module',
    });
    outcome.sameScope = await settle(same.installing ?? same.waiting);
    // …and the attacker makes it take over, with the worker's own message.
    const changed = new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
    same.waiting?.postMessage({ type: 'auth0-enclave:skip-waiting' });
    await changed;
    outcome.controller = navigator.serviceWorker.controller?.scriptURL ?? 'none';
    // 2. Another scope, and 3. a classic script at yet another.
    for (const [scope, type] of [
      ['/attacker/', 'module'],
      ['/classic/', 'classic'],
    ] as const) {
      try {
        const other = await navigator.serviceWorker.register(
          `/auth-worker.js?${query}&scope=${scope}`,
          {
            type,
            scope,
          },
        );
        outcome[scope] = await settle(other.installing ?? other.waiting ?? other.active);
      } catch (error) {
        outcome[scope] = `rejected: ${(error as Error).name}`;
      }
    }
    return outcome;
  }, TAMPERED_QUERY);
  expect(attack.sameScope).toBe('installed');
  expect(attack.controller).toContain('?domain=');

  // The page's connection followed the attacker's worker; its configuration is the build's.
  expect(await callClient(page, 'getWorkerConfiguration')).toEqual(original);
  await expectExposureOff(page);
  // Restarted from the tampered URL (its `self.location.search` is the attacker's): the same.
  await stopWorkers(page);
  expect(await callClient(page, 'getWorkerConfiguration')).toEqual(original);
  expect(await callClient(page, 'isAuthenticated')).toEqual({ value: true });
  await expectTrafficUnchanged(page, origins);

  // A page under the attacker's scope is controlled by the attacker's registration: the same.
  // (A second worker instance on the origin, with the same vault. It is used from here on: two
  // instances refreshing independently would present the same rotating refresh token — the
  // "one app per origin" limit of README "What a service worker cannot defend", a denial of
  // service like any forced logout, not a change of configuration.)
  const scoped = await context.newPage();
  await openApp(scoped, 'dpop', '/attacker/');
  expect(
    await scoped.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? 'none'),
  ).toContain('scope=/attacker/');
  expect(await callClient(scoped, 'getWorkerConfiguration')).toEqual(original);
  await expectExposureOff(scoped);
  expect(await callClient(scoped, 'isAuthenticated')).toEqual({ value: true });

  await expectTrafficUnchanged(scoped, origins);
});

test('THREATS 9: messages of every shape to the worker — config-like, handshake-like, Comlink SET/GET — change nothing', async ({
  page,
  context,
}) => {
  const origins = recordOrigins(context);
  await login(page, 'dpop');
  const original = await callClient(page, 'getWorkerConfiguration');

  const replies = await page.evaluate(
    async ({ evil }) => {
      const worker = navigator.serviceWorker.controller as ServiceWorker;
      const config = { domain: evil, clientId: 'evil-client', apis: [{ url: `${evil}/api` }] };
      const shapes: unknown[] = [
        null,
        42,
        'auth0-enclave:config',
        [],
        {},
        [{ type: 'auth0-enclave:connect' }],
        { type: 'auth0-enclave:config', config },
        { type: 'auth0-enclave:configure', ...config },
        { type: 'auth0-enclave:set-config', value: config },
        { type: 'auth0-enclave:session', state: { authenticated: false, reason: 'logout' } },
        { type: 'auth0-enclave:skip-waiting', config },
        { type: 'auth0-enclave:claim', config },
        { type: 'auth0-enclave:keep-alive', config },
        { type: 'auth0-enclave:connect' },
        { type: 'auth0-enclave:connect', protocol: 1, lock: 'not ours', config },
        { type: 'SKIP_WAITING' },
        { type: 'GET_VERSION' },
        { type: { toString: null }, config },
        { __proto__: { type: 'auth0-enclave:config' }, config },
        { type: 'auth0-enclave:config', config: 'x'.repeat(1 << 20) },
        new Blob([JSON.stringify(config)]),
        new TextEncoder().encode(JSON.stringify({ type: 'auth0-enclave:config', config })).buffer,
      ];
      for (const shape of shapes) {
        try {
          worker.postMessage(shape);
        } catch {}
      }
      // A connection of its own, then Comlink-shaped messages that set, read and call around the
      // facade: each is answered with a refusal, none reaches it.
      const { port1, port2 } = new MessageChannel();
      const answers: unknown[] = [];
      port1.onmessage = (event) => answers.push(event.data);
      const lock = `auth0-enclave:${'A'.repeat(22)}${Math.random().toString(36).slice(2, 10)}`;
      worker.postMessage({ type: 'auth0-enclave:connect', protocol: 1, lock, config }, [port2]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const raw = (value: unknown) => ({ type: 'RAW', value });
      const calls = [
        { id: 's1', type: 'SET', path: ['config'], value: raw(config) },
        { id: 's2', type: 'SET', path: ['getConfiguration'], value: raw(null) },
        { id: 's3', type: 'SET', path: ['config', 'domain'], value: raw(evil) },
        { id: 'g1', type: 'GET', path: ['config'] },
        { id: 'a1', type: 'APPLY', path: ['configure'], argumentList: [raw(config)] },
        {
          id: 'a2',
          type: 'APPLY',
          path: ['getConfiguration', 'call'],
          argumentList: [raw(config)],
        },
        { id: 'c1', type: 'CONSTRUCT', path: ['getConfiguration'], argumentList: [] },
        { id: 'a3', type: 'APPLY', path: ['getConfiguration'], argumentList: [raw(config)] },
      ];
      for (const call of calls) port1.postMessage(call);
      await new Promise((resolve) => setTimeout(resolve, 500));
      return answers.map((answer) => {
        const data = answer as {
          id?: string;
          type?: string;
          value?: { name?: string; domain?: string };
        };
        return {
          id: data.id ?? data.type,
          error: data.type === 'HANDLER' ? data.value?.name : undefined,
          domain: data.type === 'RAW' ? data.value?.domain : undefined,
        };
      });
    },
    { evil: EVIL },
  );
  // The handshake was served; every call that was not a plain method call was refused; the one
  // that was (getConfiguration with a config argument) answered the build's configuration.
  expect(replies[0]?.id).toBe('auth0-enclave:ready');
  const byId = new Map(replies.map((reply) => [reply.id, reply]));
  for (const id of ['s1', 's2', 's3', 'g1', 'a1', 'a2', 'c1'])
    expect(byId.get(id)?.error, id).toBe('RpcRejectedError');
  expect(byId.get('a3')).toMatchObject({ domain: TENANT_URL });

  expect(await callClient(page, 'getWorkerConfiguration')).toEqual(original);
  await expectExposureOff(page);
  await expect(page.getByRole('status')).toContainText('Logged in');
  expect(await callClient(page, 'isAuthenticated')).toEqual({ value: true });
  await expectTrafficUnchanged(page, origins);
});
