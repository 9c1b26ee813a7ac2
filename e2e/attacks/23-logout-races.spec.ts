import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { credentialed, probe, probeArrivals } from '../support/api-log.js';
import { expect, login, stopWorkers, test } from '../support/fixtures.js';
import { recordSessionEvents, sessionEvents } from '../support/lifecycle.js';

// THREATS 23 — races with logout: a logout that lands while a refresh is being persisted must
// leave nothing credentialed behind — no access token cached or used after it, no "logged in"
// after "logged out". Page script widens the window the way X can: it holds a readwrite
// transaction on the vault's `session` store, so the worker's write of the rotated refresh token
// waits, and logs out meanwhile. Outcomes read from the API's request log.

test('THREATS 23: a logout landing while a refresh is persisted leaves no access token in use after it', async ({
  page,
}) => {
  await login(page, 'dpop');
  await recordSessionEvents(page);
  // The access token lives in worker memory only: a stopped worker must refresh for the next call.
  await stopWorkers(page);
  await tenantAdmin.addFault({
    path: '/oauth/token',
    delayMs: 2500,
    times: 1,
    when: { grantType: 'refresh_token' },
  });
  await apiAdmin.clearRequests();
  await page.evaluate((url) => {
    const w = window as unknown as {
      auth0: { fetchWithAuth: typeof fetch };
      inFlight: Promise<string>;
    };
    w.inFlight = w.auth0.fetchWithAuth(url).then(
      (response) => `status ${response.status}`,
      (error: Error) => `${error.name}`,
    );
  }, probe('in-flight'));
  // While the refresh is at the tenant, X takes the session store and keeps it busy.
  await page.waitForTimeout(1000);
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const w = window as unknown as { releaseVault: boolean };
        w.releaseVault = false;
        const request = indexedDB.open('auth0-enclave');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('session', 'readwrite');
          const store = tx.objectStore('session');
          const spin = () => {
            if (w.releaseVault) return;
            store.get('current').onsuccess = spin;
          };
          spin();
          tx.oncomplete = () => db.close();
          resolve();
        };
      }),
  );
  // The refresh answered (the tenant logs it when it completes): its write is now waiting.
  await expect.poll(async () => (await tenantAdmin.refreshRequests()).length).toBe(1);
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    const w = window as unknown as {
      auth0: { logout(o: { openUrl: false }): Promise<void> };
      loggedOut: Promise<string>;
    };
    w.loggedOut = w.auth0.logout({ openUrl: false }).then(
      () => 'done',
      (error: Error) => error.name,
    );
  });
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    (window as unknown as { releaseVault: boolean }).releaseVault = true;
  });
  expect(
    await page.evaluate(() => (window as unknown as { loggedOut: Promise<string> }).loggedOut),
  ).toBe('done');
  const inFlight = await page.evaluate(
    () => (window as unknown as { inFlight: Promise<string> }).inFlight,
  );
  // And after the logout, a call gets nothing: no token was cached behind its back.
  const after = await page.evaluate(
    (url) =>
      (window as unknown as { auth0: { fetchWithAuth: typeof fetch } }).auth0
        .fetchWithAuth(url)
        .then(
          (response) => `status ${response.status}`,
          (error: Error) => error.name,
        ),
    probe('after-logout'),
  );
  expect(after).toBe('LoginRequiredError');
  expect(inFlight).toBe('LoginRequiredError');
  const seen = await probeArrivals([]);
  expect(credentialed(seen.get('in-flight'))).toEqual([]);
  expect(credentialed(seen.get('after-logout'))).toEqual([]);
  // Every tab was told "logged out", and nothing "logged in" after it.
  const events = await sessionEvents(page);
  const last = events.at(-1);
  expect(last).toMatchObject({ authenticated: false });
  expect(
    events.slice(events.findIndex((e) => !e.authenticated)).every((e) => !e.authenticated),
  ).toBe(true);
});
