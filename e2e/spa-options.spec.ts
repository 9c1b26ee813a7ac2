import type { Page } from '@playwright/test';
import { SAMPLE_SUBJECT_TOKEN, SAMPLE_SUBJECT_TOKEN_TYPE } from 'auth0-enclave-tenant';
import type { Auth0Client } from '../src/client/index.js';
import { apiAdmin, tenantAdmin } from './support/admin-clients.js';
import { API_URL, AUDIENCE, appUrl, TENANT_URL, USER } from './support/environment.js';
import { expect, login, openApp, test } from './support/fixtures.js';

// One test per auth0-spa-js method or option the compatibility table (docs/migration.md) marks
// "supported" that no other spec already proves.

/** Runs `fn(auth0)` in the page with the sample app's client, reporting a rejection as data. */
function withClient<T>(page: Page, fn: string, arg?: unknown): Promise<T | { rejected: string }> {
  return page.evaluate(
    async ({ fn, arg }) => {
      try {
        // The test ships small functions into the page as text (Playwright's evaluate cannot
        // pass a function argument); this evaluates one in the page's global scope.
        // biome-ignore lint/security/noGlobalEval: test-only, the text comes from this file
        const run = globalThis.eval(fn) as (
          client: Auth0Client,
          value: unknown,
        ) => Promise<unknown>;
        return (await run(window.auth0, arg)) as T;
      } catch (error) {
        return { rejected: `${(error as Error).name}:${(error as { code?: string }).code}` };
      }
    },
    { fn, arg },
  );
}

test("getConfiguration: the worker's public configuration", async ({ page }) => {
  await openApp(page, 'dpop');
  const config = await withClient<Record<string, unknown>>(
    page,
    '(a) => a.getWorkerConfiguration()',
  );
  expect(config).toMatchObject({
    domain: TENANT_URL,
    clientId: 'spa-dpop',
    useDpop: true,
    exposeAccessTokens: false,
    exposeDpopProofs: false,
    authorizationParams: { audience: AUDIENCE },
  });
});

test('createAuth0Client({ domain, clientId }) that do not match the worker: InvalidConfigurationError', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const result = await page.evaluate(async () => {
    const { createAuth0Client } = window.auth0Enclave;
    return createAuth0Client({ domain: 'other.example.com', clientId: 'spa-dpop' }).then(
      () => 'resolved',
      (error: { name: string }) => error.name,
    );
  });
  expect(result).toBe('InvalidConfigurationError');
});

test('getIdTokenClaims: the claims, without the raw token', async ({ page }) => {
  await login(page, 'dpop');
  const claims = await withClient<Record<string, unknown>>(page, '(a) => a.getIdTokenClaims()');
  expect(claims).toMatchObject({
    sub: USER.sub,
    email: USER.email,
    iss: `${TENANT_URL}/`,
    aud: 'spa-dpop',
  });
  expect(claims).not.toHaveProperty('__raw');
  expect(JSON.stringify(claims)).not.toMatch(/eyJ[\w-]+\.eyJ/);
});

test('checkSession: resolves logged out (nothing to check) and logged in; a refused refresh is "not logged in"', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  expect(await withClient(page, '(a) => a.checkSession()')).toBeUndefined();
  await login(page, 'dpop');
  expect(await withClient(page, '(a) => a.checkSession()')).toBeUndefined();
  // The refresh token dies at the tenant; a check that must refresh gets invalid_grant, which
  // ends the session in the worker and is swallowed as "not logged in", as auth0-spa-js does.
  await tenantAdmin.revokeRefreshTokens({ sub: USER.sub });
  expect(
    await withClient(
      page,
      `(a, audience) => a.checkSession({ authorizationParams: { audience, scope: 'openid read:notes' } })`,
      AUDIENCE,
    ),
  ).toBeUndefined();
  expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(false);
});

test('createFetcher({ baseUrl }): relative URLs against the base, credentials attached', async ({
  page,
}) => {
  await login(page, 'dpop');
  const result = await withClient<{ status: number; body: Record<string, unknown> }>(
    page,
    `async (a, base) => { const f = a.createFetcher({ baseUrl: base }); const r = await f.fetchWithAuth('api/me'); return { status: r.status, body: await r.json() }; }`,
    `${API_URL}/`,
  );
  expect(result).toMatchObject({ status: 200, body: { sub: USER.sub, tokenType: 'DPoP' } });
});

