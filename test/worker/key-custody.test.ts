import 'fake-indexeddb/auto';
import { useTenant } from 'auth0-enclave-tenant/testing';
import { openDB } from 'idb';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDpopKeyPair } from '../../src/core/dpop-key.js';
import {
  InvalidConfigurationError,
  LoginRequiredError,
  ResponseError,
} from '../../src/core/errors.js';
import type { TokenResponse } from '../../src/core/token-response.js';
import { accessTokenJkt, checkBinding } from '../../worker/key-binding.js';
import {
  createWorker,
  loginThroughWorker,
  loginTokenKey,
  readVault,
  restartWorker,
  type WorkerHarness,
} from '../helpers/worker-harness.js';

// Issue 11 items 1–2, THREATS 17/18 in Node against the real tenant: a new session never uses a
// key found in storage; a continued one only the key stored with it and vouched for by the server;
// the memory custody mode stores neither key nor refresh token and reads nothing back.

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

/** A P-256 key pair "page script" knows: generated extractable, re-imported non-extractable. */
async function plantedKeyPair(): Promise<{ keys: CryptoKeyPair; thumbprint: string }> {
  const known = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const privateJwk = await crypto.subtle.exportKey('jwk', known.privateKey);
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    privateJwk,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const publicJwk = await exportJWK(known.publicKey);
  return {
    keys: { privateKey, publicKey: known.publicKey },
    thumbprint: await calculateJwkThumbprint(publicJwk, 'sha256'),
  };
}

/** Writes into the vault's key store what page script would (IndexedDB is the origin's). */
async function plant(worker: WorkerHarness, keys: CryptoKeyPair): Promise<void> {
  const db = await openDB(worker.vaultName);
  await db.put('keys', keys, 'dpop');
  db.close();
}

function tokenRequests(grantType: string) {
  return server.tenant.admin
    .requests({ path: '/oauth/token' })
    .filter((entry) => entry.grantType === grantType);
}

