import type { Page } from '@playwright/test';
import { SAMPLE_SUBJECT_TOKEN, SAMPLE_SUBJECT_TOKEN_TYPE } from 'auth0-enclave-tenant';
import type { Auth0Method } from '../dev/app/test-hooks.js';
import { apiAdmin, tenantAdmin } from './support/admin-clients.js';
import { type CustomApp, loginAt, startCustomApp } from './support/custom-app.js';
import { API_URL, appUrl, TENANT_URL, USER } from './support/environment.js';
import { callApi, expect, login, openApp, test } from './support/fixtures.js';
import { dumpStorage } from './support/storage.js';

// auth0-spa-js parity (issue 6): popup and silent login, getTokenSilently in both exposure modes,
// Custom Token Exchange, connected accounts, organizations. Custom apps use ports 4440–4449.

type Settled =
  | { ok: true; value: unknown }
  | { ok: false; name: string; code: string; error: string };

/** Runs `auth0.<method>(...args)` in the page and reports how it settled. */
function call(page: Page, method: Auth0Method, ...args: unknown[]): Promise<Settled> {
  return page.evaluate(
    async ({ method, args }) => {
      try {
        const value: unknown = await Reflect.apply(window.auth0[method], window.auth0, args);
        return { ok: true as const, value };
      } catch (caught) {
        const error = caught as { name: string; code: string; error: string };
        return { ok: false as const, name: error.name, code: error.code, error: error.error };
      }
    },
    { method, args },
  );
}

async function pendingTransactions(page: Page): Promise<number> {
  const dump = await page.evaluate(dumpStorage);
  return dump.indexedDb['auth0-enclave']?.transactions?.length ?? 0;
}

test.describe('loginWithPopup', () => {
  test("approve: the worker redeems the popup's callback, the popup closes, the page is logged in", async ({
    page,
  }) => {
    await openApp(page, 'dpop');
    const committed: string[] = [];
    page.on('framenavigated', (frame) => committed.push(frame.url()));
    const popupOpened = page.waitForEvent('popup');
    await page.getByRole('button', { name: 'Popup login' }).click();
    const popup = await popupOpened;
    await popup.getByLabel('Email').fill(USER.email);
    await popup.getByLabel('Password').fill(USER.password);
    // Wait for the close from before the click: under load the popup can close before a wait
    // started after the click would be listening.
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Continue' }).click();
    await closed;
    await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { tokenType: 'DPoP' },
    });
    expect(committed.filter((url) => /code=|state=/.test(url))).toEqual([]);
    expect(await pendingTransactions(page)).toBe(0);
  });

  test('closed early by the user: PopupCancelledError, and the login can no longer be redeemed', async ({
    page,
  }) => {
    await openApp(page, 'dpop');
    const popupOpened = page.waitForEvent('popup');
    const outcome = page.evaluate(async () => {
      const auth0 = window.auth0;
      try {
        await auth0.loginWithPopup();
        return 'resolved';
      } catch (error) {
        return `${(error as Error).name}:${(error as { error: string }).error}`;
      }
    });
    const popup = await popupOpened;
    await expect(popup.getByLabel('Email')).toBeVisible();
    await popup.close();
    expect(await outcome).toBe('PopupCancelledError:cancelled');
    expect(await pendingTransactions(page)).toBe(0);
  });

  test('blocked by the browser: PopupOpenError, nothing started', async ({ page }) => {
    await openApp(page, 'dpop');
    const result = await page.evaluate(async () => {
      window.open = () => null;
      const auth0 = window.auth0;
      try {
        await auth0.loginWithPopup();
        return 'resolved';
      } catch (error) {
        return `${(error as Error).name}:${(error as { code: string }).code}`;
      }
    });
    expect(result).toBe('PopupOpenError:popup_open');
    expect(await pendingTransactions(page)).toBe(0);
  });

  test('not finished in time: PopupTimeoutError, the popup is closed', async ({ page }) => {
    await openApp(page, 'dpop');
    const popupOpened = page.waitForEvent('popup');
    const outcome = page.evaluate(async () => {
      const auth0 = window.auth0;
      try {
        await auth0.loginWithPopup({}, { timeoutInSeconds: 1 });
        return 'resolved';
      } catch (error) {
        return `${(error as Error).name}:${(error as { error: string }).error}`;
      }
    });
    const popup = await popupOpened;
    expect(await outcome).toBe('PopupTimeoutError:timeout');
    await expect.poll(() => popup.isClosed()).toBe(true);
    expect(await pendingTransactions(page)).toBe(0);
  });
});

