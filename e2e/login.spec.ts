import { API_URL, appUrl, USER } from './support/environment.js';
import { callApi, expect, login, openApp, test } from './support/fixtures.js';

test.describe('redirect login (DPoP worker)', () => {
  test('logs in through the tenant, lands on a clean URL, and calls the API', async ({ page }) => {
    await login(page, 'dpop');
    // The worker redeemed the code from the intercepted navigation: nothing in the address bar.
    const href = await page.evaluate(() => location.href);
    expect(href).toBe(`${appUrl('dpop')}/`);
    expect(href).not.toMatch(/code=|state=/);

    const user = await page.evaluate(() => window.auth0.getUser());
    expect(user).toMatchObject({ sub: USER.sub, email: USER.email });

    const viaFetchWithAuth = await callApi(page, `${API_URL}/api/me`);
    expect(viaFetchWithAuth).toMatchObject({
      status: 200,
      body: { sub: USER.sub, tokenType: 'DPoP' },
    });
    const viaPlainFetch = await callApi(page, `${API_URL}/api/me`, { plain: true });
    expect(viaPlainFetch).toMatchObject({
      status: 200,
      body: { sub: USER.sub, tokenType: 'DPoP' },
    });
  });

  test('a reload keeps the session; a second tab needs no second login', async ({
    page,
    context,
  }) => {
    await login(page, 'dpop');
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);

    const second = await context.newPage();
    await openApp(second, 'dpop');
    await expect(second.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
    expect(await callApi(second, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  });
});
