import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { apiAdmin } from '../support/admin-clients.js';
import {
  ATTACKER_PORTS,
  type CustomApp,
  callAuth0,
  hostileConnection,
  loginAt,
  startCustomApp,
  vaultCount,
} from '../support/attacker.js';
import { API_URL, AUDIENCE, appUrl, OTHER_ORIGIN_API_URL } from '../support/environment.js';
import { callApi, expect, login, test } from '../support/fixtures.js';

// THREATS 3 — X talks to the worker: over an RPC connection of its own, with raw Comlink
// messages; through the app's own client (`window.auth0`, which the sample app exposes); and by
// posting messages of any shape to the worker. It must get no token and no proof, change no
// configuration, reach nothing outside the config, and walk no property path — without side
// effects.

const lockName = () => `auth0-enclave:attacker${randomBytes(12).toString('hex')}`;
const connect = (overrides: Record<string, unknown> = {}) => ({
  type: 'auth0-enclave:connect',
  protocol: 1,
  lock: lockName(),
  ...overrides,
});
const raw = (value: unknown) => ({ type: 'RAW', value });

/** What the worker's state looks like to the page, to compare before and after an attack. */
async function observable(page: Page) {
  return page.evaluate(async () => {
    const auth0 = window.auth0;
    return {
      configuration: await auth0.getWorkerConfiguration(),
      user: await auth0.getUser(),
      controller: navigator.serviceWorker.controller?.scriptURL,
      registrations: (await navigator.serviceWorker.getRegistrations()).length,
    };
  });
}

/** The worker's realm, to check it was not polluted. */
async function workerPrototypeIsClean(page: Page): Promise<boolean> {
  const origin = new URL(page.url()).origin;
  const worker = page
    .context()
    .serviceWorkers()
    .find((candidate) => candidate.url().startsWith(origin));
  if (!worker) throw new Error('no service worker for the page');
  return worker.evaluate(
    () =>
      !('polluted' in {}) &&
      !('polluted' in Object.prototype) &&
      typeof (Function.prototype as unknown as { polluted?: unknown }).polluted === 'undefined',
  );
}

const rejected = (id: unknown) => ({
  data: {
    id,
    type: 'HANDLER',
    name: 'throw',
    value: expect.objectContaining({ name: 'RpcRejectedError', code: 'rpc_rejected' }),
  },
  ports: 0,
});

