import type { Page } from '@playwright/test';
import { apiAdmin, type TenantRequest, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, USER } from '../support/environment.js';
import { callApi, expect, login, openApp, test } from '../support/fixtures.js';

// THREATS 13 — refresh-token rotation under concurrency and a failing token endpoint: one
// refresh flight for every tab, retries of 5xx/429 bounded (three attempts in all) and each with a
// fresh DPoP proof, never a replayed one; no reuse-detection revocation; the session survives an
// outage and the caller gets a typed error while it lasts.

/** 50 fetchWithAuth calls at once from each tab: each one's status, or its error's code. */
async function fiftyEach(tabs: Page[]): Promise<(number | string)[]> {
  const results = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(async (url) => {
        const auth0 = window.auth0;
        return Promise.all(
          Array.from({ length: 50 }, () =>
            auth0.fetchWithAuth(url).then(
              (response) => response.status,
              (error: { name?: string; code?: string }) => `${error.name}:${error.code}`,
            ),
          ),
        );
      }, `${API_URL}/api/me`),
    ),
  );
  return results.flat();
}

async function threeTabs(page: Page): Promise<Page[]> {
  const tabs = [page, await page.context().newPage(), await page.context().newPage()];
  for (const tab of tabs.slice(1)) await openApp(tab, 'dpop');
  return tabs;
}

/** Every attempt carried its own proof, from the session's one key. */
function expectFreshProofs(attempts: TenantRequest[], jkt: string | undefined): void {
  const jtis = attempts.map((entry) => entry.dpopJti);
  expect(jtis.every((jti) => typeof jti === 'string' && jti.length > 0)).toBe(true);
  expect(new Set(jtis).size).toBe(jtis.length);
  expect(new Set(attempts.map((entry) => entry.dpopJkt))).toEqual(new Set([jkt]));
}

async function noRevokedFamily(): Promise<void> {
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.length).toBeGreaterThan(0);
  expect(refreshTokens.filter((token) => token.status === 'revoked')).toEqual([]);
  expect(refreshTokens.filter((token) => token.status === 'active')).toHaveLength(1);
}

test('THREATS 13: 3 tabs × 50 calls while the token endpoint fails (503, 429, 500 with OAuth bodies) and stalls — one flight, bounded retries with fresh proofs, no revocation', async ({
  page,
}) => {
  await login(page, 'dpop');
  const tabs = await threeTabs(page);
  const jkt = (await tenantAdmin.requests('/oauth/token')).at(-1)?.dpopJkt;
  expect(jkt).toBeTruthy();

  const rounds: { faults: Record<string, unknown>[]; statuses: number[] }[] = [
    {
      // A slow bare 503, then a 429 as Auth0 sends it (JSON body): the third attempt succeeds.
      faults: [
        { status: 503, delayMs: 400, times: 1 },
        {
          status: 429,
          body: { error: 'too_many_requests', error_description: 'slow down' },
          times: 1,
        },
      ],
      statuses: [503, 429, 200],
    },
    {
      // A 500 with an OAuth error body, then a success that takes a second and a half.
      faults: [
        { status: 500, body: { error: 'server_error' }, times: 1 },
        { delayMs: 1500, times: 1 },
      ],
      statuses: [500, 200],
    },
  ];
  for (const round of rounds) {
    await tenantAdmin.advanceClock(2 * 60 * 60);
    await tenantAdmin.clearRequests();
    for (const fault of round.faults)
      await tenantAdmin.addFault({
        path: '/oauth/token',
        when: { grantType: 'refresh_token' },
        ...fault,
      });

    expect(await fiftyEach(tabs)).toEqual(Array(150).fill(200));
    const attempts = await tenantAdmin.refreshRequests();
    expect(attempts.map((entry) => entry.status)).toEqual(round.statuses);
    expectFreshProofs(attempts, jkt);
    await noRevokedFamily();
  }
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub: USER.sub, jkt },
  });
});

test('THREATS 13: a token endpoint that keeps failing — three attempts with fresh proofs, then a typed error; the session outlives the outage', async ({
  page,
}) => {
  await login(page, 'dpop');
  const tabs = await threeTabs(page);
  const jkt = (await tenantAdmin.requests('/oauth/token')).at(-1)?.dpopJkt;
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();
  await tenantAdmin.addFault({
    path: '/oauth/token',
    status: 503,
    when: { grantType: 'refresh_token' },
  });

  // One call: exactly three attempts, then the typed error.
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    error: { name: 'HttpError', code: 'http_error' },
  });
  const single = await tenantAdmin.refreshRequests();
  expect(single.map((entry) => entry.status)).toEqual([503, 503, 503]);
  expectFreshProofs(single, jkt);

  // 150 calls from three tabs: every one typed; they share flights, each of three attempts.
  await tenantAdmin.clearRequests();
  const results = await fiftyEach(tabs);
  expect(new Set(results)).toEqual(new Set(['HttpError:http_error']));
  const attempts = await tenantAdmin.refreshRequests();
  expect(attempts.length % 3).toBe(0);
  expect(attempts.length).toBeLessThanOrEqual(9);
  expectFreshProofs([...single, ...attempts], jkt);

  // While the outage lasted, the API saw only the expired token's own first tries, refused (the
  // worker judges expiry by its own clock, the tenant's was moved): no request without a token,
  // none with an empty or placeholder one.
  const sent = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((entry) => entry.authScheme !== 'DPoP' || entry.status !== 401)).toEqual([]);

  // The outage ends: the same session refreshes, nobody had to log in again.
  await tenantAdmin.clearFaults();
  await tenantAdmin.clearRequests();
  expect(await callApi(tabs[1] as Page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub: USER.sub, jkt },
  });
  expect((await tenantAdmin.refreshRequests()).map((entry) => entry.status)).toEqual([200]);
  await noRevokedFamily();
  expect(await page.evaluate(() => window.auth0.isAuthenticated())).toBe(true);
});
