import 'fake-indexeddb/auto';
import {
  ALICE,
  API,
  APP_ORIGIN,
  REDIRECT_URI,
  TEST_SPA,
  useTenant,
} from 'auth0-enclave-tenant/testing';
import { openDB } from 'idb';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError, LoginRequiredError, NetworkError, OAuthError } from '../../src/core/errors.js';
import { completeCallback as completeLogin } from '../../worker/callback.js';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { startLogin } from '../../worker/login.js';
import type { StoredSession } from '../../worker/vault.js';
import {
  callbackFromTenant,
  createWorker,
  EMPTY_VAULT,
  loginThroughWorker,
  loginTokenKey,
  readVault,
  restartWorker,
  vaultCounts,
  type WorkerHarness,
} from '../helpers/worker-harness.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
// A public client for which the tenant has DPoP off altogether.
server.tenant.admin.upsertClient({ ...TEST_SPA, clientId: 'test-spa-no-dpop', dpop: 'off' });

const HOUR_MS = 3600 * 1000;

/** A worker with a completed login; the tenant's request log starts empty after it. */
async function loggedIn(config: Partial<AuthWorkerConfig> = {}): Promise<WorkerHarness> {
  const worker = createWorker({ issuer, config });
  const result = await loginThroughWorker(worker, issuer);
  expect(result.error).toBeUndefined();
  server.tenant.admin.clearRequests();
  worker.calls.length = 0;
  return worker;
}

/** The tenant's log of /oauth/token (faulted requests are logged too, with their grant type and proof). */
function tokenEndpointLog() {
  return server.tenant.admin.requests({ path: '/oauth/token' });
}

function refreshes() {
  return tokenEndpointLog().filter((entry) => entry.grantType === 'refresh_token');
}

function refreshCalls(worker: WorkerHarness) {
  return worker.calls.filter((call) => call.grantType === 'refresh_token');
}

async function storedSession(worker: WorkerHarness): Promise<StoredSession | undefined> {
  return (await readVault(worker.vaultName)).session?.[0] as StoredSession | undefined;
}

function familyStatuses(clientId = 'sample-spa') {
  return server.tenant.admin
    .tokens()
    .refreshTokens.filter((token) => token.clientId === clientId)
    .map((token) => token.status);
}