test('THREATS 3: on a connection of its own, GET/SET/CONSTRUCT/ENDPOINT/RELEASE and walked paths are rejected without side effects', async ({
  page,
}) => {
  await login(page, 'dpop');
  const before = await observable(page);
  const transactionsBefore = await page.evaluate(vaultCount, 'transactions');
  const unregister = raw('return self.registration.unregister()');
  const attacks: Record<string, unknown>[] = [
    { type: 'GET', path: ['getConfiguration'] },
    { type: 'GET', path: [] },
    { type: 'GET', path: ['constructor', 'constructor'] },
    { type: 'SET', path: ['getConfiguration'], value: raw(1) },
    { type: 'SET', path: ['__proto__', 'polluted'], value: raw(true) },
    { type: 'SET', path: ['constructor', 'prototype', 'polluted'], value: raw(true) },
    { type: 'CONSTRUCT', path: ['startLogin'], argumentList: [] },
    { type: 'CONSTRUCT', path: ['constructor', 'constructor'], argumentList: [unregister] },
    { type: 'ENDPOINT' },
    { type: 'ENDPOINT', path: [] },
    { type: 'RELEASE', path: [] },
    { type: 'APPLY', path: ['constructor', 'constructor'], argumentList: [unregister] },
    { type: 'APPLY', path: ['constructor'], argumentList: [] },
    { type: 'APPLY', path: ['__proto__'], argumentList: [] },
    { type: 'APPLY', path: ['__defineGetter__'], argumentList: [raw('x'), raw(null)] },
    { type: 'APPLY', path: ['startLogin', 'call'], argumentList: [raw(null), raw({})] },
    { type: 'APPLY', path: ['startLogin', 'apply'], argumentList: [raw(null), raw([{}])] },
    { type: 'APPLY', path: ['getConfiguration', 'constructor'], argumentList: [unregister] },
    { type: 'APPLY', path: ['getConfiguration.constructor'], argumentList: [] },
    { type: 'APPLY', path: ['hasOwnProperty'], argumentList: [raw('startLogin')] },
    { type: 'APPLY', path: ['toString'], argumentList: [] },
    { type: 'APPLY', path: ['valueOf'], argumentList: [] },
    { type: 'APPLY', path: ['deleteEverything'], argumentList: [] },
    { type: 'APPLY', path: ['GETCONFIGURATION'], argumentList: [] },
    { type: 'APPLY', path: [0], argumentList: [] },
    { type: 'APPLY', path: [['startLogin']], argumentList: [] },
    { type: 'APPLY', path: [], argumentList: [] },
    { type: 'APPLY', path: 'startLogin', argumentList: [] },
    { type: 'APPLY', argumentList: [] },
    { type: 'apply', path: ['startLogin'], argumentList: [] },
    { type: 'THROW', path: ['startLogin'] },
    { type: 'HANDLER', name: 'proxy', value: null },
  ];
  const ids = attacks.map((_, index) => (index % 2 ? `attack-${index}` : index));
  const transcript = await page.evaluate(hostileConnection, {
    connect: connect(),
    messages: [
      ...attacks.map((attack, index) => ({ message: { ...attack, id: ids[index] } })),
      // Proof that the connection is real and still served after all that (RELEASE included).
      { message: { id: 'final', type: 'APPLY', path: ['getSession'], argumentList: [] } },
    ],
    until: 'final',
  });
  expect(transcript.handshake).toMatchObject({ type: 'auth0-enclave:ready', protocol: 1 });
  expect(transcript.replies).toEqual([
    ...ids.map(rejected),
    {
      data: { id: 'final', type: 'RAW', value: expect.objectContaining({ authenticated: true }) },
      ports: 0,
    },
  ]);
  // No side effect: nothing stored, nothing changed, nothing polluted, the worker still serves.
  expect(await page.evaluate(vaultCount, 'transactions')).toBe(transactionsBefore);
  expect(await observable(page)).toEqual(before);
  expect(await workerPrototypeIsClean(page)).toBe(true);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test('THREATS 3: handler-typed and oversized arguments and malformed messages are rejected, or dropped without a reply when they carry no id', async ({
  page,
}) => {
  await login(page, 'dpop');
  const before = await observable(page);
  const withId: { message: Record<string, unknown>; transferPort?: boolean }[] = [
    {
      message: {
        type: 'APPLY',
        path: ['getSession'],
        argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }],
      },
      transferPort: true,
    },
    {
      message: {
        type: 'APPLY',
        path: ['startLogin'],
        argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }],
      },
      transferPort: true,
    },
    {
      message: {
        type: 'APPLY',
        path: ['startLogin'],
        argumentList: [{ type: 'HANDLER', name: 'throw', value: { message: 'x' } }],
      },
    },
    {
      message: { type: 'APPLY', path: ['startLogin'], argumentList: Array(5).fill(raw({})) },
    },
    {
      message: { type: 'APPLY', path: ['getSession'], argumentList: Array(10_000).fill(raw(1)) },
    },
    { message: { type: 'APPLY', path: ['getSession'], argumentList: 'abc' } },
    { message: { type: 'APPLY', path: ['getSession'], argumentList: { length: 1, 0: raw(1) } } },
    { message: { type: 'APPLY', path: ['startLogin'], argumentList: [null] } },
    { message: { type: 'APPLY', path: ['startLogin'], argumentList: [{}] } },
    {
      message: { type: 'APPLY', path: ['startLogin'], argumentList: [{ type: 'raw', value: {} }] },
    },
    { message: { type: 'APPLY', path: ['startLogin'], argumentList: [{ value: {} }] } },
  ];
  const ids = withId.map((_, index) => `bad-${index}`);
  // Without a usable id nothing can be answered, and nothing may run either.
  const withoutId: unknown[] = [
    'hello',
    42,
    null,
    true,
    [],
    {},
    { type: 'APPLY', path: ['startLogin'], argumentList: [raw({})] },
    { id: null, type: 'APPLY', path: ['startLogin'], argumentList: [raw({})] },
    { id: { nested: 1 }, type: 'APPLY', path: ['startLogin'], argumentList: [raw({})] },
    { id: ['x'], type: 'GET', path: [] },
    { type: 'RELEASE', path: [] },
  ];
  const transcript = await page.evaluate(hostileConnection, {
    connect: connect(),
    messages: [
      ...withId.map((entry, index) => ({
        ...entry,
        message: { ...entry.message, id: ids[index] },
      })),
      ...withoutId.map((message) => ({ message })),
      { message: { id: 'final', type: 'APPLY', path: ['getSession'], argumentList: [] } },
    ],
    until: 'final',
    settleMs: 300,
  });
  expect(transcript.handshake).toMatchObject({ type: 'auth0-enclave:ready' });
  expect(transcript.replies).toEqual([
    ...ids.map(rejected),
    {
      data: { id: 'final', type: 'RAW', value: expect.objectContaining({ authenticated: true }) },
      ports: 0,
    },
  ]);
  // Not one of the startLogin attempts created a transaction.
  expect(await page.evaluate(vaultCount, 'transactions')).toBe(0);
  expect(await observable(page)).toEqual(before);
  expect(await workerPrototypeIsClean(page)).toBe(true);
});

