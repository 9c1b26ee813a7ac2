import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { dumpStorage, expectNothingStored } from '../support/storage.js';

// Service workers blocked (a browser setting, some private windows, an enterprise policy):
// Chromium's `register()` then resolves to undefined instead of rejecting. The client must say so
// with WorkerUnavailableError at once — not after its connect timeout — and must not fall back
// to keeping anything in the page: nothing is written, nothing is sent.

test('serviceWorkers blocked: createAuth0Client rejects with WorkerUnavailableError at once; nothing is stored, nothing is sent, no fallback', async ({
  browser,
}) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${appUrl('dpop')}/`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'error');
    // Well under the 10 s connect timeout: the refusal is recognised, not waited out.
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(page.getByRole('status')).toContainText(
      'The auth worker could not start: WorkerUnavailableError (worker_unavailable)',
    );
    expect(await page.evaluate(() => 'auth0' in window)).toBe(false);
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();

    // No fallback: not a byte in any storage API, no IndexedDB database at all.
    const dump = await page.evaluate(dumpStorage);
    expectNothingStored(dump);
    expect(dump.indexedDb).toEqual({});
    // Nothing went to the servers (no discovery, /authorize or token request), and a call the
    // page makes itself goes out bare: there is no worker to add anything, and nothing else does.
    const plain = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return (await response.json()) as { headers: Record<string, string> };
    }, `${API_URL}/api/echo`);
    expect(plain.headers.authorization).toBeUndefined();
    expect(plain.headers.dpop).toBeUndefined();
    expect(await tenantAdmin.requests()).toEqual([]);
    const api = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
    expect(api.map((entry) => [entry.path, entry.authScheme])).toEqual([['/api/echo', null]]);
    // A second page load fails the same way (no loop, one navigation).
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'error');
    expectNothingStored(await page.evaluate(dumpStorage));
  } finally {
    await context.close();
  }
});
