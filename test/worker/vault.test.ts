import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { generateDpopCryptoKeyPair } from '../../src/core/dpop-key.js';
import {
  type LoginTransaction,
  OPEN_TIMEOUT_MS,
  type StoredSession,
  Vault,
} from '../../worker/vault.js';

// THREATS 17 and 22: the vault's database is the page's too. Page script can bump its version,
// delete or re-shape its stores, delete it, hold it open, and write any record into any store.
// The vault recovers from all of it, and reads every record back as untrusted input.

const name = () => `vault-test-${crypto.randomUUID()}`;
const NOW = 1_800_000_000_000;

const SESSION: StoredSession = {
  configKey: 'https://tenant.example/|client',
  claims: { sub: 'auth0|alice', iss: 'https://tenant.example/', name: 'Alice' } as never,
  refreshTokens: {
    'https://api/': {
      token: 'rt-1',
      scope: 'openid offline_access',
      audience: 'https://api/',
      dpopBound: true,
    },
  },
};

const TRANSACTION: LoginTransaction = {
  kind: 'login',
  mode: 'redirect',
  loginId: 'login-1',
  state: 'state-1',
  nonce: 'nonce-1',
  codeVerifier: 'verifier-1',
  redirectUri: 'https://app.example/callback',
  audience: 'https://api/',
  scope: 'openid profile',
  maxAge: undefined,
  organization: undefined,
  appState: { returnTo: '/x' },
  jkt: 'jkt-1',
  createdAt: NOW,
};

/** What page script does: open the database itself, at a version of its choice. */
async function asPage(
  db: string,
  version: number,
  upgrade: (database: IDBDatabase) => void = () => {},
): Promise<void> {
  const opened = await openDB(db, version, {
    upgrade: (database) => upgrade(database as unknown as IDBDatabase),
  });
  opened.close();
}

/** Writes a raw record into a store, as page script can. */
async function plant(db: string, store: string, key: string, value: unknown): Promise<void> {
  const opened = await openDB(db);
  await opened.put(store as never, value as never, key as never);
  opened.close();
}

