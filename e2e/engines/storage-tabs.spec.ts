import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, USER, type Variant } from '../support/environment.js';
import {
  dumpStorage,
  expectNothingStored,
  type StorageDump,
  vaultStore,
} from '../support/storage.js';
import { callApi, collectCall, login, openApp, startCall, waitForApp } from './app.js';
import type { Tab } from './driver.js';
import { expect, test } from './fixtures.js';

// THREATS 1 (storage dump), 12 (many tabs) and 16 (logout) in every engine. The secrets are not
// taken off the wire here (only Chromium's automation sees the worker's own requests): the dump
// is searched for any JWT (access and ID tokens are JWTs) and for refresh tokens outside the
// vault's DPoP-bound session record, and every other store must be empty.

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

interface StoredSession {
  refreshTokens: Record<string, { token: string; dpopBound: boolean }>;
}

/**
 * The dump, as an XSS in `tab` reads it. Where the engine has no origin private file system
 * (measured: WebKitGTK 2.50's MiniBrowser has no `navigator.storage.getDirectory`), nothing can
 * be stored there: the dump's "unreadable" note for it becomes an empty list.
 */
/**
 * {@link dump} once the page holds still: after a logout the app shows "Logged out" and then
 * navigates through the tenant's logout endpoint and back, and a dump taken during that
 * navigation is cut off ("execution context was destroyed", seen in Chromium under load).
 * Retried for up to 10 s; the last failure is thrown.
 */
async function dumpWhenSettled(tab: Tab): Promise<StorageDump> {
  let failure: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await dump(tab);
    } catch (error) {
      failure = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw failure;
}

async function dump(tab: Tab): Promise<StorageDump> {
  const found = await tab.evaluate(dumpStorage, undefined);
  const hasOpfs = await tab.evaluate(
    () => typeof navigator.storage?.getDirectory === 'function',
    undefined,
  );
  return hasOpfs ? found : { ...found, opfs: [] };
}

/** What page script may find after a login: only non-extractable keys and DPoP-bound tokens. */
function expectNoCredential(found: StorageDump, variant: Variant): string[] {
  expect(JSON.stringify(found)).not.toMatch(JWT);
  expect(found.localStorage).toEqual({});
  expect(found.sessionStorage).toEqual({});
  expect(found.cookies).toBe('');
  expect(found.caches).toEqual({});
  expect(found.opfs).toEqual([]);
  expect(Object.keys(found.indexedDb)).toEqual(['auth0-enclave']);
  expect(vaultStore(found, 'transactions')).toEqual([]);
  expect(vaultStore(found, 'results')).toEqual([]);
  const keys = vaultStore(found, 'keys');
  if (variant === 'bearer') {
    expect(keys).toEqual([]);
    // A bearer refresh token stays in worker memory: no session record at all.
    expect(vaultStore(found, 'session')).toEqual([]);
    return [];
  }
  // The CryptoKey survived IndexedDB's structured clone as a non-extractable key.
  expect(keys).toHaveLength(1);
  expect(keys[0]?.value).toEqual({
    privateKey: {
      CryptoKey: { type: 'private', extractable: false, algorithm: 'ECDSA', usages: ['sign'] },
    },
    publicKey: {
      CryptoKey: { type: 'public', extractable: true, algorithm: 'ECDSA', usages: ['verify'] },
    },
  });
  const session = vaultStore(found, 'session')[0]?.value as StoredSession | undefined;
  const tokens = Object.values(session?.refreshTokens ?? {});
  expect(tokens.length).toBeGreaterThan(0);
  for (const token of tokens) expect(token.dpopBound).toBe(true);
  return tokens.map((token) => token.token);
}