describe('THREATS 17: a planted key is never used', () => {
  it('a login after a key was planted while logged out binds the session to a key of its own', async () => {
    const worker = createWorker({ issuer });
    await worker.session.load();
    const planted = await plantedKeyPair();
    await plant(worker, planted.keys);

    const result = await loginThroughWorker(worker, issuer);
    expect(result.ok).toBe(true);
    const own = worker.session.key?.thumbprint;
    expect(own).toBeDefined();
    expect(own).not.toBe(planted.thumbprint);
    // The server's record: the code redemption's proof key and the refresh family's binding.
    // Every proof of the redemption (a use_dpop_nonce retry included) was signed by the new key.
    expect(new Set(tokenRequests('authorization_code').map((entry) => entry.dpopJkt))).toEqual(
      new Set([own]),
    );
    const families = server.tenant.admin.tokens().refreshTokens;
    expect(families.map((family) => family.jkt)).toEqual([own]);
    // And the planted key was overwritten in storage.
    const stored = (await readVault(worker.vaultName)).keys as CryptoKeyPair[];
    expect(stored).toHaveLength(1);
    const storedJkt = await calculateJwkThumbprint(
      await exportJWK((stored[0] as CryptoKeyPair).publicKey),
      'sha256',
    );
    expect(storedJkt).toBe(own);
  });

  it('a restarted worker does not continue a session whose stored key was swapped', async () => {
    const worker = createWorker({ issuer });
    expect((await loginThroughWorker(worker, issuer)).ok).toBe(true);
    const planted = await plantedKeyPair();
    await plant(worker, planted.keys);

    const restarted = restartWorker(worker, issuer);
    expect(await restarted.session.state()).toEqual({ authenticated: false });
    await expect(restarted.session.getAccessToken(loginTokenKey(restarted))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    // Nothing was signed with the planted key: no refresh reached the server.
    expect(tokenRequests('refresh_token')).toHaveLength(0);
  });

  it('a restarted worker continues its own session with the stored key the server vouches for', async () => {
    const worker = createWorker({ issuer });
    expect((await loginThroughWorker(worker, issuer)).ok).toBe(true);
    const own = worker.session.key?.thumbprint;
    const restarted = restartWorker(worker, issuer);
    const token = await restarted.session.getAccessToken(loginTokenKey(restarted));
    expect(token.tokenType).toBe('DPoP');
    expect(accessTokenJkt(token.accessToken)).toBe(own);
    expect(new Set(tokenRequests('refresh_token').map((entry) => entry.dpopJkt))).toEqual(
      new Set([own]),
    );
  });
});

describe('checkBinding: what the server vouched for against the key the worker signed with', () => {
  const tokens = (tokenType: string, accessToken = 'opaque'): TokenResponse =>
    ({ tokenType, accessToken, expiresAt: 0 }) as unknown as TokenResponse;
  const jwt = (payload: object) =>
    `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

  it('accepts a DPoP answer whose cnf.jkt is the key, or an opaque DPoP token', async () => {
    const key = await generateDpopKeyPair();
    const bound = tokens('DPoP', jwt({ cnf: { jkt: key.thumbprint } }));
    expect(checkBinding(bound, key, { expectBound: true })).toBe(true);
    expect(checkBinding(tokens('DPoP'), key, { expectBound: true })).toBe(true);
  });

  it('refuses an access token bound to another key', async () => {
    const key = await generateDpopKeyPair();
    const other = tokens('DPoP', jwt({ cnf: { jkt: 'someone-elses-thumbprint' } }));
    expect(() => checkBinding(other, key, { expectBound: false })).toThrow(ResponseError);
  });

  it('refuses a bearer answer to a refresh of a DPoP-bound family, accepts it for a new session', async () => {
    const key = await generateDpopKeyPair();
    expect(() => checkBinding(tokens('Bearer'), key, { expectBound: true })).toThrow(ResponseError);
    expect(checkBinding(tokens('Bearer'), key, { expectBound: false })).toBe(false);
  });
});

describe('the memory custody mode', () => {
  it('stores neither the key nor the refresh token, and a restarted worker has no session', async () => {
    const worker = createWorker({ issuer, config: { persistence: 'memory' } });
    expect((await loginThroughWorker(worker, issuer)).ok).toBe(true);
    const token = await worker.session.getAccessToken(loginTokenKey(worker), { force: true });
    expect(token.tokenType).toBe('DPoP');
    const vault = await readVault(worker.vaultName);
    expect(vault.keys).toEqual([]);
    expect(vault.session).toEqual([]);

    const restarted = restartWorker(worker, issuer);
    expect(await restarted.session.state()).toEqual({ authenticated: false });
    await expect(restarted.session.getAccessToken(loginTokenKey(restarted))).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
  });

  it('reads nothing back: a session and key written by a persisted-mode worker are ignored', async () => {
    const persisted = createWorker({ issuer });
    expect((await loginThroughWorker(persisted, issuer)).ok).toBe(true);
    const memory = createWorker({
      issuer,
      config: { persistence: 'memory' },
      vaultName: persisted.vaultName,
    });
    expect(await memory.session.state()).toEqual({ authenticated: false });
    expect(memory.session.key).toBeUndefined();
    // And removed: switching to memory custody leaves no key or refresh token readable.
    const vault = await readVault(persisted.vaultName);
    expect(vault.keys).toEqual([]);
    expect(vault.session).toEqual([]);
  });

  it('refuses a config that asks for memory custody and persisted refresh tokens', () => {
    expect(() =>
      createWorker({
        issuer,
        config: { persistence: 'memory', refreshTokenStorage: 'indexeddb' },
      }),
    ).toThrow(InvalidConfigurationError);
    expect(() => createWorker({ issuer, config: { persistence: 'disk' as 'memory' } })).toThrow(
      InvalidConfigurationError,
    );
  });
});
