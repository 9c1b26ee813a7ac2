import type { Page } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, USER } from '../support/environment.js';
import { callApi, expect, login, openApp, stopWorkers, test } from '../support/fixtures.js';

// THREATS 22 — storage sabotage: page script bumps the vault database's version, deletes or
// re-shapes its stores, deletes it, or holds it open so the worker cannot repair it. The worker
// recovers (re-creates what it needs), never wedges and never loops; logging in works again.
// Outcomes are read from the tenant (a code redeemed) and the API (a credentialed call).
// Before the fix, one page-made version bump broke every later login until site data was
// cleared: the worker's open at version 1 failed with a VersionError forever.

const APP = appUrl('dpop');

/** Opens the vault database from the page at `version`, running `upgrade` there, then closes it. */
function pageOpens(
  page: Page,
  version: number,
  upgrade: 'nothing' | 'delete-stores' | 'reshape-stores' = 'nothing',
): Promise<string> {
  return page.evaluate(
    ({ version, upgrade }) =>
      new Promise<string>((resolve) => {
        const request = indexedDB.open('auth0-enclave', version);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (upgrade === 'nothing') return;
          for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
          if (upgrade === 'reshape-stores') {
            db.createObjectStore('session', { keyPath: 'id' });
            db.createObjectStore('keys', { autoIncrement: true });
          }
        };
        request.onsuccess = () => {
          request.result.close();
          resolve(`opened at ${request.result.version}`);
        };
        request.onerror = () => resolve(`error: ${request.error?.name}`);
        // The worker holding its connection open against the page's upgrade.
        request.onblocked = () => resolve('blocked');
      }),
    { version, upgrade },
  );
}

/** The vault database's version, as the page sees it. */
function vaultVersion(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const found = (await indexedDB.databases()).find((db) => db.name === 'auth0-enclave');
    return found?.version ?? 0;
  });
}

/** A login completes at the tenant and the API answers a credentialed call. */
async function loginWorks(page: Page): Promise<void> {
  // The tenant's own session would skip its login form: start from a clean one.
  await tenantAdmin.endSessions();
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();
  await login(page, 'dpop');
  const redemptions = (await tenantAdmin.requests('/oauth/token')).filter(
    (entry) => entry.grantType === 'authorization_code',
  );
  // A first 400 is the tenant's use_dpop_nonce when the persisted nonce went with the sabotage.
  expect(redemptions.map((entry) => entry.status).filter((status) => status !== 400)).toEqual([
    200,
  ]);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub: USER.sub },
  });
  expect((await apiAdmin.requests()).map((entry) => entry.authScheme)).toContain('DPoP');
}

test('THREATS 22: a page-made version bump does not block the page, and a restarted worker still logs in', async ({
  page,
}) => {
  await login(page, 'dpop');
  const before = await vaultVersion(page);
  // The worker gives way at once: the page's upgrade is not blocked by the worker's connection.
  expect(await pageOpens(page, before + 10)).toBe(`opened at ${before + 10}`);
  // The running worker reconnects: the session works on.
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  // A worker started after the bump opens the bumped database: the session survives …
  await stopWorkers(page);
  await openApp(page, 'dpop');
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  // … and a new login after a logout works.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(`${APP}/`);
  await expect(page.getByRole('status')).toContainText('Logged out');
  await stopWorkers(page);
  await loginWorks(page);
  expect(await vaultVersion(page)).toBeGreaterThanOrEqual(before + 10);
});

test('THREATS 22: stores deleted or re-shaped by the page are re-created; logging in works', async ({
  page,
}) => {
  for (const sabotage of ['delete-stores', 'reshape-stores'] as const) {
    await openApp(page, 'dpop');
    const version = await vaultVersion(page);
    expect(await pageOpens(page, version + 1, sabotage), sabotage).toBe(`opened at ${version + 1}`);
    await stopWorkers(page);
    await loginWorks(page);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${APP}/`);
    await expect(page.getByRole('status')).toContainText('Logged out');
  }
});

test('THREATS 22: deleting the database is not blocked by the worker; the worker starts afresh and logs in again', async ({
  page,
}) => {
  await login(page, 'dpop');
  const deleted = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const request = indexedDB.deleteDatabase('auth0-enclave');
        request.onsuccess = () => resolve('deleted');
        request.onblocked = () => resolve('blocked');
      }),
  );
  expect(deleted).toBe('deleted');
  // The running worker keeps its session in memory (a denial of service is all X gets: after a
  // restart the persisted session is gone), and a new login works.
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  await stopWorkers(page);
  await openApp(page, 'dpop');
  await expect(page.getByRole('status')).toContainText('Logged out');
  await loginWorks(page);
});

test('THREATS 22: a page connection that blocks the repair delays the worker with a typed error; it recovers once closed', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  // The page deletes the database, re-creates it without stores, and holds it open, ignoring
  // versionchange: the worker's repair (an upgrade) is blocked.
  const held = await page.evaluate(async () => {
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase('auth0-enclave');
      request.onsuccess = resolve;
      request.onblocked = resolve;
    });
    return new Promise<string>((resolve) => {
      const request = indexedDB.open('auth0-enclave', 5);
      request.onsuccess = () => {
        (window as unknown as { held: IDBDatabase }).held = request.result;
        resolve(`holding ${request.result.version}`);
      };
      request.onerror = () => resolve(`error: ${request.error?.name}`);
    });
  });
  expect(held).toBe('holding 5');
  await stopWorkers(page);
  const attempt = await page.evaluate(async () => {
    const auth0 = (
      window as unknown as {
        auth0: { loginWithRedirect(o: { openUrl(url: string): void }): Promise<void> };
      }
    ).auth0;
    try {
      await auth0.loginWithRedirect({ openUrl: () => {} });
      return 'started';
    } catch (error) {
      return `${(error as Error).name} ${(error as { code?: string }).code}`;
    }
  });
  expect(attempt).toBe('TimeoutError timeout');
  await page.evaluate(() => (window as unknown as { held: IDBDatabase }).held.close());
  await loginWorks(page);
});
