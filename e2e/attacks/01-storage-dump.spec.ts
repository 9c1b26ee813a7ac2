import type { Page } from '@playwright/test';
import { tenantAdmin } from '../support/admin-clients.js';
import { tapTokenEndpoint, type WireSecrets } from '../support/attacker.js';
import { API_URL, appUrl, USER, type Variant } from '../support/environment.js';
import { callApi, expect, login, openApp, test } from '../support/fixtures.js';
import {
  dumpStorage,
  expectNothingStored,
  type StorageDump,
  vaultStore,
} from '../support/storage.js';

// THREATS 1 — X reads every storage API of the origin. It must find no access token, no bearer
// refresh token, no code, no PKCE verifier of a finished login: only non-extractable keys and
// DPoP-bound refresh tokens. The secrets to look for are taken off the wire (context.route sees
// the worker's own requests to the tenant), so the search is for the real values.

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

interface StoredSession {
  refreshTokens: Record<string, { token: string; dpopBound: boolean }>;
}

/** Checks one dump against every secret seen on the wire so far. */
function expectNoCredential(dump: StorageDump, secrets: WireSecrets, variant: Variant): void {
  const text = JSON.stringify(dump);
  const session = vaultStore(dump, 'session')[0]?.value as StoredSession | undefined;
  const bound = new Set(
    Object.values(session?.refreshTokens ?? {})
      .filter((token) => token.dpopBound)
      .map((token) => token.token),
  );
  if (variant === 'bearer') expect(bound.size).toBe(0);
  for (const secret of secrets.all()) {
    // The only credential allowed here: a DPoP-bound refresh token, in the vault's session record.
    if (variant === 'dpop' && secrets.refreshTokens.includes(secret) && bound.has(secret)) continue;
    expect(text, 'a credential is readable by page script').not.toContain(secret);
    // Nor a recognisable part of one (a JWT's signature, a half of an opaque token).
    const part = secret.includes('.') ? (secret.split('.').at(-1) as string) : secret.slice(0, 20);
    expect(text, 'part of a credential is readable by page script').not.toContain(part);
  }
  expect(text).not.toMatch(JWT);
  expect(dump.localStorage).toEqual({});
  expect(dump.sessionStorage).toEqual({});
  expect(dump.cookies).toBe('');
  expect(dump.cookieStore).toEqual([]);
  expect(dump.caches).toEqual({});
  expect(dump.opfs).toEqual([]);
  // Only the worker's own database exists, and in it no login is pending.
  expect(Object.keys(dump.indexedDb)).toEqual(['auth0-enclave']);
  expect(vaultStore(dump, 'transactions')).toEqual([]);
  expect(vaultStore(dump, 'results')).toEqual([]);
  const keys = vaultStore(dump, 'keys');
  if (variant === 'dpop') {
    expect(keys).toHaveLength(1);
    expect(keys[0]?.value).toEqual({
      privateKey: {
        CryptoKey: { type: 'private', extractable: false, algorithm: 'ECDSA', usages: ['sign'] },
      },
      publicKey: {
        CryptoKey: { type: 'public', extractable: true, algorithm: 'ECDSA', usages: ['verify'] },
      },
    });
    expect(bound.size).toBeGreaterThan(0);
  } else {
    expect(keys).toEqual([]);
    // A bearer refresh token stays in worker memory: no session record at all.
    expect(vaultStore(dump, 'session')).toEqual([]);
  }
}

const dump = (page: Page) => page.evaluate(dumpStorage);

