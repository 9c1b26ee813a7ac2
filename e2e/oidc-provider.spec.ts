// The SDK's worker against a standards-only, certified OpenID Provider (oidc-provider, set up by
// test/interop/provider.ts): discovery instead of Auth0's paths, an issuer without a trailing
// slash, resource indicators instead of `audience`, DPoP with nonces required everywhere, and an
// RP-initiated logout that asks the user to confirm.
import type { BrowserContext, Page } from '@playwright/test';
import { appUrl, OIDC_API_URL, OIDC_PROVIDER_URL, OIDC_USER } from './support/environment.js';
import { callApi, expect, openApp, stopWorkers, test } from './support/fixtures.js';

interface ApiRequest {
  path: string;
  authScheme: 'DPoP' | 'Bearer' | null;
  dpopJkt?: string;
  status: number;
}

async function apiRequests(): Promise<ApiRequest[]> {
  const response = await fetch(`${OIDC_API_URL}/__admin/requests`);
  return (await response.json()) as ApiRequest[];
}

async function clearApiRequests(): Promise<void> {
  await fetch(`${OIDC_API_URL}/__admin/requests`, { method: 'DELETE' });
}

/** Records what the worker POSTs to oidc-provider: `token:<grant_type>` and `revocation`. */
async function recordProviderCalls(context: BrowserContext): Promise<string[]> {
  const calls: string[] = [];
  await context.route(`${OIDC_PROVIDER_URL}/token**`, async (route) => {
    const request = route.request();
    if (request.method() === 'POST') {
      const form = new URLSearchParams(request.postData() ?? '');
      const path = new URL(request.url()).pathname;
      calls.push(path === '/token' ? `token:${form.get('grant_type')}` : path.slice(1));
    }
    await route.continue();
  });
  return calls;
}

/** Logs in through oidc-provider's login page (the harness's), as a person would. */
async function loginAtOidcProvider(page: Page): Promise<void> {
  await openApp(page, 'oidc');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${OIDC_PROVIDER_URL}/interaction/**`);
  await page.getByLabel('Email').fill(OIDC_USER.email);
  await page.getByLabel('Password').fill(OIDC_USER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${appUrl('oidc')}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('status')).toContainText(`Logged in as ${OIDC_USER.name}`);
}

test.beforeEach(async () => {
  await clearApiRequests();
});

test('oidc-provider: login, DPoP calls to its API, refresh after a worker restart, logout', async ({
  page,
  context,
}) => {
  const calls = await recordProviderCalls(context);
  await loginAtOidcProvider(page);
  // The code was redeemed by the worker: the address bar never held it.
  expect(await page.evaluate(() => location.href)).toBe(`${appUrl('oidc')}/`);
  // The first proof had no nonce: oidc-provider asked for one and the worker retried once.
  expect(calls).toEqual(['token:authorization_code', 'token:authorization_code']);
  const user = await page.evaluate(() => window.auth0.getUser());
  expect(user).toMatchObject({ sub: OIDC_USER.sub, email: OIDC_USER.email });

  // fetchWithAuth and plain fetch() both carry the DPoP-bound token (the API requires nonces too).
  const api = `${OIDC_API_URL}/api/me`;
  const expected = { status: 200, body: { sub: OIDC_USER.sub, tokenType: 'DPoP' } };
  expect(await callApi(page, api)).toMatchObject(expected);
  expect(await callApi(page, api, { plain: true })).toMatchObject(expected);
  const [jkt] = new Set((await apiRequests()).map((entry) => entry.dpopJkt).filter(Boolean));
  expect(jkt).toEqual(expect.any(String));

  // A restarted worker has no access token (memory only): it refreshes with the DPoP-bound
  // refresh token and the key it kept in IndexedDB.
  await stopWorkers(page);
  await clearApiRequests();
  expect(await callApi(page, api)).toMatchObject(expected);
  expect(calls.filter((call) => call === 'token:refresh_token').length).toBeGreaterThanOrEqual(1);
  expect((await apiRequests()).filter((entry) => entry.status === 200).at(-1)?.dpopJkt).toBe(jkt);

  // Logout: the worker revokes the refresh token, then oidc-provider asks for confirmation.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${OIDC_PROVIDER_URL}/session/end**`);
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await page.waitForURL(`${appUrl('oidc')}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('status')).toContainText('Logged out');
  expect(calls).toContain('token/revocation');

  // The next call carries no credentials.
  await clearApiRequests();
  expect(await callApi(page, api)).toMatchObject({ error: { code: 'login_required' } });
  const plain = await callApi(page, `${OIDC_API_URL}/api/echo`, { plain: true });
  expect(plain).toMatchObject({ status: 200 });
  const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
  expect(headers.authorization).toBeUndefined();
  expect(headers.dpop).toBeUndefined();
  expect((await apiRequests()).filter((entry) => entry.authScheme !== null)).toEqual([]);

  // oidc-provider's session ended too: logging in again shows its login page.
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByLabel('Password')).toBeVisible();
});
