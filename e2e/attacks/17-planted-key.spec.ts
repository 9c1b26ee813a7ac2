import { calculateJwkThumbprint, type JWK } from 'jose';
import { tenantAdmin } from '../support/admin-clients.js';
import { API_URL, TENANT_URL } from '../support/environment.js';
import { callApi, expect, login, openApp, test } from '../support/fixtures.js';
import {
  plantKnownKey,
  proofWithKnownKey,
  readVaultStore,
  refreshFromElsewhere,
} from '../support/page-keys.js';

// THREATS 17 — planted key. While the user is logged out, page script writes a P-256 key it
// knows (imported as a non-extractable CryptoKey) into the vault's key store. A genuine login
// follows. Before issue 11 the login reused that key (the only check on a loaded key was "not
// extractable"): code, access token and refresh token were bound to a key the attacker holds,
// and the refresh token — readable in IndexedDB — refreshed from the attacker's machine. Now every
// new session signs with a key the worker generates at that moment (worker/key-binding.ts). The
// outcome is read from the servers: the tenant's record of the code redemption and of the refresh
// family, and a refresh the attacker tries from Node with the planted key.

test('THREATS 17: a key planted while logged out is not used by the next login; a refresh signed with it fails at the tenant', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  const planted = await plantKnownKey(page);
  const plantedJkt = await calculateJwkThumbprint(planted.publicJwk as JWK, 'sha256');

  await login(page, 'dpop');

  // The code redemption's proofs, as the tenant logged them: none signed by the planted key.
  const redemptions = (await tenantAdmin.requests('/oauth/token')).filter(
    (entry) => entry.grantType === 'authorization_code',
  );
  expect(redemptions.length).toBeGreaterThan(0);
  const sessionJkts = new Set(redemptions.map((entry) => entry.dpopJkt));
  expect(sessionJkts.size).toBe(1);
  const [sessionJkt] = [...sessionJkts];
  expect(sessionJkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(sessionJkt).not.toBe(plantedJkt);
  // The refresh family the tenant keeps is bound to the worker's key, not the planted one.
  const families = (await tenantAdmin.tokens()).refreshTokens.filter(
    (family) => family.clientId === 'spa-dpop' && family.status === 'active',
  );
  expect(families.map((family) => family.jkt)).toEqual([sessionJkt]);
  // The app works, with the worker's key (the API reports the jkt it verified).
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { jkt: sessionJkt },
  });

  // The attacker reads the refresh token (the persisted mode stores DPoP-bound ones) and
  // refreshes from its own machine with the key it planted: refused.
  const sessions = (await readVaultStore(page, 'session')) as {
    refreshTokens: Record<string, { token: string }>;
  }[];
  const refreshToken = Object.values(sessions[0]?.refreshTokens ?? {})[0]?.token;
  expect(refreshToken).toBeTruthy();
  const attempt = await refreshFromElsewhere({
    tokenUrl: `${TENANT_URL}/oauth/token`,
    clientId: 'spa-dpop',
    refreshToken: refreshToken as string,
    sign: (nonce) => proofWithKnownKey({ ...planted, url: `${TENANT_URL}/oauth/token`, nonce }),
  });
  expect(attempt.status).toBe(400);
  expect(attempt.body.error).not.toBe('use_dpop_nonce');
  expect(attempt.body.access_token).toBeUndefined();
  const refreshes = await tenantAdmin.refreshRequests();
  expect(refreshes.every((entry) => entry.status !== 200)).toBe(true);
  expect(refreshes.some((entry) => entry.dpopJkt === plantedJkt)).toBe(true);

  // The stored key is now the worker's: the planted one was overwritten.
  const keys = (await readVaultStore(page, 'keys')) as CryptoKeyPair[];
  expect(keys).toHaveLength(1);
  const storedJkt = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('auth0-enclave');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const pair = await new Promise<CryptoKeyPair>((resolve, reject) => {
      const get = db.transaction('keys').objectStore('keys').get('dpop');
      get.onsuccess = () => resolve(get.result as CryptoKeyPair);
      get.onerror = () => reject(get.error);
    });
    db.close();
    return crypto.subtle.exportKey('jwk', pair.publicKey);
  });
  expect(await calculateJwkThumbprint(storedJkt as JWK, 'sha256')).toBe(sessionJkt);
});