test.describe('getTokenSilently', () => {
  let exposed: CustomApp;
  test.beforeAll(async () => {
    exposed = await startCustomApp(4440, { exposeAccessTokens: true });
  });
  test.afterAll(() => exposed.close());

  test('default worker: rejects with TokenNotExposedError pointing to fetchWithAuth', async ({
    page,
  }) => {
    await login(page, 'dpop');
    const result = await call(page, 'getTokenSilently');
    expect(result).toMatchObject({
      ok: false,
      name: 'TokenNotExposedError',
      code: 'token_not_exposed',
    });
    const message = await page.evaluate(() =>
      window.auth0.getTokenSilently().catch((error: Error) => error.message),
    );
    expect(message).toContain('fetchWithAuth');
    expect(message).toContain('exposeAccessTokens');
  });

  test("exposeAccessTokens: returns the worker's token, detailed or not, cache modes honoured", async ({
    page,
  }) => {
    await loginAt(page, exposed.origin);
    const token = await call(page, 'getTokenSilently');
    expect(token).toMatchObject({ ok: true });
    expect((token as { value: string }).value).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const detailed = await call(page, 'getTokenSilently', { detailedResponse: true });
    expect(detailed).toMatchObject({
      ok: true,
      value: { token_type: 'DPoP', access_token: (token as { value: string }).value },
    });
    await tenantAdmin.clearRequests();
    const cached = await call(page, 'getTokenSilently', { cacheMode: 'cache-only' });
    expect((cached as { value: string }).value).toBe((token as { value: string }).value);
    const fresh = await call(page, 'getTokenSilently', { cacheMode: 'off' });
    expect((fresh as { value: string }).value).not.toBe((token as { value: string }).value);
    expect(await tenantAdmin.refreshRequests()).toHaveLength(1);
    // Still nothing outside the config.
    expect(
      await call(page, 'getTokenSilently', {
        authorizationParams: { audience: 'https://evil.example/' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'not_allowed',
    });
  });

  test('useRefreshTokensFallback: after the tenant revoked the refresh token, a silent iframe login restores the session', async ({
    page,
  }) => {
    await loginAt(page, exposed.origin);
    const before = await call(page, 'getTokenSilently');
    await tenantAdmin.revokeRefreshTokens({ sub: USER.sub });
    await tenantAdmin.clearRequests();
    const result = await page.evaluate(async () => {
      const { createAuth0Client } = window.auth0Enclave;
      const client = await createAuth0Client({ useRefreshTokensFallback: true });
      try {
        return { token: await client.getTokenSilently({ cacheMode: 'off' }) };
      } catch (error) {
        return { error: `${(error as Error).name}:${(error as { error: string }).error}` };
      }
    });
    expect(result).toMatchObject({ token: expect.stringMatching(/^eyJ/) });
    expect((result as { token: string }).token).not.toBe((before as { value: string }).value);
    // The refresh was refused, then /authorize?prompt=none ran in the iframe and its code was redeemed.
    const log = await tenantAdmin.requests();
    expect(log.some((entry) => entry.grantType === 'refresh_token' && entry.status >= 400)).toBe(
      true,
    );
    expect(log.some((entry) => entry.path === '/authorize')).toBe(true);
    expect(
      log.some((entry) => entry.grantType === 'authorization_code' && entry.status === 200),
    ).toBe(true);
    expect(await page.locator('iframe').count()).toBe(0);
  });

  test('silent login without a tenant session: a typed login_required, no iframe left behind', async ({
    page,
  }) => {
    await loginAt(page, exposed.origin);
    await tenantAdmin.revokeRefreshTokens({ sub: USER.sub });
    await tenantAdmin.endSessions();
    const result = await page.evaluate(async () => {
      const { createAuth0Client } = window.auth0Enclave;
      const client = await createAuth0Client({ useRefreshTokensFallback: true });
      return client.getTokenSilently({ cacheMode: 'off' }).then(
        () => 'resolved',
        (error: { name: string; error: string }) => `${error.name}:${error.error}`,
      );
    });
    expect(result).toBe('AuthenticationError:login_required');
    expect(await page.locator('iframe').count()).toBe(0);
    expect(await pendingTransactions(page)).toBe(0);
  });
});

test('loginWithCustomTokenExchange: the exchanged tokens establish the session in the worker', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const summary = await call(page, 'loginWithCustomTokenExchange', {
    subject_token: SAMPLE_SUBJECT_TOKEN,
    subject_token_type: SAMPLE_SUBJECT_TOKEN_TYPE,
  });
  expect(summary).toMatchObject({ ok: true, value: { token_type: 'DPoP' } });
  expect((summary as { value: Record<string, unknown> }).value).not.toHaveProperty('access_token');
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub: USER.sub, tokenType: 'DPoP' },
  });
  // A subject token the tenant does not accept: a typed error, no session change.
  expect(
    await call(page, 'loginWithCustomTokenExchange', {
      subject_token: 'forged',
      subject_token_type: SAMPLE_SUBJECT_TOKEN_TYPE,
    }),
  ).toMatchObject({ ok: false, name: 'OAuthError', error: 'invalid_grant' });
  expect(await call(page, 'isAuthenticated')).toMatchObject({ ok: true, value: true });
});

