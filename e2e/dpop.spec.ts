import { AuthClient, generateDpopKeyPair, OAuthError } from '../src/core/index.js';
import { apiAdmin, tenantAdmin } from './support/admin-clients.js';
import { API_URL, TENANT_URL, USER } from './support/environment.js';
import { callApi, expect, login, stopWorkers, test } from './support/fixtures.js';
import { dumpStorage } from './support/storage.js';

test('one key for the whole session: across a worker stop, a reload, and a refresh after expiry', async ({
  page,
}) => {
  await login(page, 'dpop');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { tokenType: 'DPoP' },
  });
  const thumbprint = (await apiAdmin.requests()).at(-1)?.dpopJkt;
  expect(thumbprint).toBeTruthy();

  await stopWorkers(page);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  await page.reload();
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
  await stopWorkers(page);

  await tenantAdmin.clearRequests();
  await tenantAdmin.advanceClock(2 * 60 * 60);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { jkt: thumbprint },
  });
  const refreshes = await tenantAdmin.refreshRequests();
  expect(refreshes.filter((entry) => entry.status === 200)).toHaveLength(1);
  const apiCalls = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  expect(new Set(apiCalls.map((entry) => entry.dpopJkt))).toEqual(new Set([thumbprint]));
  expect(new Set(refreshes.map((entry) => entry.dpopJkt))).toEqual(new Set([thumbprint]));
});

test('the API rotates its nonce mid-session: handled transparently, every request and retry with its own jti', async ({
  page,
}) => {
  await login(page, 'dpop');
  for (let i = 0; i < 3; i++)
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const before = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  // The session's first call already learned the API's nonce the hard way (401, then a retry).
  expect(before.map((entry) => entry.status)).toEqual([401, 200, 200, 200]);
  await apiAdmin.clearRequests();
  // Twice: the previous nonce stays valid for one period, so one rotation alone may not refuse it.
  await apiAdmin.rotateNonce();
  await apiAdmin.rotateNonce();
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  expect(await callApi(page, `${API_URL}/api/notes`, { plain: true })).toMatchObject({
    status: 200,
  });

  const log = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
  // One refusal (the stale nonce), one retry with a fresh proof, then the next call goes straight through.
  expect(log.map((entry) => entry.status)).toEqual([401, 200, 200]);
  const jtis = [...before, ...log].map((entry) => entry.dpopJti);
  expect(jtis.every(Boolean)).toBe(true);
  expect(new Set(jtis).size).toBe(jtis.length);
});

test('a DPoP-bound refresh token read out of IndexedDB is useless with any other key', async ({
  page,
}) => {
  await login(page, 'dpop');
  const dump = await page.evaluate(dumpStorage);
  const session = dump.indexedDb['auth0-enclave']?.session?.[0]?.value as {
    refreshTokens: Record<string, { token: string }>;
  };
  const stolen = Object.values(session.refreshTokens)[0]?.token;
  expect(stolen).toBeTruthy();

  // The attacker, off the device, with a key of its own: the tenant refuses it.
  const attacker = new AuthClient({
    domain: TENANT_URL,
    clientId: 'spa-dpop',
    dpop: await generateDpopKeyPair(),
  });
  const error = await attacker
    .getTokenByRefreshToken({ refreshToken: stolen as string })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OAuthError);
  expect(error).toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });

  // And the theft attempt did not get the user's session revoked: it still refreshes.
  expect(
    (await tenantAdmin.tokens()).refreshTokens.filter((token) => token.status === 'revoked'),
  ).toEqual([]);
  await tenantAdmin.advanceClock(2 * 60 * 60);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test('page script may read nonces but neither set them nor have proofs signed (exposeDpopProofs is off)', async ({
  page,
}) => {
  await login(page, 'dpop');
  const result = await page.evaluate(async () => {
    const auth0 = window.auth0;
    const settle = async (promise: Promise<unknown>) =>
      promise.then(
        () => 'resolved',
        (error: { name: string; code: string }) => `${error.name}:${error.code}`,
      );
    return {
      nonce: await auth0.getDpopNonce(),
      set: await settle(auth0.setDpopNonce('attacker-nonce')),
      proof: await settle(
        auth0.generateDpopProof({ url: 'https://evil.example/', method: 'POST' }),
      ),
    };
  });
  expect(result.nonce).toMatch(/^[\x21-\x7e]+$/);
  expect(result.set).toBe('NotAllowedError:not_allowed');
  expect(result.proof).toBe('NotAllowedError:not_allowed');
});
