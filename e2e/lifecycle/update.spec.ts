import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { RunningServer } from 'auth0-enclave-tenant';
import { spaClientAt } from 'auth0-enclave-tenant/testing';
import { startAppServer } from '../../dev/app/server.js';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { tenantAdmin } from '../support/admin-clients.js';
import { API_URL, AUDIENCE, TENANT_URL } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import {
  buildAppVersion,
  callClient,
  countNavigations,
  LIFECYCLE_CACHE,
  LIFECYCLE_PORTS,
  loginAt,
  serveBuild,
  upsertTenantClient,
} from '../support/lifecycle.js';

// Worker updates with tabs open. A new worker version installs and waits; pages hear of it
// (`update`); only `applyUpdate()` lets it take over; every open page's connection follows it
// (the old worker's death releases its Web Locks); nothing reloads, ever. A release that changes
// the page ↔ worker protocol: a new page has the waiting worker take over; an old page gets a
// clear WorkerUnavailableError, and neither loops.
//
// The app is this spec's own: one server on a lifecycle port whose files are switched between
// builds (it reads them per request), and a tenant client of its own.

const ORIGIN = `http://localhost:${LIFECYCLE_PORTS.update}`;
const CLIENT_ID = 'spa-lifecycle';
const SERVED = join(LIFECYCLE_CACHE, 'served');

/** Version `n` differs in its allow-list, which `getConfiguration()` shows: n entries. */
function workerConfig(n: number): AuthWorkerConfig {
  return {
    domain: TENANT_URL,
    clientId: CLIENT_ID,
    authorizationParams: {
      redirect_uri: `${ORIGIN}/callback`,
      audience: AUDIENCE,
      scope: 'openid profile email read:notes',
    },
    apis: Array.from({ length: n }, (_, index) => ({ url: `${API_URL}/v${index + 1}` })),
  };
}

const BUILDS = { v1: 1, v2: 2, v3: 3, v4: 4 } as const;
const dir = (name: string) => join(LIFECYCLE_CACHE, name);

let server: RunningServer;

// biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here, even an empty one.
test.beforeAll(async ({}, testInfo) => {
  testInfo.setTimeout(120_000);
  await upsertTenantClient(spaClientAt(ORIGIN, CLIENT_ID, { name: 'E2E lifecycle' }));
  for (const [name, n] of Object.entries(BUILDS))
    await buildAppVersion({ worker: workerConfig(n), apiUrl: API_URL, outDir: dir(name) });
  // The next release speaks protocol 2: its page and its worker.
  await buildAppVersion({
    worker: workerConfig(2),
    apiUrl: API_URL,
    outDir: dir('protocol-2'),
    protocol: 2,
  });
  await serveBuild(dir('v1'), SERVED);
  server = await startAppServer({
    dir: SERVED,
    port: LIFECYCLE_PORTS.update,
    tenantOrigin: TENANT_URL,
    apiOrigins: [API_URL],
  });
});

test.afterAll(async () => {
  await server?.close();
});

async function openAt(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** How many allow-list entries the worker this page talks to has: its version. */
async function workerVersion(page: Page): Promise<number | string> {
  const result = await callClient(page, 'getWorkerConfiguration');
  return 'value' in result
    ? (result.value as { apis: unknown[] }).apis.length
    : `${result.error.name}:${result.error.code}`;
}

async function recordUpdates(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    window.__updates = 0;
    window.auth0.on('update', () => window.__updates++);
  });
  return () => page.evaluate(() => window.__updates);
}

/** Has the browser look for an update now (it does on navigations and periodically anyway). */
async function checkForUpdate(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
}

function waitingWorker(page: Page): Promise<boolean> {
  return page.evaluate(async () =>
    Boolean((await navigator.serviceWorker.getRegistration())?.waiting),
  );
}

