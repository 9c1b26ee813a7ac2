import type { Page } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, USER } from '../support/environment.js';
import { callApi, expect, login, openApp, test } from '../support/fixtures.js';
import { callClient, recordSessionEvents, sessionEvents } from '../support/lifecycle.js';
import { dumpStorage, expectNothingStored, vaultStore } from '../support/storage.js';

// THREATS 16 — logout: keys, tokens, nonces, transactions and login results gone from every store
// of every storage API, the refresh token revoked at the tenant (and with it the family), every
// open tab told and its next request uncredentialed, and a login another tab had in progress
// failing with a typed error instead of completing into a session the user just ended.

const APP = appUrl('dpop');

/** Starts a login in `page` without navigating: a pending transaction in the vault. */
function startLoginInPlace(page: Page): Promise<void> {
  return page.evaluate(async () => {
    await window.auth0.loginWithRedirect({ openUrl: () => {} });
  });
}

test('THREATS 16: logout empties every store, revokes the refresh token at the tenant, tells every tab; their next requests carry nothing', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  const tabs = [page, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) await openApp(tab, 'dpop');
  for (const tab of tabs) await recordSessionEvents(tab);
  // Give every store something: nonces from both servers (a call, a refresh), a rotated refresh
  // token, a pending login from another tab, and a login result nobody picked up.
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  await tenantAdmin.advanceClock(2 * 60 * 60);
  expect(await callApi(tabs[1] as Page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  await startLoginInPlace(tabs[2] as Page);
  const before = await page.evaluate(dumpStorage);
  for (const store of ['keys', 'session', 'nonces', 'transactions'])
    expect(vaultStore(before, store).length, `before logout: ${store}`).toBeGreaterThan(0);
  expect(vaultStore(before, 'nonces').map((record) => record.key)).toEqual(
    expect.arrayContaining(['http://localhost:4400', API_URL]),
  );
  await tenantAdmin.clearRequests();

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${APP}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('status')).toContainText('Logged out');
  const loggedOutAt = new Date().toISOString();

  // Every store of every storage API is empty: keys, session, nonces, transactions, results.
  for (const tab of tabs) expectNothingStored(await tab.evaluate(dumpStorage));

  // The refresh token was revoked at the tenant, and with it the whole family.
  const revocations = (await tenantAdmin.requests('/oauth/revoke')).filter(
    (entry) => entry.method === 'POST',
  );
  expect(revocations.map((entry) => [entry.status, entry.clientId])).toEqual([[200, 'spa-dpop']]);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.length).toBeGreaterThanOrEqual(2);
  expect(refreshTokens.every((token) => token.status === 'revoked')).toBe(true);

  // The other tabs were told, by the worker, once.
  for (const tab of tabs.slice(1)) {
    expect(await sessionEvents(tab)).toEqual([{ authenticated: false, reason: 'logout' }]);
    await expect(tab.getByRole('status')).toContainText('Logged out');
  }
  // And their next requests go without credentials: typed for fetchWithAuth, bare for fetch.
  for (const tab of tabs) {
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
      error: { name: 'LoginRequiredError', code: 'login_required' },
    });
    const plain = await callApi(tab, `${API_URL}/api/echo`, { plain: true });
    const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.dpop).toBeUndefined();
    expect(await callClient(tab, 'getIdTokenClaims')).toEqual({ value: undefined });
    expect(await callClient(tab, 'getDpopNonce')).toEqual({ value: undefined });
    expect(await callClient(tab, 'getDpopNonce', API_URL)).toEqual({ value: undefined });
  }
  const after = (await apiAdmin.requests()).filter((entry) => entry.at >= loggedOutAt);
  expect(after.filter((entry) => entry.authScheme !== null || entry.dpopJti)).toEqual([]);
  // Nothing tried to refresh after the logout.
  expect(await tenantAdmin.refreshRequests()).toEqual([]);
});

test('THREATS 16: a login in progress in another tab fails with a typed error after a logout, and redeems nothing', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  // The other tab starts its own login and stops at the tenant's form (the tenant session is
  // ended first, so the form is shown).
  await tenantAdmin.endSessions();
  const other = await context.newPage();
  await openApp(other, 'dpop');
  await other.evaluate(() => {
    void window.auth0.loginWithRedirect();
  });
  await expect(other.getByLabel('Password')).toBeVisible();

  // Meanwhile, the first tab logs out.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${APP}/`);
  await expect(page.getByRole('status')).toContainText('Logged out');
  await tenantAdmin.clearRequests();

  // The other tab's user finishes the form. The worker no longer holds that login's transaction
  // (nor the key its code was bound to): a typed error, and the code is never sent anywhere.
  await other.getByLabel('Email').fill(USER.email);
  await other.getByLabel('Password').fill(USER.password);
  await other.getByRole('button', { name: 'Continue' }).click();
  await other.waitForURL(`${APP}/`);
  await expect(other.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(other.locator('#api-result')).toContainText(
    'Login failed: InvalidStateError (invalid_state)',
  );
  await expect(other.getByRole('status')).toContainText('Logged out');
  for (const tab of [page, other]) {
    expect(await callClient(tab, 'isAuthenticated')).toEqual({ value: false });
    expectNothingStored(await tab.evaluate(dumpStorage));
  }
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);
  expect((await tenantAdmin.tokens()).refreshTokens.filter((t) => t.status === 'active')).toEqual(
    [],
  );
});
