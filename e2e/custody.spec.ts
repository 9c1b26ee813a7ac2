import { apiAdmin, tenantAdmin } from './support/admin-clients.js';
import { API_URL, appUrl, USER } from './support/environment.js';
import { callApi, expect, login, openApp, stopWorkers, test } from './support/fixtures.js';

test.describe('the worker holds the session across its own death', () => {
  test('DPoP: a stopped worker comes back with the same key and the session', async ({ page }) => {
    await login(page, 'dpop');
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    const before = (await apiAdmin.requests()).at(-1)?.dpopJkt;
    await stopWorkers(page);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { sub: USER.sub },
    });
    const after = (await apiAdmin.requests()).at(-1)?.dpopJkt;
    expect(after).toBeDefined();
    expect(after).toBe(before);
  });

  test('bearer, memory-only refresh token: a stopped worker means login_required, never an empty Authorization', async ({
    page,
  }) => {
    await login(page, 'bearer');
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { tokenType: 'Bearer' },
    });
    await stopWorkers(page);
    await apiAdmin.clearRequests();

    const strict = await callApi(page, `${API_URL}/api/me`);
    expect(strict).toMatchObject({
      error: { name: 'LoginRequiredError', code: 'login_required', error: 'login_required' },
    });
    // fetchWithAuth failed closed: nothing reached the API.
    expect(await apiAdmin.requests()).toEqual([]);

    // A plain fetch() goes out as written: no Authorization header at all.
    const plain = await callApi(page, `${API_URL}/api/echo`, { plain: true });
    expect(plain).toMatchObject({ status: 200 });
    const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.dpop).toBeUndefined();
  });
});

test('three tabs, an expired token, 150 concurrent calls: exactly one refresh', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  const tabs = [page, await context.newPage(), await context.newPage()];
  for (const tab of tabs.slice(1)) await openApp(tab, 'dpop');
  // Move the tenant's clock (which the API shares) past the access token's expiry.
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();

  const results = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(async (url) => {
        const auth0 = window.auth0;
        const responses = await Promise.all(
          Array.from({ length: 50 }, () => auth0.fetchWithAuth(url)),
        );
        return responses.map((response) => response.status);
      }, `${API_URL}/api/me`),
    ),
  );
  expect(results.flat()).toEqual(Array(150).fill(200));
  expect(await tenantAdmin.refreshRequests()).toHaveLength(1);
  // No refresh token family was revoked by reuse detection.
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.filter((token) => token.status === 'revoked')).toEqual([]);
});

test("logout in one tab: every tab's next call goes without credentials, the tenant session is gone", async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  const other = await context.newPage();
  await openApp(other, 'dpop');
  await expect(other.getByRole('status')).toContainText('Logged in');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${appUrl('dpop')}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('status')).toContainText('Logged out');
  // The other tab was told.
  await expect(other.getByRole('status')).toContainText('Logged out');

  await apiAdmin.clearRequests();
  for (const tab of [page, other]) {
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
      error: { code: 'login_required' },
    });
    const plain = await callApi(tab, `${API_URL}/api/echo`, { plain: true });
    expect(
      (plain as { body: { headers: Record<string, string> } }).body.headers.authorization,
    ).toBeUndefined();
  }
  expect((await apiAdmin.requests()).filter((entry) => entry.authScheme !== null)).toEqual([]);
  // The refresh token was revoked at the tenant.
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.length).toBeGreaterThan(0);
  expect(refreshTokens.every((token) => token.status !== 'active')).toBe(true);
  // And the tenant's login session ended: logging in again shows the form.
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByLabel('Password')).toBeVisible();
});
