import type { Page } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, USER } from '../support/environment.js';
import { callApi, expect, login, openApp, test } from '../support/fixtures.js';
import { recordSessionEvents, sessionEvents } from '../support/lifecycle.js';

// THREATS 12 — many tabs share one worker, so one refresh serves them all, and one logout ends
// the session for all. The plain case (3 tabs × 50 simultaneous calls → one refresh, and logout
// reaching another open tab) is in e2e/custody.spec.ts; these are the variations an attacker or
// an unlucky user produces: tabs that arrive while a refresh is in flight, tokens of two scopes
// refreshed at once, a tab opened after the logout, and a tab whose refresh was in flight when
// another tab logged out.

/** `n` fetchWithAuth calls at once from a tab, with token options: each one's status or error code. */
function burst(page: Page, n: number, options?: { scope?: string }): Promise<(number | string)[]> {
  return page.evaluate(
    async ({ url, n, options }) => {
      const auth0 = window.auth0;
      return Promise.all(
        Array.from({ length: n }, () =>
          auth0.fetchWithAuth(url, undefined, options).then(
            (response) => response.status,
            (error: { code?: string }) => String(error.code),
          ),
        ),
      );
    },
    { url: `${API_URL}/api/me`, n, options },
  );
}

test('THREATS 12: tabs opened while a refresh is in flight join it — still exactly one refresh', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  // The refresh takes 2.5 s at the tenant: long enough for two more tabs to load and call.
  await tenantAdmin.addFault({
    path: '/oauth/token',
    delayMs: 2500,
    times: 1,
    when: { grantType: 'refresh_token' },
  });
  const refreshSent = context.waitForEvent(
    'request',
    (request) => request.method() === 'POST' && request.url().endsWith('/oauth/token'),
  );
  const first = burst(page, 20);
  await refreshSent;
  const late = await context.newPage();
  await openApp(late, 'dpop');
  const second = burst(late, 20);
  const later = await context.newPage();
  await openApp(later, 'dpop');
  const third = burst(later, 20);

  expect([...(await first), ...(await second), ...(await third)]).toEqual(Array(60).fill(200));
  const refreshes = await tenantAdmin.refreshRequests();
  expect(refreshes.map((entry) => entry.status)).toEqual([200]);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.filter((token) => token.status === 'revoked')).toEqual([]);
});

test('THREATS 12: tokens of two scopes expire in three tabs at once — one refresh per scope, no reuse detection', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  const tabs = [page, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) await openApp(tab, 'dpop');
  // Two tokens in the worker: the login's scope and a narrower one (fetchWithAuth's `scope`).
  expect(await burst(page, 1, { scope: 'read:notes' })).toEqual([200]);
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();

  // Both refreshes would present the same refresh token; with rotation the second must wait for
  // the first's new token, or the tenant sees a rotated token reused and revokes the family. A
  // slow first refresh makes sure the second starts while it is in flight.
  await tenantAdmin.addFault({
    path: '/oauth/token',
    delayMs: 1000,
    times: 1,
    when: { grantType: 'refresh_token' },
  });
  const statuses = await Promise.all(
    tabs.flatMap((tab) => [burst(tab, 25), burst(tab, 25, { scope: 'read:notes' })]),
  );
  expect(statuses.flat()).toEqual(Array(150).fill(200));
  const refreshes = await tenantAdmin.refreshRequests();
  expect(refreshes.map((entry) => entry.status)).toEqual([200, 200]);
  // Two distinct proofs, one per refresh, from the session's one key.
  expect(new Set(refreshes.map((entry) => entry.dpopJti)).size).toBe(2);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.filter((token) => token.status === 'revoked')).toEqual([]);
  expect(refreshTokens.filter((token) => token.status === 'active')).toHaveLength(1);
  // The API saw each scope's token: the narrow one carries only what was asked.
  const me = await callApi(page, `${API_URL}/api/me`);
  expect(me).toMatchObject({ status: 200, body: { sub: USER.sub } });
});

test('THREATS 12: a tab opened after a logout elsewhere sends nothing credentialed, plain fetch included', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${appUrl('dpop')}/`);
  await expect(page.getByRole('status')).toContainText('Logged out');
  await apiAdmin.clearRequests();

  const late = await context.newPage();
  await openApp(late, 'dpop');
  await expect(late.getByRole('status')).toContainText('Logged out');
  const plain = await callApi(late, `${API_URL}/api/echo`, { plain: true });
  expect(plain).toMatchObject({ status: 200 });
  const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
  expect(headers.authorization).toBeUndefined();
  expect(headers.dpop).toBeUndefined();
  expect(await callApi(late, `${API_URL}/api/me`, { plain: true })).toMatchObject({ status: 401 });
  expect(await callApi(late, `${API_URL}/api/me`)).toMatchObject({
    error: { name: 'LoginRequiredError', code: 'login_required' },
  });
  expect((await apiAdmin.requests()).filter((entry) => entry.authScheme !== null)).toEqual([]);
});

test('THREATS 12: a tab whose refresh is in flight when another tab logs out gets a typed error, and nothing comes back to life', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  const busy = await context.newPage();
  await openApp(busy, 'dpop');
  await recordSessionEvents(busy);
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();
  await tenantAdmin.addFault({
    path: '/oauth/token',
    delayMs: 1500,
    when: { grantType: 'refresh_token' },
  });

  // The refresh has left the worker (the tenant logs a request only once it answered).
  const refreshSent = context.waitForEvent(
    'request',
    (request) => request.method() === 'POST' && request.url().endsWith('/oauth/token'),
  );
  const inFlight = callApi(busy, `${API_URL}/api/me`);
  await refreshSent;
  const loggingOut = new Date().toISOString();
  await page.evaluate(() =>
    window.auth0.logout({
      openUrl: false,
    }),
  );

  expect(await inFlight).toMatchObject({ error: { code: 'login_required' } });
  await tenantAdmin.clearFaults();
  expect(await sessionEvents(busy)).toContainEqual({ authenticated: false, reason: 'logout' });
  // Nothing the late refresh answered was kept: no session, no key, no refresh token.
  for (const tab of [page, busy]) {
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
      error: { code: 'login_required' },
    });
    expect(await tab.evaluate(() => window.auth0.isAuthenticated())).toBe(false);
  }
  const vault = await busy.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('auth0-enclave');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = (store: string) =>
      new Promise<number>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const counts = {
      keys: await count('keys'),
      session: await count('session'),
      nonces: await count('nonces'),
    };
    db.close();
    return counts;
  });
  expect(vault).toEqual({ keys: 0, session: 0, nonces: 0 });
  // No request reached the API with credentials after the logout (the busy tab's expired token
  // went out, and was refused, before it), and no family is usable.
  const credentialed = (await apiAdmin.requests()).filter((entry) => entry.authScheme !== null);
  expect(credentialed.filter((entry) => entry.at >= loggingOut)).toEqual([]);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.filter((token) => token.status === 'active')).toEqual([]);
});
