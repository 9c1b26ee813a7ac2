import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, USER } from '../support/environment.js';
import { callApi, callAuth0, collectCall, login, openApp, startCall } from './app.js';
import type { BrowserSession, Tab } from './driver.js';
import { cannot, expect, test } from './fixtures.js';
import { workerHoldsConnection } from './page-probes.js';

// THREATS 11 in every engine that lets automation stop a service worker: the browser stops the
// worker between calls (Chromium: CDP; Firefox: a real idle stop, the idle timeout set to 1 s).
// The page's connection dies silently; the page notices through the Web Lock the worker held,
// reconnects, and every call answers promptly with the same DPoP key.

test.use({ launch: { idleWorkerTimeoutMs: 1_000 } });

/** Stops the worker, after checking it was running and connected (else the stop proves nothing). */
async function stop(session: BrowserSession, tab: Tab): Promise<void> {
  expect(await tab.evaluate(workerHoldsConnection, undefined)).toBe(true);
  await session.stopWorkers(tab);
  expect(await tab.evaluate(workerHoldsConnection, undefined)).toBe(false);
}

test('THREATS 11: worker stopped between calls, again and again — every RPC and fetch answers promptly with the same key; a burst after a stop shares one restart and one refresh', async ({
  session,
}) => {
  cannot(
    'cannot' in session.abilities.stopWorker ? session.abilities.stopWorker.cannot : undefined,
  );
  const page = await session.newTab();
  await login(page, 'dpop');
  const other = await session.newTab();
  await openApp(other, 'dpop');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;
  expect(jkt).toBeTruthy();

  for (let round = 0; round < 3; round++) {
    const tab = round % 2 === 0 ? page : other;
    // Make sure this tab has a live connection to lose.
    expect(await callAuth0(tab, 'isAuthenticated')).toEqual({ value: true });
    await stop(session, tab);
    // RPC first (the port is dead; the page must notice and reconnect), then a fetch.
    let started = Date.now();
    expect(await callAuth0(tab, 'getUser')).toMatchObject({ value: { sub: USER.sub } });
    expect(Date.now() - started).toBeLessThan(3_000);
    started = Date.now();
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200, body: { jkt } });
    expect(Date.now() - started).toBeLessThan(3_000);
  }

  // The access token expires while the worker is stopped; calls in both tabs at once restart it
  // and share one refresh.
  expect(await callAuth0(page, 'isAuthenticated')).toEqual({ value: true });
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await stop(session, page);
  await tenantAdmin.clearRequests();
  for (const tab of [page, other, page]) await startCall(tab, `${API_URL}/api/me`);
  for (const tab of [page, other])
    expect(await collectCall(tab)).toMatchObject({ status: 200, body: { jkt } });
  expect(
    (await tenantAdmin.refreshRequests()).filter((entry) => entry.status === 200),
  ).toHaveLength(1);
  // Every request that reached the API carried a DPoP token of the one key, or nothing.
  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  for (const entry of log) if (entry.authScheme !== null) expect(entry.authScheme).toBe('DPoP');
  expect(new Set(log.map((entry) => entry.dpopJkt))).toEqual(new Set([jkt]));
});
