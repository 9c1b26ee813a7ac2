import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { TimeoutError } from '../src/core/errors.js';
import {
  parseKeyPair,
  parseLoginResult,
  parseNonce,
  parseStoredSession,
  parseTransaction,
} from './vault-records.js';
import type { LoginResult, StoredSession, Transaction } from './vault-types.js';

export type {
  ConnectTransaction,
  LoginMode,
  LoginResult,
  LoginTransaction,
  StoredRefreshToken,
  StoredSession,
  Transaction,
} from './vault-types.js';

/**
 * Everything the worker persists, in one IndexedDB database. Page script can read all of it
 * (IndexedDB is per origin, not per worker), so only what is useless off this device lives here:
 * the non-extractable DPoP key, DPoP-bound refresh tokens, nonces, pending logins (their PKCE
 * verifiers are single-use and bound to state and, with DPoP, to the key) and login outcomes.
 * Access tokens and bearer refresh tokens never do, unless the config opts in.
 */

interface VaultSchema extends DBSchema {
  keys: { key: string; value: unknown };
  session: { key: string; value: unknown };
  transactions: { key: string; value: unknown };
  results: { key: string; value: unknown };
  nonces: { key: string; value: unknown };
}

type VaultDb = IDBPDatabase<VaultSchema>;

const STORES = ['keys', 'session', 'transactions', 'results', 'nonces'] as const;

/** Pending logins older than this are dropped: nobody finishes a login page after an hour. */
export const TRANSACTION_TTL_MS = 60 * 60 * 1000;
/** A page that does not pick its login result up within five minutes will not. */
export const RESULT_TTL_MS = 5 * 60 * 1000;
/** Bounds what a script in the page can make the worker store by starting logins in a loop. */
export const MAX_TRANSACTIONS = 20;
/**
 * How long opening the database may wait on a connection that blocks it (a page holding it open
 * at an older version and ignoring `versionchange`). Then the operation fails typed, and the
 * next one tries again: a blocked database delays the worker, it never wedges it.
 */
export const OPEN_TIMEOUT_MS = 3000;

/**
 * The worker's IndexedDB, with one method per atomic operation it needs.
 *
 * The database is the page's too (THREATS 17, 22): every record read back is validated
 * (`vault-records.ts`) and a bad one is treated as absent, and the connection survives what page
 * script can do to it — a version bump (`indexedDB.open(name, higher)`), deleted or re-created
 * stores, a deleted database, a connection that blocks an upgrade. The worker opens whatever
 * version exists, repairs missing or re-shaped stores with an upgrade of its own, closes its
 * connection the moment another one asks for a version change (so the page's upgrade or delete
 * is never blocked by the worker), and reconnects on the next operation. Before this, one
 * `indexedDB.open('auth0-enclave', 2)` from the page made every later open at version 1 fail
 * with a VersionError: no login worked again until site data was cleared.
 */
export class Vault {
  readonly #name: string;
  #db: Promise<VaultDb> | undefined;

  constructor(name = 'auth0-enclave') {
    this.#name = name;
    // Opened at once, as the worker starts: the first request should not wait for it. A failure
    // here is retried by the first operation.
    void this.#connect().catch(() => {});
  }

  /** The open connection, (re)opened and repaired when there is none. */
  #connect(): Promise<VaultDb> {
    if (!this.#db) {
      const opening = openVault(this.#name, () => {
        if (this.#db === opening) this.#db = undefined;
      });
      this.#db = opening;
      opening.catch(() => {
        if (this.#db === opening) this.#db = undefined;
      });
    }
    return this.#db;
  }

