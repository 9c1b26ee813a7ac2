import type { BrowserContext, Page, Request } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, USER } from '../support/environment.js';
import { type CallResult, callApi, expect, login, openApp, test } from '../support/fixtures.js';
import {
  callClient,
  overrideDpopClient,
  recordSessionEvents,
  sessionEvents,
  type WorkerControl,
  workerControl,
} from '../support/lifecycle.js';
import { dumpStorage, vaultStore } from '../support/storage.js';

// THREATS 11 — the browser stops the worker at any moment. Measured in Chromium 156:
// - a subresource fetch whose fetch event was in flight is dispatched again to the restarted
//   worker (which re-reads the key and refresh token and gets a new access token);
// - an RPC call in flight is retried once on a new connection (Web Lock death detection);
// - a navigation whose fetch event was in flight (the callback) is left hanging by the browser;
//   the user's next navigation recovers (see the callback test).
// In every case: a typed error or a correct answer, never an empty or placeholder Authorization,
// no lock left held (the next call answers at once), and a DPoP-bound session survives.

/** Every Authorization header that reached the API: a real token (DPoP) with a proof, or none. */
function tapApiAuthorization(
  context: BrowserContext,
): () => { authorization?: string; dpop?: string }[] {
  const seen: { authorization?: string; dpop?: string }[] = [];
  context.on('request', (request) => {
    if (!request.url().startsWith(`${API_URL}/api/`) || request.method() === 'OPTIONS') return;
    const headers = request.headers();
    seen.push({
      ...(headers.authorization === undefined ? {} : { authorization: headers.authorization }),
      ...(headers.dpop === undefined ? {} : { dpop: headers.dpop }),
    });
  });
  return () => [...seen];
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** No request went out with an empty, placeholder or proof-less Authorization. */
function expectOnlyRealCredentials(seen: { authorization?: string; dpop?: string }[]): void {
  for (const headers of seen) {
    if (headers.authorization === undefined) {
      expect(headers.dpop).toBeUndefined();
      continue;
    }
    const [scheme, token, ...rest] = headers.authorization.split(' ');
    expect(scheme).toBe('DPoP');
    expect(rest).toEqual([]);
    expect(token).toMatch(JWT);
    expect(headers.dpop).toMatch(JWT);
  }
}

/** A call's result and how long it took. */
async function timed(run: () => Promise<CallResult>): Promise<{ result: CallResult; ms: number }> {
  const started = Date.now();
  const result = await run();
  return { result, ms: Date.now() - started };
}

/** No stuck lock or connection: the next fetch and the next RPC call answer at once. */
async function expectPromptAnswers(page: Page, jkt: string | undefined): Promise<void> {
  const next = await timed(() => callApi(page, `${API_URL}/api/me`));
  expect(next.result).toMatchObject({ status: 200, body: { jkt } });
  expect(next.ms).toBeLessThan(3000);
  const started = Date.now();
  expect(await callClient(page, 'isAuthenticated')).toEqual({ value: true });
  expect(Date.now() - started).toBeLessThan(3000);
}

function isTokenRequest(request: Request): boolean {
  return request.method() === 'POST' && request.url().endsWith('/oauth/token');
}

test('THREATS 11: worker stopped during an API call — answered after a re-dispatch, or (stopped twice) a typed NetworkError; only real credentials', async ({
  page,
  context,
}) => {
  const worker = await workerControl(context);
  await login(page, 'dpop');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;
  const seen = tapApiAuthorization(context);

  // The worker's requests to /api/me are held at the network for a second while `hold` > 0, so
  // the worker can be stopped with the request in flight. (A held request whose worker died never
  // settles in Playwright: the route stays installed and is never awaited.)
  let hold = 0;
  let arrived: () => void = () => {};
  await context.route(`${API_URL}/api/me`, async (route) => {
    if (hold > 0) {
      hold--;
      arrived();
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    void route.continue().catch(() => {});
  });
  const nextArrival = () =>
    new Promise<void>((resolve) => {
      arrived = resolve;
    });

  // Stopped once under the request: Chromium dispatches it again to the restarted worker.
  hold = 1;
  let arrival = nextArrival();
  let pending = callApi(page, `${API_URL}/api/me`);
  await arrival;
  await worker.stop();
  expect(await pending).toMatchObject({ status: 200, body: { sub: USER.sub, jkt } });
  await expectPromptAnswers(page, jkt);

  // Stopped under the request and again under its second dispatch: the browser gives up, and
  // fetchWithAuth turns that into the typed NetworkError.
  hold = 2;
  arrival = nextArrival();
  pending = callApi(page, `${API_URL}/api/me`);
  await arrival;
  arrival = nextArrival();
  await worker.stop();
  await arrival;
  await worker.stop();
  expect(await pending).toMatchObject({
    error: { name: 'NetworkError', code: 'network_error', error: 'network_error' },
  });
  await expectPromptAnswers(page, jkt);

  expectOnlyRealCredentials(seen());
  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(new Set(log.map((entry) => entry.dpopJkt))).toEqual(new Set([jkt]));
  expect(log.every((entry) => entry.authScheme === 'DPoP')).toBe(true);
});

test('THREATS 11: worker stopped between calls, again and again — every call answers promptly with the same key', async ({
  page,
  context,
}) => {
  const worker = await workerControl(context);
  await login(page, 'dpop');
  const other = await context.newPage();
  await openApp(other, 'dpop');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;
  const seen = tapApiAuthorization(context);

  for (let round = 0; round < 5; round++) {
    await worker.stop();
    const tab = round % 2 === 0 ? page : other;
    // RPC first (the port is dead; the page must notice and reconnect), then a fetch.
    const started = Date.now();
    expect(await callClient(tab, 'getUser')).toMatchObject({ value: { sub: USER.sub } });
    expect(Date.now() - started).toBeLessThan(3000);
    const call = await timed(() => callApi(tab, `${API_URL}/api/me`));
    expect(call.result).toMatchObject({ status: 200, body: { jkt } });
    expect(call.ms).toBeLessThan(3000);
    // Stopped twice with nothing in between.
    await worker.stop();
    await worker.stop();
  }
  // Concurrent calls right after a stop share one restart and one refresh.
  await worker.stop();
  await tenantAdmin.clearRequests();
  const burst = await page.evaluate(async (url) => {
    const auth0 = window.auth0;
    return (await Promise.all(Array.from({ length: 20 }, () => auth0.fetchWithAuth(url)))).map(
      (response) => response.status,
    );
  }, `${API_URL}/api/me`);
  expect(burst).toEqual(Array(20).fill(200));
  expect((await tenantAdmin.refreshRequests()).length).toBeLessThanOrEqual(1);
  expectOnlyRealCredentials(seen());
  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(new Set(log.map((entry) => entry.dpopJkt))).toEqual(new Set([jkt]));
});

test("THREATS 11: worker stopped during the callback's code exchange — nothing half-written, the callback again gives a typed error, a new login works", async ({
  page,
  context,
}) => {
  const worker = await workerControl(context);
  await openApp(page, 'dpop');
  // Every code exchange takes 1.5 s at the tenant, so the worker can be stopped in the middle.
  await tenantAdmin.addFault({
    path: '/oauth/token',
    delayMs: 1500,
    when: { grantType: 'authorization_code' },
  });
  const exchange = context.waitForEvent('request', isTokenRequest);
  const callback = context.waitForEvent('request', (request) =>
    request.url().startsWith(`${appUrl('dpop')}/callback?`),
  );
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click({ noWaitAfter: true });
  const callbackUrl = (await callback).url();
  await exchange;
  // The request event comes before its CORS preflight; give the POST time to reach the tenant,
  // where it is held for 1.5 s, so the worker dies with the exchange truly in flight.
  await page.waitForTimeout(300);
  await worker.stop();
  await tenantAdmin.clearFaults();

  // Chromium leaves the callback navigation pending once its worker is gone (measured: over 100
  // s); the user reloads. The restarted worker finds the transaction already taken: the callback
  // is not redeemed twice, and the page gets a typed error on a clean URL.
  await page.goto(callbackUrl);
  await page.waitForURL(`${appUrl('dpop')}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#api-result')).toContainText(
    'Login failed: InvalidStateError (invalid_state)',
  );
  expect(page.url()).not.toContain('code=');
  expect(await callClient(page, 'isAuthenticated')).toEqual({ value: false });
  const dump = await page.evaluate(dumpStorage);
  expect(vaultStore(dump, 'session')).toEqual([]);
  expect(vaultStore(dump, 'transactions')).toEqual([]);
  // The tenant saw the stopped worker's exchange; the reloaded callback was never redeemed.
  const exchanges = async () =>
    (await tenantAdmin.requests('/oauth/token')).filter(
      (entry) => entry.grantType === 'authorization_code',
    ).length;
  await expect.poll(exchanges).toBeGreaterThan(0);
  await page.waitForTimeout(300);
  expect(await exchanges()).toBeLessThanOrEqual(2);

  // Logging in again works (the tenant's session skips the form).
  await tenantAdmin.clearRequests();
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${appUrl('dpop')}/`);
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

/** Logs in, expires the access token at the tenant and the API, and delays every refresh 1.5 s. */
async function stopMidRefresh(
  page: Page,
  worker: WorkerControl,
  trigger: (page: Page) => Promise<unknown>,
): Promise<unknown> {
  const context = page.context();
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();
  await tenantAdmin.addFault({
    path: '/oauth/token',
    delayMs: 1500,
    when: { grantType: 'refresh_token' },
  });
  const refreshSent = context.waitForEvent('request', isTokenRequest);
  const pending = trigger(page);
  await refreshSent;
  // Past the CORS preflight: the refresh is at the tenant, held there for 1.5 s.
  await page.waitForTimeout(300);
  await worker.stop();
  const result = await pending;
  // The tenant answers the stopped worker's refresh to nobody: wait for it before looking.
  await expect
    .poll(async () => (await tenantAdmin.refreshRequests()).length)
    .toBeGreaterThanOrEqual(2);
  await tenantAdmin.clearFaults();
  return result;
}

// The mid-refresh subtlety. The tenant finishes a refresh whose client has gone away and rotates
// the token; the restarted worker still holds the old one and presents it again. Whether that is
// "reuse" is the authorization server's reuse interval (Auth0: "Reuse Interval" under refresh
// token rotation). With an interval the session survives; with 0 the family is revoked and the
// user must log in again — once, with a typed error and a session event, never a loop.

test('THREATS 11: worker stopped mid-refresh, reuse interval 30 s — the session survives with the same key (fetch and RPC alike)', async ({
  page,
  context,
}) => {
  const restore = await overrideDpopClient({ refreshTokenReuseIntervalSeconds: 30 });
  try {
    await login(page, 'dpop');
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;
    const seen = tapApiAuthorization(context);
    await recordSessionEvents(page);

    const worker = await workerControl(context);
    const viaFetch = await stopMidRefresh(page, worker, (tab) => callApi(tab, `${API_URL}/api/me`));
    expect(viaFetch).toMatchObject({ status: 200, body: { sub: USER.sub, jkt } });
    const refreshes = await tenantAdmin.refreshRequests();
    expect(refreshes.map((entry) => entry.status)).toEqual([200, 200]);
    expect(new Set(refreshes.map((entry) => entry.dpopJti)).size).toBe(2);

    // The same through RPC: checkSession's refresh (the worker restarted first, so it holds no
    // access token), stopped under it, and retried by the page on a new connection.
    await worker.stop();
    const viaRpc = await stopMidRefresh(page, worker, (tab) => callClient(tab, 'checkSession'));
    expect(viaRpc).toEqual({ value: undefined });
    expect(await callClient(page, 'isAuthenticated')).toEqual({ value: true });

    // The family is intact and the session goes on: the next expiry refreshes normally.
    const { refreshTokens } = await tenantAdmin.tokens();
    expect(refreshTokens.filter((token) => token.status === 'revoked')).toEqual([]);
    await tenantAdmin.advanceClock(2 * 60 * 60);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200, body: { jkt } });
    expect(await sessionEvents(page)).toEqual([]);
    expectOnlyRealCredentials(seen());
  } finally {
    await restore();
  }
});

test('THREATS 11: worker stopped mid-refresh, reuse interval 0 — reuse detection ends the session: one typed login_required, a session event, no loop', async ({
  page,
  context,
}) => {
  // The e2e client keeps Auth0's strictest setting: no reuse interval.
  await login(page, 'dpop');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const seen = tapApiAuthorization(context);
  await recordSessionEvents(page);
  const other = await context.newPage();
  await openApp(other, 'dpop');
  await recordSessionEvents(other);

  const worker = await workerControl(context);
  const result = await stopMidRefresh(page, worker, (tab) => callApi(tab, `${API_URL}/api/me`));
  expect(result).toMatchObject({
    error: { name: 'LoginRequiredError', code: 'login_required', error: 'login_required' },
  });
  // The stopped worker's refresh rotated the token (200, to nobody); the restarted worker's
  // retry with the old one was reuse (400): the tenant revoked the family.
  expect((await tenantAdmin.refreshRequests()).map((entry) => entry.status)).toEqual([200, 400]);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.length).toBeGreaterThan(0);
  expect(refreshTokens.every((token) => token.status === 'revoked')).toBe(true);

  // Every tab was told once; the vault holds nothing; no further refresh is attempted.
  for (const tab of [page, other]) {
    await expect
      .poll(() => sessionEvents(tab))
      .toEqual([{ authenticated: false, reason: 'expired' }]);
    await expect(tab.getByRole('status')).toContainText('Logged out');
  }
  const dump = await page.evaluate(dumpStorage);
  for (const store of ['keys', 'session', 'nonces', 'transactions'])
    expect(vaultStore(dump, store), store).toEqual([]);
  await tenantAdmin.clearRequests();
  for (let i = 0; i < 3; i++) {
    expect(await callApi(other, `${API_URL}/api/me`)).toMatchObject({
      error: { code: 'login_required' },
    });
  }
  await page.waitForTimeout(500);
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);
  expectOnlyRealCredentials(seen());
});
