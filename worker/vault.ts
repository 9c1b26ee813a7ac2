import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { ConnectedAccount } from '../src/core/my-account/complete.js';
import type { SerializedError } from '../src/rpc/errors.js';
import type { IdTokenClaims } from '../src/rpc/protocol.js';

/**
 * Everything the worker persists, in one IndexedDB database. Page script can read all of it
 * (IndexedDB is per origin, not per worker), so only what is useless off this device lives here:
 * the non-extractable DPoP key, DPoP-bound refresh tokens, nonces, pending logins (their PKCE
 * verifiers are single-use and bound to state and, with DPoP, to the key) and login outcomes.
 * Access tokens and bearer refresh tokens never do, unless the config opts in.
 */

/** How a login reaches the user: a full-page redirect, a popup, or a hidden iframe (`prompt=none`). */
export type LoginMode = 'redirect' | 'popup' | 'silent';

/** A login in progress, from `/authorize` to the callback. */
export interface LoginTransaction {
  kind: 'login';
  mode: LoginMode;
  /** Names the login to the page that waits for it (popup, silent); not a secret. */
  loginId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  audience: string | undefined;
  scope: string;
  maxAge: number | undefined;
  organization: string | undefined;
  appState: unknown;
  /** Thumbprint of the DPoP key the code is bound to (`dpop_jkt`). */
  jkt: string | undefined;
  createdAt: number;
}

/** A My Account API connect flow in progress, from `/connect` to the provider's callback. */
export interface ConnectTransaction {
  kind: 'connect';
  mode: 'redirect';
  loginId: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  connection: string;
  authSession: string;
  appState: unknown;
  jkt: string | undefined;
  createdAt: number;
}

export type Transaction = LoginTransaction | ConnectTransaction;

/** What a finished login left for the page that waits for it. */
export interface LoginResult {
  ok: boolean;
  appState?: unknown;
  error?: SerializedError;
  /** The flow's mode and id, to file the result where its page will look. */
  mode?: LoginMode | undefined;
  loginId?: string | undefined;
  /** Set when the flow was a connect flow. */
  connected?: ConnectedAccount | undefined;
  createdAt: number;
}

/** A refresh token as persisted (only when it may be: DPoP-bound, or the config opted in). */
export interface StoredRefreshToken {
  token: string;
  scope: string;
  audience: string | undefined;
  dpopBound: boolean;
}

/** The persisted part of a session. */
export interface StoredSession {
  /** `base|clientId`: a session for another tenant or client is discarded, never used. */
  configKey: string;
  /** Thumbprint of the DPoP key stored with this session; the key is used only when it matches. */
  jkt?: string | undefined;
  claims: IdTokenClaims;
  refreshTokens: Record<string, StoredRefreshToken>;
}

interface VaultSchema extends DBSchema {
  keys: { key: string; value: CryptoKeyPair };
  session: { key: string; value: StoredSession };
  transactions: { key: string; value: Transaction };
  results: { key: string; value: LoginResult };
  nonces: { key: string; value: string };
}

const STORES = ['keys', 'session', 'transactions', 'results', 'nonces'] as const;

/** Pending logins older than this are dropped: nobody finishes a login page after an hour. */
export const TRANSACTION_TTL_MS = 60 * 60 * 1000;
/** A page that does not pick its login result up within five minutes will not. */
export const RESULT_TTL_MS = 5 * 60 * 1000;
/** Bounds what a script in the page can make the worker store by starting logins in a loop. */
export const MAX_TRANSACTIONS = 20;

/** The worker's IndexedDB, with one method per atomic operation it needs. */
export class Vault {
  readonly #db: Promise<IDBPDatabase<VaultSchema>>;

  constructor(name = 'auth0-enclave') {
    this.#db = openDB<VaultSchema>(name, 1, {
      upgrade(db) {
        for (const store of STORES)
          if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
      },
    });
  }

  async getKeyPair(): Promise<CryptoKeyPair | undefined> {
    return (await this.#db).get('keys', 'dpop');
  }

  async putKeyPair(keys: CryptoKeyPair): Promise<void> {
    await (await this.#db).put('keys', keys, 'dpop');
  }

  async deleteKeyPair(): Promise<void> {
    await (await this.#db).delete('keys', 'dpop');
  }

  async getSession(): Promise<StoredSession | undefined> {
    return (await this.#db).get('session', 'current');
  }

  async putSession(session: StoredSession | undefined): Promise<void> {
    const db = await this.#db;
    if (session) await db.put('session', session, 'current');
    else await db.delete('session', 'current');
  }

  /** Stores a new transaction, pruning expired ones and refusing past {@link MAX_TRANSACTIONS}. */
  async putTransaction(transaction: Transaction, now: number): Promise<boolean> {
    const tx = (await this.#db).transaction('transactions', 'readwrite');
    let cursor = await tx.store.openCursor();
    let live = 0;
    while (cursor) {
      if (now - cursor.value.createdAt > TRANSACTION_TTL_MS) await cursor.delete();
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
  }

  /** Drops the transaction of an abandoned login (a popup closed, a silent login timed out). */
  async abandonTransaction(loginId: string): Promise<void> {
    const tx = (await this.#db).transaction('transactions', 'readwrite');
    let cursor = await tx.store.openCursor();
    while (cursor) {
      if (cursor.value.loginId === loginId) await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  /** Reads and deletes a transaction in one IndexedDB transaction: a state is redeemed once. */
  async takeTransaction(state: string, now: number): Promise<Transaction | undefined> {
    const tx = (await this.#db).transaction('transactions', 'readwrite');
    const found = await tx.store.get(state);
    if (found) await tx.store.delete(state);
    await tx.done;
    return found && now - found.createdAt <= TRANSACTION_TTL_MS ? found : undefined;
  }

  /**
   * Files a login's outcome under `slot`: the browser's id of the page that will ask for it (a
   * redirect login), `login:<loginId>` (a popup or silent login), or `'latest'`.
   */
  async putResult(slot: string, result: LoginResult): Promise<void> {
    await (await this.#db).put('results', result, slot);
  }

  /** Reads and deletes the outcome filed under `slot`: each is picked up once. */
  async takeResult(slot: string, now: number): Promise<LoginResult | undefined> {
    const tx = (await this.#db).transaction('results', 'readwrite');
    const found = await tx.store.get(slot);
    if (found) await tx.store.delete(slot);
    await tx.done;
    return found && now - found.createdAt <= RESULT_TTL_MS ? found : undefined;
  }

  async getNonces(): Promise<Map<string, string>> {
    const db = await this.#db;
    const tx = db.transaction('nonces');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    return new Map(keys.map((key, index) => [key, values[index] as string]));
  }

  async putNonce(origin: string, nonce: string): Promise<void> {
    await (await this.#db).put('nonces', nonce, origin);
  }

  /** Logout: every store emptied in one transaction. */
  async wipe(): Promise<void> {
    const tx = (await this.#db).transaction([...STORES], 'readwrite');
    await Promise.all([...STORES.map((store) => tx.objectStore(store).clear()), tx.done]);
  }
}