test('connectAccountWithRedirect: the worker runs the My Account flow; handleRedirectCallback returns the account', async ({
  page,
}) => {
  await login(page, 'dpop');
  await tenantAdmin.clearRequests();
  await page.evaluate(() => {
    // Not awaited: the page navigates away while the promise is pending.
    void window.auth0.connectAccountWithRedirect({
      connection: 'google-oauth2',
      scopes: ['openid', 'email'],
      appState: { returnTo: '/settings' },
    });
  });
  await page.getByRole('button', { name: 'Connect Google' }).click();
  await page.waitForURL(`${appUrl('dpop')}/`);
  await expect(page.locator('#api-result')).toContainText('Connected google-oauth2');
  const last = await page.evaluate(() => window.lastCallback);
  expect(last).toMatchObject({
    result: {
      response_type: 'connect_code',
      connection: 'google-oauth2',
      appState: { returnTo: '/settings' },
    },
  });
  const accounts = await fetch(`${TENANT_URL}/__admin/connected-accounts`).then((r) => r.json());
  expect(JSON.stringify(accounts)).toContain('google-oauth2');
  // The My Account token was fetched by the worker for itself: never the page's, never sent to the API.
  expect((await apiAdmin.requests()).filter((entry) => entry.authScheme)).toEqual([]);
});

test('an organization the ID token does not carry is rejected; nothing is stored', async ({
  page,
}) => {
  // Every code exchange of this test gets a validly signed ID token naming another organization
  // (not `times: 1`: the first token request only learns the DPoP nonce).
  await tenantAdmin.addFault({
    path: '/oauth/token',
    idTokenClaims: { org_id: 'org_someone_else' },
  });
  await openApp(page, 'dpop');
  await page.evaluate(() => {
    // Not awaited: the page navigates away while the promise is pending.
    void window.auth0.loginWithRedirect({
      authorizationParams: { organization: 'org_wonderland' },
    });
  });
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${appUrl('dpop')}/`);
  const last = await page.evaluate(() => window.lastCallback);
  expect(last).toMatchObject({
    error: { name: 'IdTokenValidationError', code: 'invalid_id_token' },
  });
  expect(await call(page, 'isAuthenticated')).toMatchObject({ ok: true, value: false });
  const dump = await page.evaluate(dumpStorage);
  expect(dump.indexedDb['auth0-enclave']?.session).toEqual([]);
});

test('revokeRefreshToken: revoked at the tenant, and the next refresh needs a login', async ({
  page,
}) => {
  await login(page, 'dpop');
  expect(await call(page, 'revokeRefreshToken')).toMatchObject({ ok: true });
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.every((token) => token.status !== 'active')).toBe(true);
  await tenantAdmin.advanceClock(2 * 60 * 60);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    error: { code: 'missing_refresh_token' },
  });
});