for (const variant of ['dpop', 'bearer'] as const) {
  test(`THREATS 1: ${variant}: a storage dump after login, a reload and a token refresh finds no access, ID or bearer refresh token; after logout nothing at all`, async ({
    session,
  }) => {
    const tab = await session.newTab();
    await login(tab, variant);
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    const first = expectNoCredential(await dump(tab), variant);

    await tab.reload();
    await waitForApp(tab, (state) => state.status.includes('Logged in'), 'the reloaded app');
    expectNoCredential(await dump(tab), variant);

    // A refresh (the access token expired): the rotated-away refresh token leaves the vault.
    await tenantAdmin.advanceClock(2 * 60 * 60);
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    expect(await tenantAdmin.refreshRequests()).toEqual([expect.objectContaining({ status: 200 })]);
    const rotated = expectNoCredential(await dump(tab), variant);
    if (variant === 'dpop') {
      expect(rotated).toHaveLength(1);
      expect(first).not.toContain(rotated[0]);
    }

    await tab.click('#logout');
    await waitForApp(tab, (state) => state.ready && state.status.includes('Logged out'), 'logout');
    expectNothingStored(await dumpWhenSettled(tab));
  });
}

test('THREATS 12 + 16: three tabs whose token expired call at once — one refresh, one key; a reload; a logout in one tab reaches every tab, empties every store, revokes at the tenant, and later requests carry nothing', async ({
  session,
}) => {
  const first = await session.newTab();
  await login(first, 'dpop');
  const tabs = [first, await session.newTab(), await session.newTab()];
  for (const tab of tabs.slice(1)) {
    const state = await openApp(tab, 'dpop');
    expect(state.status).toContain(`Logged in as ${USER.name}`);
  }
  expect(await callApi(first, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;

  // The access token expires; the three tabs call at the same moment.
  await tenantAdmin.advanceClock(2 * 60 * 60);
  await tenantAdmin.clearRequests();
  for (const tab of tabs) await startCall(tab, `${API_URL}/api/me`);
  const calls = await Promise.all(tabs.map(collectCall));
  for (const call of calls) expect(call).toMatchObject({ status: 200, body: { jkt } });
  expect(await tenantAdmin.refreshRequests()).toEqual([expect.objectContaining({ status: 200 })]);

  // One tab reloads: the session and key are the same.
  await tabs[1]?.reload();
  const reloaded = await waitForApp(
    tabs[1] as Tab,
    (state) => state.ready && state.status.includes('Logged in'),
    'the reloaded tab',
  );
  expect(reloaded.status).toContain(USER.name);
  expect(await callApi(tabs[1] as Tab, `${API_URL}/api/me`)).toMatchObject({ body: { jkt } });

  // Logout in the third tab.
  await tenantAdmin.clearRequests();
  const loggedOutAt = new Date().toISOString();
  await tabs[2]?.click('#logout');
  for (const tab of tabs)
    await waitForApp(tab, (state) => state.ready && state.status.includes('Logged out'), 'logout');
  for (const tab of tabs) expectNothingStored(await dumpWhenSettled(tab));
  const revocations = (await tenantAdmin.requests('/oauth/revoke')).filter(
    (entry) => entry.method === 'POST',
  );
  expect(revocations.map((entry) => [entry.status, entry.clientId])).toEqual([[200, 'spa-dpop']]);
  const { refreshTokens } = await tenantAdmin.tokens();
  expect(refreshTokens.every((token) => token.status === 'revoked')).toBe(true);
  for (const tab of tabs) {
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
      error: { name: 'LoginRequiredError', code: 'login_required' },
    });
    const plain = await callApi(tab, `${API_URL}/api/echo`, { plain: true });
    const headers = (plain as { body: { headers: Record<string, string> } }).body.headers;
    expect(headers.authorization).toBeUndefined();
    expect(headers.dpop).toBeUndefined();
  }
  const after = (await apiAdmin.requests()).filter((entry) => entry.at >= loggedOutAt);
  expect(after.filter((entry) => entry.authScheme !== null || entry.dpopJti)).toEqual([]);
  expect(await tenantAdmin.refreshRequests()).toEqual([]);
});