for (const variant of ['dpop', 'bearer'] as const) {
  test(`THREATS 1: ${variant}: a storage dump after login, a reload and a token refresh finds no access token, bearer refresh token, code or verifier; after logout nothing at all`, async ({
    page,
    context,
  }) => {
    const secrets = await tapTokenEndpoint(context);
    await login(page, variant);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    // What the login put on the wire: a code, a verifier, an access, a refresh and an ID token.
    expect(secrets.codes).toHaveLength(1);
    expect(secrets.verifiers).toHaveLength(1);
    expect(secrets.accessTokens).toHaveLength(1);
    expect(secrets.refreshTokens).toHaveLength(1);
    expect(secrets.idTokens).toHaveLength(1);
    expectNoCredential(await dump(page), secrets, variant);

    // A reload of the page.
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expectNoCredential(await dump(page), secrets, variant);

    // A token refresh (the access token expired): new tokens, the refresh token rotated.
    await tenantAdmin.advanceClock(2 * 60 * 60);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    expect(await tenantAdmin.refreshRequests()).toHaveLength(1);
    expect(secrets.accessTokens).toHaveLength(2);
    // The old refresh token (sent in the refresh) and the new one (answered).
    expect(new Set(secrets.refreshTokens).size).toBe(2);
    const afterRefresh = await dump(page);
    expectNoCredential(afterRefresh, secrets, variant);
    if (variant === 'dpop') {
      // The rotated-away refresh token is gone from the vault; only the newest is kept.
      const text = JSON.stringify(afterRefresh);
      expect(text).not.toContain(secrets.refreshTokens[0] as string);
      expect(text).toContain(secrets.refreshTokens.at(-1) as string);
    }

    // Logout: nothing at all is left in any storage API. (The page leaves for the tenant's
    // logout endpoint, which redirects straight back: wait for the new document.)
    const back = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Log out' }).click();
    await back;
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(page.url()).toBe(`${appUrl(variant)}/`);
    await expect(page.getByRole('status')).toContainText('Logged out');
    const afterLogout = await dump(page);
    expectNothingStored(afterLogout);
    for (const secret of secrets.all()) expect(JSON.stringify(afterLogout)).not.toContain(secret);
  });
}

test('THREATS 1: a pending login keeps one transaction (by design) that is gone the moment its callback is redeemed; an abandoned login leaves one transaction and no code', async ({
  page,
  context,
}) => {
  // A second tab of the app plays the attacker and reads storage while the first logs in.
  const spy = await context.newPage();
  await openApp(spy, 'dpop');
  let atRedemption: StorageDump | undefined;
  const secrets = await tapTokenEndpoint(context, async (form) => {
    // The worker is redeeming the code right now: what could page script read at this instant?
    if (form.get('grant_type') === 'authorization_code') atRedemption = await dump(spy);
  });

  // 1. A login abandoned on the tenant's login page.
  await openApp(page, 'dpop');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByLabel('Password')).toBeVisible();
  const abandonedState = new URL(page.url()).searchParams.get('state');
  expect(abandonedState).toBeTruthy();
  const pending = await dump(spy);
  expect(vaultStore(pending, 'transactions').map((record) => record.key)).toEqual([abandonedState]);
  await openApp(page, 'dpop');
  const abandoned = await dump(spy);
  expect(vaultStore(abandoned, 'transactions').map((record) => record.key)).toEqual([
    abandonedState,
  ]);
  // No code was ever issued, so none can be anywhere; the worker redeemed nothing.
  expect(secrets.codes).toEqual([]);
  expect(JSON.stringify(abandoned)).not.toMatch(/"code"|code=/);
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);

  // 2. A login carried through: at the moment the worker redeems the code, its transaction is
  //    already gone (taken, single use); only the abandoned one is left.
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${appUrl('dpop')}/`);
  await expect(page.getByRole('status')).toContainText('Logged in');
  expect(secrets.codes).toHaveLength(1);
  expect(atRedemption).toBeDefined();
  for (const snapshot of [atRedemption as StorageDump, await dump(page)]) {
    expect(vaultStore(snapshot, 'transactions').map((record) => record.key)).toEqual([
      abandonedState,
    ]);
    const text = JSON.stringify(snapshot);
    expect(text).not.toContain(secrets.codes[0] as string);
    expect(text).not.toContain(secrets.verifiers[0] as string);
    for (const token of [...secrets.accessTokens, ...secrets.idTokens])
      expect(text).not.toContain(token);
  }
  // The landed page picked its login result up: no outcome is left lying around either.
  expect(vaultStore(await dump(page), 'results')).toEqual([]);
});
