import type { Page } from '@playwright/test';
import { SAMPLE_SUBJECT_TOKEN, SAMPLE_SUBJECT_TOKEN_TYPE } from 'auth0-enclave-tenant';
import { tenantAdmin } from './support/admin-clients.js';
import { type CustomApp, loginAt, startCustomApp } from './support/custom-app.js';
import { API_URL, AUDIENCE, TENANT_URL, USER } from './support/environment.js';
import { expect, login, openApp, test } from './support/fixtures.js';

// Issue 13, "drop-in for auth0-spa-js apps": the spa-js 2.27 behaviours MIGRATING.md marks
// supported that no other spec proves. Custom apps use port 4455.

type AnyClient = Record<string, (...args: unknown[]) => unknown>;

/** Runs `fn(auth0, arg)` in the page with the sample app's client; a rejection comes back as data. */
function withClient<T>(page: Page, fn: string, arg?: unknown): Promise<T | { rejected: string }> {
  return page.evaluate(
    async ({ fn, arg }) => {
      const auth0 = (window as unknown as { auth0: AnyClient }).auth0;
      try {
        // biome-ignore lint/security/noGlobalEval: test-only, the text comes from this file
        const run = globalThis.eval(fn) as (client: AnyClient, value: unknown) => unknown;
        return (await run(auth0, arg)) as T;
      } catch (error) {
        const { name, code, suggestion } = error as Error & { code?: string; suggestion?: string };
        return { rejected: `${name}:${code}${suggestion ? `:${suggestion}` : ''}` };
      }
    },
    { fn, arg },
  );
}

/** `createAuth0Client(options)` in the page: 'resolved' or the rejection's name, code, suggestion. */
function create(page: Page, options: Record<string, unknown>): Promise<string> {
  return page.evaluate(async (options) => {
    const { createAuth0Client } = (
      window as unknown as { auth0Enclave: { createAuth0Client(o: unknown): Promise<unknown> } }
    ).auth0Enclave;
    return createAuth0Client(options).then(
      () => 'resolved',
      (error: { name: string; code: string; suggestion: string }) =>
        `${error.name}:${error.code}:${error.suggestion}`,
    );
  }, options);
}

test('getConfiguration() is synchronous and answers { domain, clientId } from the handshake', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const config = await withClient(
    page,
    '(a) => { const c = a.getConfiguration(); return { c, sync: !(c instanceof Promise), frozen: Object.isFrozen(c) }; }',
  );
  expect(config).toEqual({
    c: { domain: TENANT_URL, clientId: 'spa-dpop' },
    sync: true,
    frozen: true,
  });
});

test('spa-js options: those the worker fulfils are accepted; worker-owned ones must match it', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  expect(
    await create(page, {
      domain: TENANT_URL,
      clientId: 'spa-dpop',
      issuer: `${TENANT_URL}/`,
      useDpop: true,
      leeway: 60,
      cacheLocation: 'localstorage',
      useRefreshTokens: true,
      useMrrt: true,
      useFormData: true,
      httpTimeoutInSeconds: 10,
      sessionCheckExpiryDays: 1,
      cookieDomain: 'localhost',
      useCookiesForTransactions: true,
      legacySameSiteCookie: false,
      authorizationParams: { scope: { default: 'openid profile' } },
    }),
  ).toBe('resolved');
  // Nothing security-relevant is silently ignored: each names the worker option to set.
  for (const [option, value] of [
    ['useDpop', false],
    ['leeway', 5],
    ['issuer', 'https://other.example.com/'],
    ['clientId', 'someone-else'],
  ] as const) {
    const outcome = await create(page, { [option]: value });
    expect(outcome, option).toContain('InvalidConfigurationError:invalid_configuration:');
    expect(outcome, option).toContain(`\`${option}\` in the worker config`);
  }
  // The storage spa-js would have used stays empty: tokens live in the worker.
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
});

test('loginWithRedirect({ fragment, onRedirect }): the /authorize URL with the fragment, to onRedirect', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const url = await withClient<string>(
    page,
    `(a) => new Promise((resolve) => a.loginWithRedirect({ fragment: 'welcome', onRedirect: async (url) => resolve(url) }))`,
  );
  expect(url).toMatch(new RegExp(`^${TENANT_URL}/authorize\\?.*#welcome$`));
});

test('page authorizationParams with scope per audience; connectAccountWithRedirect({ redirectUri }) must be the worker’s', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const url = await page.evaluate(async () => {
    const { createAuth0Client } = (
      window as unknown as {
        auth0Enclave: {
          createAuth0Client(o: unknown): Promise<{
            loginWithRedirect(o: unknown): Promise<void>;
          }>;
        };
      }
    ).auth0Enclave;
    const client = await createAuth0Client({
      authorizationParams: { scope: { default: 'openid write:notes' } },
    });
    return new Promise<string>((resolve) => {
      void client.loginWithRedirect({ openUrl: resolve });
    });
  });
  expect(new URL(url).searchParams.get('scope')?.split(' ')).toContain('write:notes');
  expect(
    await withClient(
      page,
      `(a) => a.connectAccountWithRedirect({ connection: 'google-oauth2', redirectUri: 'https://evil.example/callback', openUrl: () => {} })`,
    ),
  ).toMatchObject({
    rejected: expect.stringContaining('InvalidConfigurationError:invalid_configuration'),
  });
});