describe('access tokens', () => {
  it('serves the login’s access token from memory while it is fresh', async () => {
    const worker = await loggedIn();
    const key = loginTokenKey(worker);
    const first = await worker.session.getAccessToken(key);
    const again = await worker.session.getAccessToken(key);
    expect(again).toBe(first);
    // Scope order and repeats do not make another cache entry.
    const reordered = await worker.session.getAccessToken({
      audience: API,
      scope: `offline_access email ${key.scope}`,
    });
    expect(reordered).toBe(first);
    expect(await worker.session.cachedAccessToken(key)).toBe(first);
    expect(tokenEndpointLog()).toHaveLength(0);
  });

  it('refreshes within the leeway before expiry, not earlier', async () => {
    const worker = await loggedIn();
    const key = loginTokenKey(worker);
    const first = await worker.session.getAccessToken(key);
    worker.clock.offsetMs = HOUR_MS - 120_000;
    expect(await worker.session.getAccessToken(key)).toBe(first);
    worker.clock.offsetMs = HOUR_MS - 30_000;
    expect(await worker.session.cachedAccessToken(key)).toBeUndefined();
    const second = await worker.session.getAccessToken(key);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(refreshes()).toHaveLength(1);
  });

  it('expiry: 50 concurrent calls cause exactly one refresh, and all get its token', async () => {
    const worker = await loggedIn();
    const key = loginTokenKey(worker);
    const old = await worker.session.getAccessToken(key);
    server.tenant.admin.clock({ advance: 3600 });
    worker.clock.offsetMs = HOUR_MS;

    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => worker.session.getAccessToken(key)),
    );
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(tokens[0]?.accessToken).not.toBe(old.accessToken);
    expect(tokens[0]?.tokenType).toBe('DPoP');
    expect(refreshes().map((entry) => entry.status)).toEqual([200]);
    expect(refreshes()[0]?.dpopJkt).toBe(worker.session.key?.thumbprint);
    // No reuse detection tripped: one rotated token, one active.
    expect(familyStatuses()).toEqual(['rotated', 'active']);

    // Back at the time the token was issued, it is served from memory again.
    worker.clock.offsetMs = 0;
    expect((await worker.session.getAccessToken(key)).accessToken).toBe(tokens[0]?.accessToken);
    expect(refreshes()).toHaveLength(1);
  });

  it('a rejected ("failed") token is not handed out again; the newer one is, without another refresh', async () => {
    const worker = await loggedIn();
    const key = loginTokenKey(worker);
    const rejected = await worker.session.getAccessToken(key);
    const [a, b] = await Promise.all([
      worker.session.getAccessToken(key, { failed: rejected.accessToken }),
      worker.session.getAccessToken(key, { failed: rejected.accessToken }),
    ]);
    expect(a?.accessToken).not.toBe(rejected.accessToken);
    expect(b).toBe(a);
    const later = await worker.session.getAccessToken(key, { failed: rejected.accessToken });
    expect(later).toBe(a);
    expect(refreshes()).toHaveLength(1);
  });

  it('force refreshes even a fresh token', async () => {
    const worker = await loggedIn();
    const key = loginTokenKey(worker);
    const first = await worker.session.getAccessToken(key);
    const forced = await worker.session.getAccessToken(key, { force: true });
    expect(forced.accessToken).not.toBe(first.accessToken);
    expect(refreshes()).toHaveLength(1);
  });

  it('a login without an audience refreshes too (its refresh-token slot is "")', async () => {
    const worker = await loggedIn({
      authorizationParams: { redirect_uri: REDIRECT_URI },
      apis: [],
    });
    const key = loginTokenKey(worker);
    expect(key.audience).toBeUndefined();
    const first = await worker.session.getAccessToken(key);
    const forced = await worker.session.getAccessToken(key, { force: true });
    expect(forced.accessToken).not.toBe(first.accessToken);
    expect(refreshes().map((entry) => entry.status)).toEqual([200]);
    expect(Object.keys((await storedSession(worker))?.refreshTokens ?? {})).toEqual(['']);
  });

  it('without a session: LoginRequiredError and no request', async () => {
    const worker = createWorker({ issuer });
    await expect(worker.session.getAccessToken(loginTokenKey(worker))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    expect(worker.calls).toHaveLength(0);
  });
});