test('THREATS 3: a connect handshake with a wrong protocol or a malformed lock name is refused, and its port closed', async ({
  page,
}) => {
  await login(page, 'dpop');
  const probe = { message: { id: 'probe', type: 'APPLY', path: ['getSession'], argumentList: [] } };
  const protocolVariants = [2, 0, '1', 1.5, null, undefined];
  const lockVariants = [
    'x',
    'auth0-enclave:short',
    `auth0-enclave:${'a'.repeat(65)}`,
    'auth0-enclave:has spaces in the name',
    'AUTH0-ENCLAVE:abcdefghijklmnopqrst',
    'auth0-enclave:abcdefghijklmnop/../x',
    'auth0-enclave:abcdefghijklmnopqr\n',
    'other-app:abcdefghijklmnopqrstuvwx',
    12345,
    null,
    undefined,
  ];
  const refusals = await Promise.all([
    ...protocolVariants.map((protocol) =>
      page.evaluate(hostileConnection, {
        connect: { type: 'auth0-enclave:connect', lock: lockName(), protocol },
        messages: [probe],
        settleMs: 300,
      }),
    ),
    ...lockVariants.map((lock) =>
      page.evaluate(hostileConnection, {
        connect: { type: 'auth0-enclave:connect', protocol: 1, lock },
        messages: [probe],
        settleMs: 300,
      }),
    ),
  ]);
  expect(refusals).toEqual([
    ...protocolVariants.map(() => ({
      handshake: { type: 'auth0-enclave:rejected', protocol: 1, reason: 'protocol' },
      replies: [],
    })),
    ...lockVariants.map(() => ({
      handshake: { type: 'auth0-enclave:rejected', protocol: 1, reason: 'malformed' },
      replies: [],
    })),
  ]);
  // Messages of another type with a port are not a connection at all: no answer, ever.
  const ignored = await Promise.all(
    ['AUTH0-ENCLAVE:CONNECT', 'auth0-enclave:connect ', 'connect', 'auth0-enclave:ready'].map(
      (type) =>
        page.evaluate(hostileConnection, {
          connect: connect({ type }),
          messages: [probe],
          settleMs: 100,
        }),
    ),
  );
  expect(ignored).toEqual(Array(4).fill({ handshake: 'none', replies: [] }));
  // The control: the same probe on a well-formed connection is answered.
  const served = await page.evaluate(hostileConnection, {
    connect: connect(),
    messages: [probe],
    until: 'probe',
  });
  expect(served.handshake).toEqual({
    type: 'auth0-enclave:ready',
    protocol: 1,
    version: expect.any(String),
    // The worker's public configuration (getConfiguration() is synchronous, as in spa-js).
    configuration: expect.objectContaining({ clientId: 'spa-dpop', exposeAccessTokens: false }),
  });
  expect(served.replies).toEqual([
    { data: expect.objectContaining({ id: 'probe', type: 'RAW' }), ports: 0 },
  ]);
});