  /**
   * Runs one operation; when the connection was closed or the stores changed under it (page
   * script bumped the version or deleted the database meanwhile), reconnects and runs it once
   * more.
   */
  async #run<T>(operation: (db: VaultDb) => Promise<T>): Promise<T> {
    const db = await this.#connect();
    try {
      return await operation(db);
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name !== 'InvalidStateError' && name !== 'NotFoundError' && name !== 'AbortError')
        throw error;
      if (this.#db && (await this.#db.catch(() => undefined)) === db) {
        this.#db = undefined;
        db.close();
      }
      return operation(await this.#connect());
    }
  }

  async getKeyPair(): Promise<CryptoKeyPair | undefined> {
    return parseKeyPair(await this.#run((db) => db.get('keys', 'dpop')));
  }

  async putKeyPair(keys: CryptoKeyPair): Promise<void> {
    await this.#run((db) => db.put('keys', keys, 'dpop'));
  }

  /** Removes the stored DPoP key (memory custody: nothing of a persisted session stays readable). */
  async deleteKeyPair(): Promise<void> {
    await this.#run((db) => db.delete('keys', 'dpop'));
  }

  /** The persisted session; a malformed one is deleted and reads as none (logged out). */
  async getSession(): Promise<StoredSession | undefined> {
    const raw = await this.#run((db) => db.get('session', 'current'));
    if (raw === undefined) return undefined;
    const session = parseStoredSession(raw);
    if (!session) await this.putSession(undefined);
    return session;
  }

  async putSession(session: StoredSession | undefined): Promise<void> {
    await this.#run(async (db) => {
      if (session) await db.put('session', session, 'current');
      else await db.delete('session', 'current');
    });
  }

  /**
   * Stores a new transaction, pruning expired and malformed ones and refusing past
   * {@link MAX_TRANSACTIONS}.
   */
  async putTransaction(transaction: Transaction, now: number): Promise<boolean> {
    return this.#run(async (db) => {
      const tx = db.transaction('transactions', 'readwrite');
      let cursor = await tx.store.openCursor();
      let live = 0;
      while (cursor) {
        const found =
          typeof cursor.key === 'string' ? parseTransaction(cursor.key, cursor.value) : undefined;
        if (!found || now - found.createdAt > TRANSACTION_TTL_MS) await cursor.delete();
        else live++;
        cursor = await cursor.continue();
      }
      if (live >= MAX_TRANSACTIONS) {
        await tx.done;
        return false;
      }
      await tx.store.put(transaction, transaction.state);
      await tx.done;
      return true;
    });
  }

  /** Drops the transaction of an abandoned login (a popup closed, a silent login timed out). */
  async abandonTransaction(loginId: string): Promise<void> {
    await this.#run(async (db) => {
      const tx = db.transaction('transactions', 'readwrite');
      let cursor = await tx.store.openCursor();
      while (cursor) {
        if ((cursor.value as { loginId?: unknown } | null)?.loginId === loginId)
          await cursor.delete();
        cursor = await cursor.continue();
      }
      await tx.done;
    });
  }

  /**
   * Reads and deletes a transaction in one IndexedDB transaction: a state is redeemed once. A
   * malformed or expired one is deleted too, and reads as unknown.
   */
  async takeTransaction(state: string, now: number): Promise<Transaction | undefined> {
    const raw = await this.#run(async (db) => {
      const tx = db.transaction('transactions', 'readwrite');
      const found = await tx.store.get(state);
      if (found !== undefined) await tx.store.delete(state);
      await tx.done;
      return found;
    });
    const found = raw === undefined ? undefined : parseTransaction(state, raw);
    return found && now - found.createdAt <= TRANSACTION_TTL_MS ? found : undefined;
  }

  async putResult(clientId: string, result: LoginResult): Promise<void> {
    await this.#run((db) => db.put('results', result, clientId));
  }

  async takeResult(clientId: string, now: number): Promise<LoginResult | undefined> {
    const raw = await this.#run(async (db) => {
      const tx = db.transaction('results', 'readwrite');
      const found = await tx.store.get(clientId);
      if (found !== undefined) await tx.store.delete(clientId);
      await tx.done;
      return found;
    });
    const found = raw === undefined ? undefined : parseLoginResult(raw);
    return found && now - found.createdAt <= RESULT_TTL_MS ? found : undefined;
  }

  /** The persisted nonces; malformed entries are skipped (a nonce is only a freshness hint). */
  async getNonces(): Promise<Map<string, string>> {
    const [keys, values] = await this.#run(async (db) => {
      const tx = db.transaction('nonces');
      return Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    });
    const nonces = new Map<string, string>();
    for (const [index, key] of keys.entries()) {
      const entry = parseNonce(key, values[index]);
      if (entry && nonces.size < 50) nonces.set(...entry);
    }
    return nonces;
  }

  async putNonce(origin: string, nonce: string): Promise<void> {
    await this.#run((db) => db.put('nonces', nonce, origin));
  }

  /** Logout: every store emptied in one transaction. */
  async wipe(): Promise<void> {
    await this.#run(async (db) => {
      const tx = db.transaction([...STORES], 'readwrite');
      await Promise.all([...STORES.map((store) => tx.objectStore(store).clear()), tx.done]);
    });
  }
}

/** True when every store exists with the shape the worker uses (out-of-line keys). */
function intact(db: VaultDb): boolean {
  if (!STORES.every((store) => db.objectStoreNames.contains(store))) return false;
  const tx = db.transaction([...STORES], 'readonly');
  return STORES.every((store) => {
    const objectStore = tx.objectStore(store);
    return objectStore.keyPath === null && !objectStore.autoIncrement;
  });
}

/**
 * Opens the database at whatever version it has (a version the page bumped included), and when
 * a store is missing or re-shaped, upgrades it to the next version and repairs it there: missing
 * stores are created, re-shaped ones (a key path, auto-increment) dropped and re-created. A race
 * with another upgrade is retried a few times.
 */
async function openVault(name: string, onClosed: () => void): Promise<VaultDb> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    let version: number | undefined;
    try {
      const existing = await openWithin(name, undefined, onClosed);
      if (intact(existing)) return existing;
      version = existing.version + 1;
      existing.close();
      const repaired = await openWithin(name, version, onClosed);
      if (intact(repaired)) return repaired;
      repaired.close();
    } catch (error) {
      // VersionError: someone else upgraded between our two opens. Anything else is final.
      if ((error as { name?: unknown } | null)?.name !== 'VersionError') throw error;
      lastError = error;
    }
  }
  throw lastError ?? new Error('The worker could not repair its IndexedDB database.');
}

/** `openDB` with the repairing upgrade, the close-on-versionchange rule and a time limit. */
function openWithin(
  name: string,
  version: number | undefined,
  onClosed: () => void,
): Promise<VaultDb> {
  let timedOut = false;
  const opening = openDB<VaultSchema>(name, version, {
    upgrade(db, _oldVersion, _newVersion, transaction) {
      for (const store of STORES) {
        if (db.objectStoreNames.contains(store)) {
          const existing = transaction.objectStore(store);
          if (existing.keyPath === null && !existing.autoIncrement) continue;
          db.deleteObjectStore(store);
        }
        db.createObjectStore(store);
      }
    },
    // Another connection (a page's upgrade or delete) waits for this one: give way at once and
    // reconnect on the next operation.
    blocking(_current, _blocked, event) {
      (event.target as IDBDatabase).close();
      onClosed();
    },
    terminated: onClosed,
  });
  return new Promise<VaultDb>((resolve, reject) => {
    const timer = setTimeout(() => {
      timedOut = true;
      reject(
        new TimeoutError({
          message:
            'The worker’s storage is blocked by another open connection (page script holding the database open at an older version).',
        }),
      );
    }, OPEN_TIMEOUT_MS);
    opening.then(
      (db) => {
        clearTimeout(timer);
        if (timedOut) db.close();
        else resolve(db);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