// customTokenExchange (no session, as in spa-js): e2e/spa-dropin.spec.ts.
test('exchangeToken is an alias of loginWithCustomTokenExchange', async ({ page }) => {
  await openApp(page, 'dpop');
  for (const method of ['exchangeToken']) {
    const summary = await withClient<Record<string, unknown>>(page, `(a, o) => a.${method}(o)`, {
      subject_token: SAMPLE_SUBJECT_TOKEN,
      subject_token_type: SAMPLE_SUBJECT_TOKEN_TYPE,
    });
    expect(summary).toMatchObject({ token_type: 'DPoP' });
  }
  expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(true);
});

test.describe('popups', () => {
  async function loginInPopup(popup: Page): Promise<void> {
    await popup.getByLabel('Email').fill(USER.email);
    await popup.getByLabel('Password').fill(USER.password);
    await popup.getByRole('button', { name: 'Continue' }).click();
  }

  test('getTokenWithPopup: logs in, then, without exposeAccessTokens, TokenNotExposedError', async ({
    page,
  }) => {
    await openApp(page, 'dpop');
    const popupOpened = page.waitForEvent('popup');
    const outcome = withClient(page, '(a) => a.getTokenWithPopup()');
    await loginInPopup(await popupOpened);
    expect(await outcome).toEqual({ rejected: 'TokenNotExposedError:token_not_exposed' });
    expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(true);
  });

  test('a popup opened by the app itself, kept open with closePopup: false', async ({ page }) => {
    await openApp(page, 'dpop');
    const popupOpened = page.waitForEvent('popup');
    const outcome = page.evaluate(async () => {
      const popup = window.open('', 'mine', 'width=400,height=600');
      if (!popup) throw new Error('window.open returned null');
      const auth0 = window.auth0;
      await auth0.loginWithPopup?.({}, { popup, closePopup: false });
      return popup?.closed;
    });
    await loginInPopup(await popupOpened);
    expect(await outcome).toBe(false);
    expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(true);
  });

  test('authorizeTimeoutInSeconds bounds a popup that never finishes', async ({ page }) => {
    await openApp(page, 'dpop');
    const result = await page.evaluate(async () => {
      const { createAuth0Client } = window.auth0Enclave;
      const client = await createAuth0Client({ authorizeTimeoutInSeconds: 1 });
      const started = Date.now();
      try {
        await client.loginWithPopup?.();
        return 'resolved';
      } catch (error) {
        return `${(error as Error).name}:${Date.now() - started < 5000}`;
      }
    });
    expect(result).toBe('PopupTimeoutError:true');
  });
});

test.describe('logout options', () => {
  test('openUrl: false ends the session here without visiting the server', async ({ page }) => {
    await login(page, 'dpop');
    await tenantAdmin.clearRequests();
    expect(await withClient(page, '(a) => a.logout({ openUrl: false })')).toBeUndefined();
    expect(page.url()).toBe(`${appUrl('dpop')}/`);
    expect(await withClient(page, '(a) => a.isAuthenticated()')).toBe(false);
    // The refresh token was still revoked; the tenant's logout endpoint was not visited.
    const log = await tenantAdmin.requests();
    expect(log.some((entry) => entry.path === '/oauth/revoke')).toBe(true);
    expect(log.some((entry) => entry.path.endsWith('/logout'))).toBe(false);
  });

  test('openUrl as a function receives the logout URL with returnTo and federated', async ({
    page,
  }) => {
    await login(page, 'dpop');
    const url = await withClient<string>(
      page,
      `async (a, returnTo) => { let seen; await a.logout({ logoutParams: { returnTo, federated: true }, openUrl: (u) => { seen = u; } }); return seen; }`,
      `${appUrl('dpop')}/bye`,
    );
    const parsed = new URL(url as string);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(`${TENANT_URL}/oidc/logout`);
    expect(parsed.searchParams.get('post_logout_redirect_uri')).toBe(`${appUrl('dpop')}/bye`);
    expect(parsed.searchParams.get('client_id')).toBe('spa-dpop');
    expect(parsed.searchParams.get('federated')).toBe('true');
    expect(await apiAdmin.requests()).toEqual([]);
  });
});