test('THREATS 3: through window.auth0, no token, no proof, no nonce, and nothing the worker config does not allow', async ({
  page,
}) => {
  await login(page, 'dpop');
  const before = await observable(page);
  const nonceBefore = await page.evaluate(() => window.auth0.getDpopNonce());
  const notExposed = { name: 'TokenNotExposedError', code: 'token_not_exposed' };
  const notAllowed = { name: 'NotAllowedError', code: 'not_allowed' };
  for (const options of [
    undefined,
    {},
    { cacheMode: 'off' },
    { cacheMode: 'cache-only' },
    { detailedResponse: true },
    { authorizationParams: { audience: AUDIENCE } },
    { authorizationParams: { audience: 'https://evil.example/' } },
  ]) {
    expect(await callAuth0(page, 'getTokenSilently', options)).toMatchObject(notExposed);
  }
  for (const [method, args] of [
    ['setDpopNonce', ['attacker-nonce']],
    ['setDpopNonce', ['attacker-nonce', API_URL]],
    ['setDpopNonce', ['attacker-nonce', 'http://localhost:4400']],
    ['generateDpopProof', [{ url: `${API_URL}/api/me`, method: 'GET' }]],
    ['generateDpopProof', [{ url: 'http://localhost:4400/oauth/token', method: 'POST' }]],
    ['checkSession', [{ authorizationParams: { audience: 'https://evil.example/' } }]],
    ['checkSession', [{ authorizationParams: { scope: 'openid admin:everything' } }]],
    ['checkSession', [{ authorizationParams: { audience: AUDIENCE, scope: 'delete:all' } }]],
  ] as const) {
    expect(
      await callAuth0(page, method, ...args),
      `${method}(${JSON.stringify(args)})`,
    ).toMatchObject(notAllowed);
  }
  expect(await page.evaluate(() => window.auth0.getDpopNonce())).toBe(nonceBefore);

  // loginWithRedirect with parameters the config does not allow: refused before anything is
  // stored, and the page never asked to navigate.
  const logins = await page.evaluate(
    async ({ app }) => {
      const auth0 = window.auth0;
      const opened: string[] = [];
      const attempts: Record<string, unknown>[] = [
        { authorizationParams: { audience: 'https://evil.example/' } },
        { authorizationParams: { audience: ['https://api.example.com/'] } },
        { authorizationParams: { scope: 'openid admin:everything' } },
        { authorizationParams: { scope: 'read:notes   delete:all' } },
        { authorizationParams: { scope: 42 } },
        { authorizationParams: { redirect_uri: 'https://evil.example/callback' } },
        { authorizationParams: { redirect_uri: `${app}/callback/` } },
        { authorizationParams: { redirect_uri: `${app}/other` } },
        {
          authorizationParams: {
            redirect_uri: `${app.replace('localhost', '127.0.0.1')}/callback`,
          },
        },
        { authorizationParams: { response_mode: 'fragment' } },
        { authorizationParams: { response_mode: 'form_post' } },
        { authorizationParams: { response_mode: 'web_message' } },
        { authorizationParams: { response_mode: 'QUERY' } },
        { appState: 'x'.repeat(17 * 1024) },
        // Parameters the worker sets itself: PKCE, state, nonce, the DPoP binding, the client.
        { authorizationParams: { code_challenge: 'attacker-challenge' } },
        { authorizationParams: { code_challenge_method: 'plain' } },
        { authorizationParams: { state: 'attacker-state' } },
        { authorizationParams: { nonce: 'attacker-nonce' } },
        { authorizationParams: { dpop_jkt: 'attacker-thumbprint' } },
        { authorizationParams: { client_id: 'spa-bearer' } },
        { authorizationParams: { response_type: 'token' } },
        { authorizationParams: { request_uri: 'urn:attacker' } },
        { authorizationParams: { request: 'eyJhbGciOiJub25lIn0.e30.' } },
      ];
      const results: unknown[] = [];
      for (const attempt of attempts) {
        try {
          await auth0.loginWithRedirect({ ...attempt, openUrl: (url) => void opened.push(url) });
          results.push('resolved');
        } catch (error) {
          results.push((error as Error).name);
        }
      }
      return { results, opened, href: location.href };
    },
    { app: appUrl('dpop') },
  );
  expect(logins.results).toEqual([
    ...Array(4).fill('NotAllowedError'),
    'TypeError',
    ...Array(4).fill('NotAllowedError'),
    ...Array(4).fill('NotAllowedError'),
    'TypeError',
    ...Array(9).fill('TypeError'),
  ]);
  expect(logins.opened).toEqual([]);
  expect(logins.href).toBe(`${appUrl('dpop')}/`);
  expect(await page.evaluate(vaultCount, 'transactions')).toBe(0);

  // fetchWithAuth for another audience or a wider scope: refused, nothing reaches the API —
  // nor when the attacker writes the worker's marker header itself on a plain fetch().
  await apiAdmin.clearRequests();
  const fetches = await page.evaluate(
    async ({ url }) => {
      const auth0 = window.auth0;
      const results: unknown[] = [];
      for (const options of [
        { audience: 'https://evil.example/' },
        { audience: '' },
        { scope: 'read:notes admin:everything' },
        { scope: 'offline_access delete:all' },
        { scope: 42 },
      ]) {
        try {
          // @ts-expect-error -- `scope: 42` is the point: page script is not type-checked.
          const response = await auth0.fetchWithAuth(url, undefined, options);
          results.push(response.status);
        } catch (error) {
          results.push((error as { name: string; code: string }).code);
        }
      }
      for (const marker of [
        encodeURIComponent(JSON.stringify({ audience: 'https://evil.example/' })),
        encodeURIComponent(JSON.stringify({ scope: 'admin:everything' })),
        '%7B%22broken',
      ]) {
        const response = await fetch(url, { headers: { 'x-auth0-enclave': marker } });
        results.push(response.status);
      }
      return results;
    },
    { url: `${API_URL}/api/me` },
  );
  expect(fetches).toEqual([...Array(5).fill('not_allowed'), 403, 403, 403]);
  expect(await apiAdmin.requests()).toEqual([]);

  // Nothing changed, and the app still works.
  expect(await observable(page)).toEqual(before);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test('THREATS 3: messages of any shape posted to the worker change nothing', async ({ page }) => {
  await login(page, 'dpop');
  const before = await observable(page);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;
  await page.evaluate(async () => {
    const evil = 'https://evil.example/';
    const targets = [
      navigator.serviceWorker.controller,
      (await navigator.serviceWorker.getRegistration())?.active,
    ];
    const messages: unknown[] = [
      { type: 'config', domain: evil, clientId: 'evil', apis: [{ url: evil }] },
      { type: 'auth0-enclave:config', exposeAccessTokens: true, exposeDpopProofs: true },
      { type: 'auth0-enclave:session', state: { authenticated: false, reason: 'logout' } },
      { type: 'auth0-enclave:session', state: { authenticated: true, user: { sub: 'mallory' } } },
      { type: 'auth0-enclave:logout' },
      { type: 'auth0-enclave:skip-waiting' },
      { type: 'auth0-enclave:claim' },
      { type: 'auth0-enclave:keep-alive' },
      { type: 'auth0-enclave:connect' },
      { type: 'auth0-enclave:connect', protocol: 1, lock: 'auth0-enclave:abcdefghijklmnopqrst' },
      JSON.parse('{"type":"config","__proto__":{"polluted":true,"exposeAccessTokens":true}}'),
      { type: { toString: null } },
      'auth0-enclave:connect',
      null,
      42,
      [{ type: 'config' }],
      new Blob(['x']),
    ];
    for (const target of targets) for (const message of messages) target?.postMessage(message);
    // One with a port, but not a connect message.
    const { port2 } = new MessageChannel();
    navigator.serviceWorker.controller?.postMessage({ type: 'config', domain: evil, port: true }, [
      port2,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  expect(await observable(page)).toEqual(before);
  expect(await workerPrototypeIsClean(page)).toBe(true);
  expect(await callAuth0(page, 'getTokenSilently')).toMatchObject({
    name: 'TokenNotExposedError',
  });
  expect(await callAuth0(page, 'generateDpopProof', { url: API_URL, method: 'GET' })).toMatchObject(
    { name: 'NotAllowedError' },
  );
  // Same session, same key, same allow-list.
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  expect((await apiAdmin.requests()).at(-1)?.dpopJkt).toBe(jkt);
  expect(await callApi(page, `${OTHER_ORIGIN_API_URL}/api/me`)).toMatchObject({
    error: { name: 'NotAllowedError' },
  });
});

test.describe('a worker that opts in to exposing access tokens', () => {
  let app: CustomApp;
  test.beforeAll(async () => {
    app = await startCustomApp(ATTACKER_PORTS.app, { exposeAccessTokens: true });
  });
  test.afterAll(async () => {
    await app?.close();
  });

  test('THREATS 3: exposeAccessTokens gives page script the configured token, and still nothing for another audience or scope, and no proof', async ({
    page,
  }) => {
    await loginAt(page, app.origin);
    const result = await page.evaluate(async () => {
      const auth0 = window.auth0;
      const settle = (promise: Promise<unknown>) =>
        promise.then(
          (value) => ({ value }),
          (error: { name: string; code: string }) => ({ error: `${error.name}:${error.code}` }),
        );
      return {
        token: await settle(auth0.getTokenSilently({ detailedResponse: true })),
        audience: await settle(
          auth0.getTokenSilently({ authorizationParams: { audience: 'https://evil.example/' } }),
        ),
        scope: await settle(
          auth0.getTokenSilently({ authorizationParams: { scope: 'openid admin:everything' } }),
        ),
        // @ts-expect-error -- an unknown cacheMode is the point: page script is not type-checked.
        cacheMode: await settle(auth0.getTokenSilently({ cacheMode: 'sideways' })),
        proof: await settle(
          auth0.generateDpopProof({ url: 'https://evil.example/', method: 'GET' }),
        ),
        nonce: await settle(auth0.setDpopNonce('attacker-nonce')),
      };
    });
    // The opt-in works (so the refusals elsewhere are the config's doing, not a broken call)…
    expect(result.token).toEqual({
      value: expect.objectContaining({ access_token: expect.any(String), token_type: 'DPoP' }),
    });
    // …but only for what the config names, and the proof switch is a separate one.
    expect(result.audience).toEqual({ error: 'NotAllowedError:not_allowed' });
    expect(result.scope).toEqual({ error: 'NotAllowedError:not_allowed' });
    expect(result.cacheMode).toEqual({ error: 'TypeError:undefined' });
    expect(result.proof).toEqual({ error: 'NotAllowedError:not_allowed' });
    expect(result.nonce).toEqual({ error: 'NotAllowedError:not_allowed' });
  });
});