describe('refresh-token rotation and persistence', () => {
  it('stores the rotated refresh token in the vault before returning the access token', async () => {
    const worker = await loggedIn();
    const before = await storedSession(worker);
    const slot = API;
    const oldToken = before?.refreshTokens[slot]?.token;
    expect(oldToken).toEqual(expect.any(String));

    await worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    const after = await storedSession(worker);
    expect(after?.refreshTokens[slot]).toMatchObject({ dpopBound: true, audience: API });
    expect(after?.refreshTokens[slot]?.token).not.toBe(oldToken);
    expect(familyStatuses()).toEqual(['rotated', 'active']);

    // The stored one is the live one: a restarted worker refreshes with it without tripping reuse
    // detection.
    const restarted = restartWorker(worker, issuer);
    await restarted.session.getAccessToken(loginTokenKey(restarted));
    expect(familyStatuses()).toEqual(['rotated', 'rotated', 'active']);
  });

  it.each([
    {
      name: 'DPoP-bound, storage auto: persisted',
      config: {},
      persisted: true,
      dpopBound: true,
    },
    {
      name: 'bearer (useDpop false), storage auto: memory only',
      config: { clientId: 'test-spa', useDpop: false },
      persisted: false,
      dpopBound: false,
    },
    {
      name: 'bearer (a tenant client with dpop "off"), storage auto: memory only',
      config: { clientId: 'test-spa-no-dpop', useDpop: false },
      persisted: false,
      dpopBound: false,
    },
    {
      name: 'bearer, storage indexeddb: persisted (the config opted in)',
      config: { clientId: 'test-spa', useDpop: false, refreshTokenStorage: 'indexeddb' as const },
      persisted: true,
      dpopBound: false,
    },
    {
      name: 'DPoP-bound, storage memory: never persisted',
      config: { refreshTokenStorage: 'memory' as const },
      persisted: false,
      dpopBound: true,
    },
  ])('$name', async ({ config, persisted, dpopBound }) => {
    const worker = await loggedIn(config);
    const key = loginTokenKey(worker);
    const clientId = worker.config.clientId;
    expect(server.tenant.admin.tokens().refreshTokens[0]?.jkt !== undefined).toBe(dpopBound);
    const check = async () => {
      const stored = await storedSession(worker);
      if (persisted) {
        expect(stored?.refreshTokens[API]).toMatchObject({ dpopBound });
        expect(stored?.configKey).toBe(`${issuer}|${clientId}`);
      } else {
        expect(stored).toBeUndefined();
      }
    };
    await check();
    // Still true after a rotation.
    const refreshed = await worker.session.getAccessToken(key, { force: true });
    expect(refreshed.tokenType).toBe(dpopBound ? 'DPoP' : 'Bearer');
    await check();
    // The worker itself keeps the session in memory either way.
    expect(await worker.session.state()).toMatchObject({ authenticated: true });

    const restarted = restartWorker(worker, issuer);
    if (persisted) {
      expect(await restarted.session.state()).toMatchObject({
        authenticated: true,
        user: { sub: ALICE.sub },
      });
      await restarted.session.getAccessToken(loginTokenKey(restarted));
      expect(refreshes().map((entry) => entry.status)).toEqual([200, 200]);
    } else {
      expect(await restarted.session.state()).toEqual({ authenticated: false });
      await expect(
        restarted.session.getAccessToken(loginTokenKey(restarted)),
      ).rejects.toBeInstanceOf(LoginRequiredError);
    }
    // The raw vault never holds an access token.
    const dump = JSON.stringify(await readVault(worker.vaultName));
    expect(dump).not.toContain(refreshed.accessToken);
  });

  it('a restarted worker restores the key (same thumbprint) and refreshes with it', async () => {
    const worker = await loggedIn();
    const thumbprint = worker.session.key?.thumbprint;
    const claims = await worker.session.idTokenClaims();

    const restarted = restartWorker(worker, issuer);
    expect(restarted.session.key).toBeUndefined();
    // Claims read back from storage are re-derived from the refresh's signed ID token (THREATS
    // 17): the same user, without the login's nonce.
    const { nonce: _nonce, iat: _iat, exp: _exp, ...user } = claims as Record<string, unknown>;
    expect(await restarted.session.idTokenClaims()).toMatchObject(user);
    expect(restarted.session.key?.thumbprint).toBe(thumbprint);

    const token = await restarted.session.getAccessToken(loginTokenKey(restarted));
    expect(token.tokenType).toBe('DPoP');
    // The nonce persisted by the first worker spared the use_dpop_nonce round trip.
    expect(refreshes()).toEqual([expect.objectContaining({ status: 200, dpopJkt: thumbprint })]);
    expect(restarted.broadcasts).toEqual([]);
  });

  it('discards a persisted session of another client instead of using it', async () => {
    const worker = await loggedIn();
    const other = createWorker({
      issuer,
      config: { clientId: 'test-spa' },
      vaultName: worker.vaultName,
    });
    expect(await other.session.state()).toEqual({ authenticated: false });
    expect(await storedSession(worker)).toBeUndefined();
    await expect(other.session.getAccessToken(loginTokenKey(other))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    expect(other.calls).toHaveLength(0);
  });
});

describe('a refused or unusable refresh token ends the session', () => {
  it('a persisted DPoP-bound session whose key was deleted is discarded, not kept half-alive', async () => {
    const worker = await loggedIn();
    // Script in the page can delete any IndexedDB data (denial of service, THREATS.md).
    const db = await openDB(worker.vaultName);
    await db.clear('keys');
    db.close();

    const restarted = restartWorker(worker, issuer);
    expect(await restarted.session.state()).toEqual({ authenticated: false });
    await expect(restarted.session.getAccessToken(loginTokenKey(restarted))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    expect(restarted.calls).toHaveLength(0);
    expect(await storedSession(worker)).toBeUndefined();
    // The refresh token was never presented without its proof.
    expect(tokenEndpointLog()).toHaveLength(0);
  });

  it('so is one persisted by a DPoP worker and read by a worker updated to useDpop: false', async () => {
    const worker = await loggedIn();
    const updated = createWorker({
      issuer,
      config: { useDpop: false },
      vaultName: worker.vaultName,
    });
    expect(await updated.session.state()).toEqual({ authenticated: false });
    expect(updated.calls).toHaveLength(0);
  });

  it('invalid_grant (family revoked at the tenant): LoginRequiredError, vault wiped, "expired" broadcast', async () => {
    const worker = await loggedIn();
    await startLogin(worker.deps, {}); // a pending login, to see it wiped too
    expect(server.tenant.admin.revokeRefreshTokens({ clientId: 'sample-spa' })).toEqual({
      revoked: 1,
    });

    const attempt = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    await expect(attempt).rejects.toBeInstanceOf(LoginRequiredError);
    expect(refreshes().map((entry) => entry.status)).toEqual([400]);
    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
    expect(worker.broadcasts.at(-1)).toEqual({ authenticated: false, reason: 'expired' });
    expect(await worker.session.state()).toEqual({ authenticated: false });
    expect(worker.session.key).toBeUndefined();

    // Nothing is left to try: no request at all.
    const calls = worker.calls.length;
    await expect(worker.session.getAccessToken(loginTokenKey(worker))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    expect(worker.calls).toHaveLength(calls);
  });
});

describe('failures of the token endpoint', () => {
  it('503 is retried with a fresh proof each time, then succeeds', async () => {
    const worker = await loggedIn();
    server.tenant.admin.addFault({
      path: '/oauth/token',
      status: 503,
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    await worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    expect(tokenEndpointLog().map((entry) => entry.status)).toEqual([503, 200]);
    const jtis = refreshCalls(worker).map((call) => call.dpopJti);
    expect(jtis).toHaveLength(2);
    expect(new Set(jtis).size).toBe(2);
    // The tenant saw both proofs: the refused one and the fresh one it accepted.
    expect(refreshes().map((entry) => [entry.status, entry.dpopJti])).toEqual([
      [503, jtis[0]],
      [200, jtis[1]],
    ]);
  });

  it.each([
    ['503 with an OAuth error body', 503, { error: 'temporarily_unavailable' }],
    ['429 with an OAuth error body', 429, { error: 'too_many_requests' }],
    ['500 with an OAuth error body', 500, { error: 'server_error' }],
  ])('%s is retried like a bare one', async (_, status, body) => {
    const worker = await loggedIn();
    server.tenant.admin.addFault({
      path: '/oauth/token',
      status,
      body,
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    await worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    expect(tokenEndpointLog().map((entry) => entry.status)).toEqual([status, 200]);
    expect(new Set(refreshCalls(worker).map((call) => call.dpopJti)).size).toBe(2);
  });

  it('a lasting 503 fails typed after the retries, and the session survives', async () => {
    const worker = await loggedIn();
    server.tenant.admin.addFault({
      path: '/oauth/token',
      status: 503,
      when: { grantType: 'refresh_token' },
    });
    const attempt = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    await expect(attempt).rejects.toBeInstanceOf(HttpError);
    await expect(attempt).rejects.toMatchObject({ status: 503, code: 'http_error' });
    expect(tokenEndpointLog().map((entry) => entry.status)).toEqual([503, 503, 503]);
    const jtis = refreshCalls(worker).map((call) => call.dpopJti);
    expect(new Set(jtis).size).toBe(3);
    expect(await worker.session.state()).toMatchObject({ authenticated: true });
    expect(await storedSession(worker)).toBeDefined();
    expect(worker.broadcasts.filter((state) => !state.authenticated)).toEqual([]);

    // The refresh token was never spent: once the tenant is back, it works.
    server.tenant.admin.clearFaults();
    await worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    expect(refreshes().at(-1)?.status).toBe(200);
  });

  it('a network failure is not retried, and the session survives', async () => {
    const worker = await loggedIn();
    worker.failTokenRequests(1);
    const attempt = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    await expect(attempt).rejects.toBeInstanceOf(NetworkError);
    await expect(attempt).rejects.toMatchObject({ code: 'network_error' });
    expect(refreshCalls(worker)).toHaveLength(1);
    expect(tokenEndpointLog()).toHaveLength(0);
    expect(await worker.session.state()).toMatchObject({ authenticated: true });

    await worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    expect(refreshes().map((entry) => entry.status)).toEqual([200]);
  });

  it('a 400 other than invalid_grant is not retried and does not end the session', async () => {
    const worker = await loggedIn();
    server.tenant.admin.addFault({
      path: '/oauth/token',
      status: 400,
      body: { error: 'invalid_request', error_description: 'nope' },
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    const attempt = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({ error: 'invalid_request', status: 400 });
    expect(tokenEndpointLog()).toHaveLength(1);
    expect(await worker.session.state()).toMatchObject({ authenticated: true });
  });
});

describe('logout', () => {
  it('revokes at the tenant, wipes every vault store, forgets the key, tells every tab', async () => {
    const worker = await loggedIn();
    await startLogin(worker.deps, {});
    await worker.vault.putResult('some-tab', { ok: true, appState: 1, createdAt: Date.now() });
    const counts = await vaultCounts(worker.vaultName);
    for (const store of ['keys', 'session', 'transactions', 'results', 'nonces'])
      expect(counts[store], store).toBeGreaterThan(0);

    const url = await worker.session.logout({});
    expect(url.origin).toBe(new URL(issuer).origin);
    expect(url.searchParams.get('client_id')).toBe('sample-spa');
    expect(
      url.searchParams.get('post_logout_redirect_uri') ?? url.searchParams.get('returnTo'),
    ).toBe(`${APP_ORIGIN}/`);

    const revocations = server.tenant.admin.requests({ path: '/oauth/revoke' });
    expect(revocations.map((entry) => entry.status)).toEqual([200]);
    expect(familyStatuses()).toEqual(['revoked']);
    expect(server.tenant.admin.tokens().accessTokens.map((token) => token.status)).toEqual([
      'revoked',
    ]);

    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
    expect(worker.broadcasts.at(-1)).toEqual({ authenticated: false, reason: 'logout' });
    expect(await worker.session.state()).toEqual({ authenticated: false });
    expect(worker.session.key).toBeUndefined();
    expect(worker.session.nonces.get(new URL(issuer).origin)).toBeUndefined();
    await expect(worker.session.getAccessToken(loginTokenKey(worker))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    // A restarted worker finds nothing either.
    expect(await restartWorker(worker, issuer).session.state()).toEqual({ authenticated: false });
  });

  it('a refresh that succeeds while logout runs does not resurrect the session', async () => {
    const worker = await loggedIn();
    server.tenant.admin.addFault({
      path: '/oauth/token',
      delayMs: 150,
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    server.tenant.admin.addFault({ path: '/oauth/revoke', delayMs: 400, times: 1 });
    const refresh = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    refresh.catch(() => {});
    await vi.waitFor(() => expect(refreshCalls(worker)).toHaveLength(1));

    await worker.session.logout({});
    await expect(refresh).rejects.toBeInstanceOf(LoginRequiredError);
    // The tenant did rotate (the refresh went through) and then revoked the whole family.
    expect(refreshes().map((entry) => entry.status)).toEqual([200]);
    expect(familyStatuses()).toEqual(['revoked', 'revoked']);

    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
    expect(await worker.session.state()).toEqual({ authenticated: false });
    expect(worker.session.nonces.get(new URL(issuer).origin)).toBeUndefined();
    expect(worker.broadcasts.filter((state) => !state.authenticated)).toEqual([
      { authenticated: false, reason: 'logout' },
    ]);
    expect(await restartWorker(worker, issuer).session.state()).toEqual({ authenticated: false });
  });

  it('a refresh refused because logout revoked it first ends quietly: no second broadcast', async () => {
    const worker = await loggedIn();
    server.tenant.admin.addFault({
      path: '/oauth/token',
      delayMs: 200,
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    const refresh = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    refresh.catch(() => {});
    await vi.waitFor(() => expect(refreshCalls(worker)).toHaveLength(1));

    await worker.session.logout({});
    await expect(refresh).rejects.toBeInstanceOf(LoginRequiredError);
    expect(refreshes().map((entry) => entry.status)).toEqual([400]);
    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
    expect(worker.broadcasts.filter((state) => !state.authenticated)).toEqual([
      { authenticated: false, reason: 'logout' },
    ]);
  });

  it('without a session: no revocation, still a logout URL and a broadcast', async () => {
    const worker = createWorker({ issuer });
    const url = await worker.session.logout({ returnTo: `${APP_ORIGIN}/bye`, federated: true });
    expect(url.href).toContain(encodeURIComponent(`${APP_ORIGIN}/bye`));
    expect(server.tenant.admin.requests({ path: '/oauth/revoke' })).toHaveLength(0);
    expect(worker.broadcasts).toEqual([{ authenticated: false, reason: 'logout' }]);
  });
});

/** Holds the vault's next `putSession` until `release()`; `reached` resolves when it is called. */
function holdNextPersist(worker: WorkerHarness): { reached: Promise<void>; release(): void } {
  const original = worker.vault.putSession.bind(worker.vault);
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached = () => {};
  const reachedPromise = new Promise<void>((resolve) => {
    reached = resolve;
  });
  vi.spyOn(worker.vault, 'putSession').mockImplementationOnce(async (session) => {
    reached();
    await gate;
    return original(session);
  });
  return { reached: reachedPromise, release };
}

describe('races with logout (THREATS 23)', () => {
  it('a logout landing while a refresh is persisted: no access token cached or used after it', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    const key = loginTokenKey(worker);
    const held = holdNextPersist(worker);
    const refresh = worker.session.getAccessToken(key, { force: true });
    refresh.catch(() => {});
    await held.reached;
    const logout = worker.session.logout({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.release();
    await logout;
    await expect(refresh).rejects.toBeInstanceOf(LoginRequiredError);
    expect(await worker.session.cachedAccessToken(key)).toBeUndefined();
    server.tenant.admin.clearRequests();
    await expect(worker.session.getAccessToken(key)).rejects.toBeInstanceOf(LoginRequiredError);
    expect(tokenEndpointLog()).toEqual([]);
    expect(worker.broadcasts).toEqual([{ authenticated: false, reason: 'logout' }]);
    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
  });

  it('a logout landing while a login is persisted: no "logged in" told after "logged out"', async () => {
    const worker = createWorker({ issuer });
    const { url } = await startLogin(worker.deps, {});
    const callback = await callbackFromTenant(issuer, url);
    const held = holdNextPersist(worker);
    const login = completeLogin(worker.deps, callback);
    await held.reached;
    const logout = worker.session.logout({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.release();
    await logout;
    const result = await login;
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('login_required');
    expect(worker.broadcasts).toEqual([{ authenticated: false, reason: 'logout' }]);
    expect(await worker.session.state()).toEqual({ authenticated: false });
    expect(await worker.session.cachedAccessToken(loginTokenKey(worker))).toBeUndefined();
  });

  it('a logout while the callback redeems its code voids the login', async () => {
    const worker = createWorker({ issuer });
    const { url } = await startLogin(worker.deps, {});
    const callback = await callbackFromTenant(issuer, url);
    server.tenant.admin.addFault({
      path: '/oauth/token',
      delayMs: 300,
      times: 1,
      when: { grantType: 'authorization_code' },
    });
    const login = completeLogin(worker.deps, callback);
    await vi.waitFor(() =>
      expect(worker.calls.filter((call) => call.grantType === 'authorization_code')).toHaveLength(
        1,
      ),
    );
    await worker.session.logout({});
    const result = await login;
    expect(result.ok).toBe(false);
    expect(await worker.session.state()).toEqual({ authenticated: false });
    expect(worker.broadcasts).toEqual([{ authenticated: false, reason: 'logout' }]);
    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
  });

  it('a logout during a refresh retry’s backoff: the retry is not sent', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    server.tenant.admin.addFault({
      path: '/oauth/token',
      status: 503,
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    const refresh = worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    refresh.catch(() => {});
    await vi.waitFor(() => expect(refreshes().map((entry) => entry.status)).toEqual([503]));
    await worker.session.logout({});
    await expect(refresh).rejects.toBeInstanceOf(LoginRequiredError);
    // Only the first attempt: the backoff's retry would have presented the revoked token.
    expect(refreshCalls(worker)).toHaveLength(1);
    expect(worker.broadcasts).toEqual([{ authenticated: false, reason: 'logout' }]);
  });

  it('revokeRefreshToken during a refresh of the same token: the rotated token is revoked, nothing is resurrected', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    const key = loginTokenKey(worker);
    server.tenant.admin.addFault({
      path: '/oauth/token',
      delayMs: 300,
      times: 1,
      when: { grantType: 'refresh_token' },
    });
    const refresh = worker.session.getAccessToken(key, { force: true });
    await vi.waitFor(() => expect(refreshCalls(worker)).toHaveLength(1));
    await worker.session.revokeRefreshToken(key.audience);
    // The refresh went first and completed; the revocation then took the rotated token.
    expect((await refresh).accessToken).toBeTruthy();
    expect(refreshes().map((entry) => entry.status)).toEqual([200]);
    expect(familyStatuses()).toEqual(['revoked', 'revoked']);
    expect(await worker.session.cachedAccessToken(key)).toBeUndefined();
    expect((await storedSession(worker))?.refreshTokens ?? {}).toEqual({});
    await expect(worker.session.getAccessToken(key, { force: true })).rejects.toMatchObject({
      code: 'missing_refresh_token',
    });
    expect(worker.broadcasts).toEqual([]);
  });

  it('revokeRefreshToken racing a logout does not write the session back', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    server.tenant.admin.addFault({ path: '/oauth/revoke', delayMs: 300, times: 1 });
    const revoke = worker.session.revokeRefreshToken(loginTokenKey(worker).audience);
    await vi.waitFor(() =>
      expect(worker.calls.filter((call) => call.url.endsWith('/oauth/revoke'))).toHaveLength(1),
    );
    await worker.session.logout({});
    await revoke;
    expect(await vaultCounts(worker.vaultName)).toEqual(EMPTY_VAULT);
    expect(await worker.session.state()).toEqual({ authenticated: false });
  });
});

describe('what is read back is re-proven (THREATS 17)', () => {
  it('claims planted in the stored session are replaced by the refresh’s signed ID token before anyone sees them', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    const stored = await storedSession(worker);
    const db = await openDB(worker.vaultName);
    await db.put(
      'session',
      {
        ...stored,
        claims: { ...stored?.claims, sub: 'auth0|mallory', name: 'Mallory', email: 'm@evil' },
      },
      'current',
    );
    db.close();
    const restarted = restartWorker(worker, issuer);
    const state = await restarted.session.state();
    expect(state).toMatchObject({ authenticated: true, user: { sub: ALICE.sub } });
    expect(JSON.stringify(state)).not.toContain('allory');
    expect((await restarted.session.idTokenClaims())?.sub).toBe(ALICE.sub);
    // One refresh re-derived them; its access token serves the next API call.
    expect(refreshes()).toHaveLength(1);
    await restarted.session.getAccessToken(loginTokenKey(restarted));
    expect(refreshes()).toHaveLength(1);
    expect((await storedSession(restarted))?.claims.sub).toBe(ALICE.sub);
  });

  it('a session record in a shape the worker never writes is logged out, without a request or a crash', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    const stored = await storedSession(worker);
    const db = await openDB(worker.vaultName);
    await db.put('session', { ...stored, claims: null }, 'current');
    db.close();
    const restarted = restartWorker(worker, issuer);
    expect(await restarted.session.state()).toEqual({ authenticated: false });
    expect(await restarted.session.state()).toEqual({ authenticated: false });
    expect(tokenEndpointLog()).toEqual([]);
  });

  it('a planted transaction for an audience the config does not allow is an unknown state: no code redeemed', async () => {
    const worker = createWorker({ issuer });
    const { url } = await startLogin(worker.deps, {});
    const state = new URL(url).searchParams.get('state') as string;
    const db = await openDB(worker.vaultName);
    const transaction = await db.get('transactions', state);
    await db.put('transactions', { ...transaction, audience: 'https://evil.example/' }, state);
    db.close();
    const result = await completeLogin(worker.deps, await callbackFromTenant(issuer, url));
    expect(result.error?.code).toBe('invalid_state');
    expect(tokenEndpointLog()).toEqual([]);
  });
});

describe('the logout URL (THREATS 16)', () => {
  it('carries client_id and logout_hint (the session’s sid), never the raw ID token', async () => {
    const worker = await loggedIn();
    worker.broadcasts.length = 0;
    const claims = await worker.session.idTokenClaims();
    expect(typeof claims?.sid).toBe('string');
    const url = await worker.session.logout({});
    expect(url.searchParams.get('client_id')).toBe('sample-spa');
    expect(url.searchParams.get('logout_hint')).toBe(claims?.sid);
    expect(url.searchParams.has('id_token_hint')).toBe(false);
    expect(url.href).not.toMatch(/eyJ/);
  });
});
