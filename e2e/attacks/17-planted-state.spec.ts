import type { Page } from '@playwright/test';
import { tenantAdmin } from '../support/admin-clients.js';
import { appUrl, USER } from '../support/environment.js';
import { expect, login, openApp, stopWorkers, test } from '../support/fixtures.js';

// THREATS 17 (in part: the records; a planted DPoP key is issue 11's item 1) — page script writes
// sessions, claims and transactions of its own into the worker's IndexedDB. What the worker reads
// back is untrusted input: claims are re-derived from a signed ID token before anyone sees them,
// a record in a shape the worker never writes is dropped (logged out, no crash, no loop), and a
// planted transaction redeems nothing. Outcomes read from the tenant's request log.

const APP = appUrl('dpop');

/** Rewrites the stored session record in the page, as X can. */
function rewriteSession(page: Page, change: 'claims' | 'malformed'): Promise<void> {
  return page.evaluate(
    (change) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('auth0-enclave');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('session', 'readwrite');
          const store = tx.objectStore('session');
          const read = store.get('current');
          read.onsuccess = () => {
            const session = read.result as { claims: Record<string, unknown> };
            if (change === 'claims') {
              store.put(
                {
                  ...session,
                  claims: {
                    ...session.claims,
                    sub: 'auth0|mallory',
                    name: 'Mallory',
                    email: 'mallory@evil.example',
                  },
                },
                'current',
              );
            } else {
              store.put({ ...session, claims: null }, 'current');
            }
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    change,
  );
}

test('THREATS 17: claims planted in the stored session are re-derived from the refresh’s signed ID token before the app sees them', async ({
  page,
}) => {
  await login(page, 'dpop');
  await rewriteSession(page, 'claims');
  await stopWorkers(page);
  await tenantAdmin.clearRequests();
  await openApp(page, 'dpop');
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
  const user = await page.evaluate(() =>
    (window as unknown as { auth0: { getUser(): Promise<unknown> } }).auth0.getUser(),
  );
  expect(user).toMatchObject({ sub: USER.sub, name: USER.name });
  expect(JSON.stringify(user)).not.toContain('allory');
  // The re-derivation was one refresh at the tenant, whose ID token the worker verified.
  expect(
    (await tenantAdmin.refreshRequests()).map((entry) => [entry.status, entry.clientId]),
  ).toEqual([[200, 'spa-dpop']]);
});

test('THREATS 17: a session record in a shape the worker never writes is logged out — no crash, no loop — and logging in works', async ({
  page,
}) => {
  await login(page, 'dpop');
  await rewriteSession(page, 'malformed');
  await stopWorkers(page);
  await tenantAdmin.clearRequests();
  for (let reload = 0; reload < 2; reload++) {
    await openApp(page, 'dpop');
    await expect(page.getByRole('status')).toContainText('Logged out');
  }
  // Nothing was sent on its behalf.
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);
  // Logging in again works (from a clean tenant session, so its login form shows).
  await tenantAdmin.endSessions();
  await login(page, 'dpop');
});

test('THREATS 17: a planted transaction (an audience the config does not allow) redeems nothing', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('auth0-enclave');
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('transactions', 'readwrite');
          tx.objectStore('transactions').put(
            {
              kind: 'login',
              mode: 'redirect',
              loginId: 'planted',
              state: 'planted-state',
              nonce: 'n',
              codeVerifier: 'attacker-verifier-attacker-verifier-attacker-verifier',
              redirectUri: `${location.origin}/callback`,
              audience: 'https://evil.example/',
              scope: 'openid profile email offline_access admin:everything',
              appState: undefined,
              jkt: undefined,
              createdAt: Date.now(),
            },
            'planted-state',
          );
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        request.onerror = () => reject(request.error);
      }),
  );
  await tenantAdmin.clearRequests();
  await page.goto(`${APP}/callback?code=attacker-code&state=planted-state`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#api-result')).toContainText('InvalidStateError (invalid_state)');
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);
});