describe('the vault survives what page script does to its database (THREATS 22)', () => {
  it('a page-made version bump: a restarted worker opens it and works (was: VersionError forever)', async () => {
    const db = name();
    const first = new Vault(db);
    await first.putSession(SESSION);
    // The page bumps the version while the worker runs: the worker's connection gives way at
    // once (the page's open is not blocked) …
    await asPage(db, 7);
    // … and the same worker reconnects on its next operation.
    expect(await first.getSession()).toEqual(SESSION);
    // A worker started after the bump opens the bumped database too.
    const restarted = new Vault(db);
    expect(await restarted.getSession()).toEqual(SESSION);
    await restarted.putTransaction(TRANSACTION, NOW);
    expect(await restarted.takeTransaction('state-1', NOW)).toEqual(TRANSACTION);
  });

  it('a bump that deletes stores: the vault re-creates them', async () => {
    const db = name();
    await new Vault(db).putSession(SESSION);
    await asPage(db, 3, (database) => {
      database.deleteObjectStore('session');
      database.deleteObjectStore('keys');
    });
    const vault = new Vault(db);
    expect(await vault.getSession()).toBeUndefined();
    await vault.putSession(SESSION);
    expect(await vault.getSession()).toEqual(SESSION);
    const opened = await openDB(db);
    expect([...opened.objectStoreNames].sort()).toEqual([
      'keys',
      'nonces',
      'results',
      'session',
      'transactions',
    ]);
    expect(opened.version).toBe(4);
    opened.close();
  });

  it('a store re-created with a key path or auto-increment is dropped and re-created as the worker needs it', async () => {
    const db = name();
    await new Vault(db).putSession(SESSION);
    await asPage(db, 2, (database) => {
      database.deleteObjectStore('session');
      database.createObjectStore('session', { keyPath: 'x' });
      database.deleteObjectStore('nonces');
      database.createObjectStore('nonces', { autoIncrement: true });
    });
    const vault = new Vault(db);
    await vault.putSession(SESSION);
    await vault.putNonce('https://tenant.example', 'n-1');
    expect(await vault.getSession()).toEqual(SESSION);
    expect(await vault.getNonces()).toEqual(new Map([['https://tenant.example', 'n-1']]));
  });

  it('a database created by the page without any store (at any version)', async () => {
    const db = name();
    await asPage(db, 40);
    const vault = new Vault(db);
    await vault.putSession(SESSION);
    expect(await vault.getSession()).toEqual(SESSION);
  });

  it('a deleted database: the delete is not blocked by the worker, and the worker starts afresh', async () => {
    const db = name();
    const vault = new Vault(db);
    await vault.putSession(SESSION);
    const deleted = new Promise<string>((resolve) => {
      const request = indexedDB.deleteDatabase(db);
      request.onsuccess = () => resolve('deleted');
      request.onblocked = () => resolve('blocked');
    });
    expect(await deleted).toBe('deleted');
    expect(await vault.getSession()).toBeUndefined();
    await vault.putSession(SESSION);
    expect(await vault.getSession()).toEqual(SESSION);
  });

  it('a page connection that blocks the repair: a typed TimeoutError, then recovery once it closes', async () => {
    const db = name();
    // The page creates the database without stores and keeps its connection open, ignoring
    // versionchange: the worker's repair (an upgrade) is blocked.
    const held = await openDB(db, 5);
    const vault = new Vault(db);
    const started = Date.now();
    await expect(vault.getSession()).rejects.toMatchObject({
      name: 'TimeoutError',
      code: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(OPEN_TIMEOUT_MS * 3 + 1000);
    held.close();
    // Not wedged: the next operation opens and repairs.
    await vault.putSession(SESSION);
    expect(await vault.getSession()).toEqual(SESSION);
  }, 20_000);
});

describe('every record read back is untrusted input (THREATS 17)', () => {
  it.each([
    ['not an object', 'x'],
    ['claims missing', { ...SESSION, claims: undefined }],
    ['claims null', { ...SESSION, claims: null }],
    ['claims without sub', { ...SESSION, claims: { iss: 'https://tenant.example/' } }],
    ['claims with a Date', { ...SESSION, claims: { ...SESSION.claims, at: new Date() } }],
    ['claims too large', { ...SESSION, claims: { ...SESSION.claims, x: 'a'.repeat(40_000) } }],
    ['refreshTokens a string', { ...SESSION, refreshTokens: 'x' }],
    ['no refresh token', { ...SESSION, refreshTokens: {} }],
    [
      'a token that is not a string',
      {
        ...SESSION,
        refreshTokens: { 'https://api/': { ...SESSION.refreshTokens['https://api/'], token: 5 } },
      },
    ],
    [
      'a token filed under another audience',
      {
        ...SESSION,
        refreshTokens: { 'https://other/': SESSION.refreshTokens['https://api/'] },
      },
    ],
    [
      'dpopBound not a boolean',
      {
        ...SESSION,
        refreshTokens: {
          'https://api/': { ...SESSION.refreshTokens['https://api/'], dpopBound: 'yes' },
        },
      },
    ],
    ['configKey missing', { ...SESSION, configKey: undefined }],
  ])('a session with %s reads as none, and is deleted', async (_label, record) => {
    const db = name();
    const vault = new Vault(db);
    await vault.putSession(SESSION);
    await plant(db, 'session', 'current', record);
    expect(await vault.getSession()).toBeUndefined();
    const opened = await openDB(db);
    expect(await opened.count('session')).toBe(0);
    opened.close();
  });

  it.each([
    ['filed under another state', 'other-state', TRANSACTION],
    ['an unknown kind', 'state-1', { ...TRANSACTION, kind: 'evil' }],
    ['a verifier that is an object', 'state-1', { ...TRANSACTION, codeVerifier: { a: 1 } }],
    ['an unknown mode', 'state-1', { ...TRANSACTION, mode: 'web_message' }],
    ['createdAt not a number', 'state-1', { ...TRANSACTION, createdAt: '0' }],
    ['an appState that is not JSON', 'state-1', { ...TRANSACTION, appState: new Map() }],
    ['a maxAge that is not a number', 'state-1', { ...TRANSACTION, maxAge: '0' }],
  ])('a transaction %s is an unknown state, and is deleted', async (_label, key, record) => {
    const db = name();
    const vault = new Vault(db);
    await plant(db, 'transactions', key, record);
    expect(await vault.takeTransaction(key, NOW)).toBeUndefined();
    const opened = await openDB(db);
    expect(await opened.count('transactions')).toBe(0);
    opened.close();
  });

  it('malformed transactions are pruned and do not count towards the bound', async () => {
    const db = name();
    const vault = new Vault(db);
    for (let i = 0; i < 30; i++) await plant(db, 'transactions', `junk-${i}`, { kind: 'login' });
    expect(await vault.putTransaction(TRANSACTION, NOW)).toBe(true);
    const opened = await openDB(db);
    expect(await opened.getAllKeys('transactions')).toEqual(['state-1']);
    opened.close();
  });

  it('a key pair in a shape the worker never writes reads as none', async () => {
    const db = name();
    const vault = new Vault(db);
    const good = await generateDpopCryptoKeyPair();
    await vault.putKeyPair(good);
    expect(await vault.getKeyPair()).toBeDefined();
    const extractable = (await crypto.subtle.generateKey(
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    for (const planted of [
      'a string',
      { privateKey: 'x', publicKey: 'y' },
      { privateKey: good.publicKey, publicKey: good.publicKey },
      extractable,
      p384,
    ]) {
      await plant(db, 'keys', 'dpop', planted);
      expect(await vault.getKeyPair()).toBeUndefined();
    }
  });

  it('nonces that are not nonces, or not filed under an origin, are skipped', async () => {
    const db = name();
    const vault = new Vault(db);
    await vault.putNonce('https://tenant.example', 'good-nonce');
    await plant(db, 'nonces', 'https://api.example', 'has "quotes"');
    await plant(db, 'nonces', 'https://api2.example', { nonce: 'x' });
    await plant(db, 'nonces', 'not an origin', 'n');
    await plant(db, 'nonces', 'https://api3.example/path', 'n');
    expect(await vault.getNonces()).toEqual(new Map([['https://tenant.example', 'good-nonce']]));
  });

  it('a login result in a shape the worker never writes reads as none', async () => {
    const db = name();
    const vault = new Vault(db);
    await plant(db, 'results', 'tab', { ok: 'yes', createdAt: NOW });
    expect(await vault.takeResult('tab', NOW)).toBeUndefined();
    await plant(db, 'results', 'tab', { ok: false, createdAt: NOW, error: { name: 5 } });
    expect(await vault.takeResult('tab', NOW)).toBeUndefined();
    await vault.putResult('tab', { ok: true, appState: { a: 1 }, createdAt: NOW });
    expect(await vault.takeResult('tab', NOW)).toEqual({
      ok: true,
      appState: { a: 1 },
      createdAt: NOW,
    });
  });
});