test('a new worker version installs and waits with tabs open; only applyUpdate() makes it take over; every connection follows; no reload, three releases in a row', async ({
  page,
  context,
}) => {
  await serveBuild(dir('v1'), SERVED);
  await openAt(page);
  await loginAt(page, ORIGIN);
  const second = await context.newPage();
  await openAt(second);
  const tabs = [page, second];
  const updates = await Promise.all(tabs.map(recordUpdates));
  const navigations = tabs.map(countNavigations);
  for (const tab of tabs) expect(await workerVersion(tab)).toBe(1);

  for (const [round, next] of (['v2', 'v3', 'v4'] as const).entries()) {
    await serveBuild(dir(next), SERVED);
    await checkForUpdate(second);
    await expect.poll(() => waitingWorker(page)).toBe(true);
    // Every open page hears of it, once per release.
    for (const count of updates) await expect.poll(count).toBe(round + 1);

    // It waits: time passes, a call is made, nothing changes.
    await page.waitForTimeout(500);
    for (const tab of tabs) expect(await workerVersion(tab)).toBe(round + 1);
    expect(await waitingWorker(second)).toBe(true);

    // One page asks; the new version takes over for every page; both connections follow.
    const asking = round % 2 === 0 ? page : second;
    expect(await callClient(asking, 'applyUpdate')).toEqual({ value: undefined });
    for (const tab of tabs) expect(await workerVersion(tab)).toBe(BUILDS[next]);
    expect(await waitingWorker(page)).toBe(false);
    // The session lives in IndexedDB and outlives the worker: the new one refreshes it.
    await tenantAdmin.clearRequests();
    for (const tab of tabs)
      expect(await callClient(tab, 'isAuthenticated')).toEqual({ value: true });
    expect(await callClient(second, 'checkSession')).toEqual({ value: undefined });
    expect((await tenantAdmin.refreshRequests()).map((entry) => entry.status)).toEqual([200]);
  }

  // Nothing reloaded — not at the update, not afterwards (no reload loop).
  await page.waitForTimeout(1500);
  expect(navigations.map((count) => count())).toEqual([0, 0]);
  for (const count of updates) expect(await count()).toBe(3);
  // A reload is a single navigation, and the page stays on the new version.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.waitForTimeout(1000);
  expect(navigations.map((count) => count())).toEqual([1, 0]);
  expect(await workerVersion(page)).toBe(4);
});

test('protocol change: a new page has the waiting worker take over; an old page gets WorkerUnavailableError at once; nobody loops or reloads', async ({
  page,
  context,
}) => {
  await serveBuild(dir('v1'), SERVED);
  await openAt(page);
  const oldNavigations = countNavigations(page);
  expect(await workerVersion(page)).toBe(1);

  // The next release is deployed; a new tab loads its page (protocol 2) while the old page is
  // open, so its worker (protocol 2) installs and waits behind the old one (protocol 1).
  await serveBuild(dir('protocol-2'), SERVED);
  const fresh = await context.newPage();
  const freshNavigations = countNavigations(fresh);
  await openAt(fresh);
  expect(await workerVersion(fresh)).toBe(2);
  expect(await waitingWorker(fresh)).toBe(false);

  // The old page's worker is gone; the new one does not speak its protocol: a typed error, each
  // time it asks, at once — no hang, no retry loop, no reload.
  for (let i = 0; i < 3; i++) {
    const started = Date.now();
    expect(await callClient(page, 'isAuthenticated')).toMatchObject({
      error: { name: 'WorkerUnavailableError', code: 'worker_unavailable' },
    });
    expect(Date.now() - started).toBeLessThan(3000);
  }
  await page.waitForTimeout(1500);
  expect(oldNavigations()).toBe(0);
  expect(freshNavigations()).toBe(1);
  // Reloaded (by the user, or the app on that error), the old tab gets the new page and works.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await workerVersion(page)).toBe(2);
  expect(oldNavigations()).toBe(1);
});

test('protocol change without a matching worker (only the page was deployed): WorkerUnavailableError with a clear message, once, no loop', async ({
  page,
}) => {
  await serveBuild(dir('v1'), SERVED);
  await openAt(page);
  // A broken deploy: the new page (protocol 2) but still the old worker script (protocol 1).
  await serveBuild(dir('protocol-2'), SERVED);
  await copyFile(join(dir('v1'), 'auth-worker.js'), join(SERVED, 'auth-worker.js'));
  const navigations = countNavigations(page);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'error');
  await expect(page.getByRole('status')).toContainText(
    'WorkerUnavailableError (worker_unavailable)',
  );
  await expect(page.getByRole('status')).toContainText('protocol 1, this page 2');
  await page.waitForTimeout(1500);
  expect(navigations()).toBe(1);
});