test('logout({ clientId, logoutParams: { custom } }): custom parameters on the logout URL; a foreign clientId is refused', async ({
  page,
}) => {
  await login(page, 'dpop');
  expect(
    await withClient(page, `(a) => a.logout({ clientId: 'someone-else', openUrl: () => {} })`),
  ).toMatchObject({ rejected: expect.stringContaining('InvalidConfigurationError') });
  expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(true);
  const url = await withClient<string>(
    page,
    `(a) => new Promise((resolve) => a.logout({ clientId: 'spa-dpop', logoutParams: { returnTo: location.origin, ui_locales: 'fr' }, openUrl: (url) => resolve(url) }))`,
  );
  const logout = new URL(url as string);
  expect(logout.searchParams.get('ui_locales')).toBe('fr');
  expect(logout.searchParams.get('client_id')).toBe('spa-dpop');
  expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(false);
});

test('customTokenExchange does not establish a session (spa-js); loginWithCustomTokenExchange does', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const options = {
    subject_token: SAMPLE_SUBJECT_TOKEN,
    subject_token_type: SAMPLE_SUBJECT_TOKEN_TYPE,
  };
  const summary = await withClient(page, '(a, o) => a.customTokenExchange(o)', options);
  expect(summary).toMatchObject({ token_type: 'DPoP' });
  expect(summary).not.toHaveProperty('access_token');
  expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(false);
  await withClient(page, '(a, o) => a.loginWithCustomTokenExchange(o)', options);
  expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(true);
});

test('createFetcher({ fetch, dpopNonceId }) sends through the custom fetch, scope as a list; getAccessToken needs exposeAccessTokens', async ({
  page,
}) => {
  await login(page, 'dpop');
  const result = await withClient<{ status: number; calls: number; sub: string }>(
    page,
    `async (a, base) => {
      let calls = 0;
      const f = a.createFetcher({ baseUrl: base, dpopNonceId: 'api', fetch: (request) => { calls++; return fetch(request); } });
      const r = await f.fetchWithAuth('api/me', undefined, { scope: ['openid', 'read:notes'] });
      return { status: r.status, calls, sub: (await r.json()).sub };
    }`,
    `${API_URL}/`,
  );
  expect(result).toEqual({ status: 200, calls: 1, sub: USER.sub });
  // A custom fetch may answer with spa-js's other ResponseHeaders shapes (a record, in any case,
  // or a list of pairs): the worker's refusal still comes back as its typed error.
  for (const headers of [
    'Object.fromEntries(r.headers)',
    'Object.fromEntries([...r.headers].map(([k, v]) => [k.toUpperCase(), v]))',
    '[...r.headers]',
  ]) {
    const refused = await withClient(
      page,
      `async (a, base) => {
        const f = a.createFetcher({ baseUrl: base, fetch: async (request) => { const r = await fetch(request); return { status: r.status, headers: ${headers} }; } });
        return f.fetchWithAuth('api/me', undefined, { audience: 'https://evil.example/' });
      }`,
      `${API_URL}/`,
    );
    expect(refused, headers).toEqual({ rejected: 'NotAllowedError:not_allowed' });
  }
  expect(
    await withClient(page, '(a) => a.createFetcher({ getAccessToken: async () => "t" })'),
  ).toMatchObject({ rejected: expect.stringContaining('InvalidConfigurationError') });
});

test('loginWithPopup timing out: PopupTimeoutError is a TimeoutError and carries the popup', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const popupOpened = page.waitForEvent('popup');
  const outcome = withClient(
    page,
    `async (a) => {
      try { await a.loginWithPopup({}, { timeoutInSeconds: 1 }); return 'resolved'; }
      catch (e) { return { name: e.name, error: e.error, timeout: Object.getPrototypeOf(e.constructor).prototype.name, popup: typeof e.popup?.close, closed: e.popup?.closed }; }
    }`,
  );
  await popupOpened;
  expect(await outcome).toEqual({
    name: 'PopupTimeoutError',
    error: 'timeout',
    timeout: 'TimeoutError',
    popup: 'function',
    // The SDK closes a popup it opened itself when the login fails.
    closed: true,
  });
});

test('revokeRefreshToken({ audience }): that audience’s refresh token is revoked; another is refused', async ({
  page,
}) => {
  await login(page, 'dpop');
  expect(
    await withClient(
      page,
      '(a, audience) => a.revokeRefreshToken({ audience })',
      'https://elsewhere.example.com/',
    ),
  ).toEqual({ rejected: 'NotAllowedError:not_allowed' });
  expect((await tenantAdmin.tokens()).refreshTokens.some((t) => t.status === 'active')).toBe(true);
  await withClient(page, '(a, audience) => a.revokeRefreshToken({ audience })', AUDIENCE);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.every((token) => token.status !== 'active')).toBe(true);
});

test.describe('with exposeAccessTokens', () => {
  let exposed: CustomApp;
  test.beforeAll(async () => {
    exposed = await startCustomApp(4455, { exposeAccessTokens: true });
  });
  test.afterAll(() => exposed.close());

  test("getTokenSilently({ cacheMode: 'cache-only' }) resolves undefined when nothing is cached, as spa-js", async ({
    page,
  }) => {
    await page.goto(`${exposed.origin}/`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(
      await withClient(
        page,
        `(a) => a.getTokenSilently({ cacheMode: 'cache-only' }).then((t) => t === undefined ? 'undefined' : typeof t)`,
      ),
    ).toBe('undefined');
    await loginAt(page, exposed.origin);
    expect(
      await withClient(
        page,
        `(a) => a.getTokenSilently({ cacheMode: 'cache-only' }).then((t) => typeof t)`,
      ),
    ).toBe('string');
    // With tokens exposed, a fetcher may take getAccessToken; the worker still attaches its own.
    const status = await withClient(
      page,
      `async (a, base) => (await a.createFetcher({ baseUrl: base, getAccessToken: () => a.getTokenSilently() }).fetchWithAuth('api/me')).status`,
      `${API_URL}/`,
    );
    expect(status).toBe(200);
  });
});
