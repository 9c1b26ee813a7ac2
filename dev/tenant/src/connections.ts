import { realNow } from './clock.js';
import type { TenantOptions } from './config.js';
import { isRecord } from './config-validation.js';
import type { ConnectedAccountConfig } from './connection-config.js';
import { defaultTenantOptions } from './defaults.js';
import { randomToken } from './random-token.js';

/** A connection with its defaults applied. */
export interface ResolvedConnection {
  name: string;
  displayName: string;
  scopes: string[];
}

/** One user's connected account (what `/me/v1/connected-accounts/complete` creates). */
export interface ConnectedAccount {
  /** `cac_…`, as Auth0's. */
  id: string;
  connection: string;
  userId: string;
  accessToken: string;
  scopes: string[];
  expiresIn: number;
  loginHint?: string;
  /** Tenant clock, epoch seconds. */
  createdAt: number;
}

/** A connect flow between `/connect` and `/complete`. */
export interface ConnectSession {
  authSession: string;
  ticket: string;
  userId: string;
  /** The client the My Account token was issued to (its `azp`). */
  clientId: string;
  connection: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  scopes: string[];
  /** When the ticket, and the whole session, stop working (tenant clock). */
  expiresAt: number;
  /** `pending` until the consent page is answered; `spent` after any /complete attempt. */
  stage: 'pending' | 'consented' | 'denied' | 'spent';
  connectCode?: string;
  connectCodeExpiresAt?: number;
}

/** Who may set a connected account through the admin surface, and with what. */
export interface ConnectedAccountInput extends ConnectedAccountConfig {
  connection: string;
  user_id: string;
}

function fail(path: string, expectation: string): never {
  throw new TypeError(`"${path}" must be ${expectation}`);
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, 'a non-empty string');
  return value;
}

function scopeList(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && /^\S+$/.test(s))) {
    fail(path, 'an array of scopes without spaces');
  }
  return [...new Set(value as string[])];
}

const accountKey = (connection: string, userId: string) => `${connection}\n${userId}`;

/**
 * Connections, their connected accounts and the connect flows in progress. An admin reset puts
 * the accounts back to the configured ones and forgets every flow.
 */
export class ConnectionRegistry {
  readonly #connections = new Map<string, ResolvedConnection>();
  readonly #configured: Record<string, unknown>[] = [];
  readonly #accounts = new Map<string, ConnectedAccount>();
  readonly #sessions = new Map<string, ConnectSession>();
  readonly #now: () => number;

  /** Absent from `options`, the connections of {@link defaultTenantOptions} apply. */
  constructor(options: TenantOptions, now: () => number) {
    this.#now = now;
    const list: unknown = options.connections ?? defaultTenantOptions().connections;
    if (!Array.isArray(list)) fail('options.connections', 'an array');
    list.forEach((input: unknown, index) => {
      const path = `options.connections[${index}]`;
      if (!isRecord(input)) fail(path, 'an object');
      const name = nonEmptyString(input.name, `${path}.name`);
      if (this.#connections.has(name)) fail(`${path}.name`, 'unique among the connections');
      this.#connections.set(name, {
        name,
        displayName:
          input.displayName === undefined
            ? name
            : nonEmptyString(input.displayName, `${path}.displayName`),
        scopes: input.scopes === undefined ? [] : scopeList(input.scopes, `${path}.scopes`),
      });
      if (input.accounts === undefined) return;
      if (!isRecord(input.accounts)) fail(`${path}.accounts`, 'an object keyed by user_id');
      for (const [userId, account] of Object.entries(input.accounts)) {
        const accountPath = `${path}.accounts[${JSON.stringify(userId)}]`;
        if (!isRecord(account)) fail(accountPath, 'an object');
        this.#configured.push({ ...account, connection: name, user_id: userId });
      }
    });
    // The tenant clock is not running yet while the tenant is being built.
    this.#load(realNow());
  }

  connection(name: string): ResolvedConnection | undefined {
    return this.#connections.get(name);
  }

  account(connection: string, userId: string): ConnectedAccount | undefined {
    return this.#accounts.get(accountKey(connection, userId));
  }

  accounts(filter: { connection?: string; userId?: string } = {}): ConnectedAccount[] {
    return [...this.#accounts.values()].filter(
      (account) =>
        (filter.connection === undefined || account.connection === filter.connection) &&
        (filter.userId === undefined || account.userId === filter.userId),
    );
  }

  /** Adds or replaces the account of `input.user_id` at `input.connection` (checked here). */
  setAccount(input: unknown, path = 'account', now = this.#now()): ConnectedAccount {
    if (!isRecord(input)) fail(path, 'an object');
    const connection = this.#connections.get(
      nonEmptyString(input.connection, `${path}.connection`),
    );
    if (!connection) fail(`${path}.connection`, 'the name of a configured connection');
    const expiresIn = input.expires_in ?? 3600;
    if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1) {
      fail(`${path}.expires_in`, 'an integer >= 1');
    }
    const account: ConnectedAccount = {
      id: `cac_${randomToken(16)}`,
      connection: connection.name,
      userId: nonEmptyString(input.user_id, `${path}.user_id`),
      accessToken: nonEmptyString(input.access_token, `${path}.access_token`),
      scopes:
        input.scope === undefined
          ? connection.scopes
          : [...new Set(nonEmptyString(input.scope, `${path}.scope`).split(/\s+/))].filter(
              (scope) => scope !== '',
            ),
      expiresIn,
      createdAt: now,
    };
    if (input.login_hint !== undefined) {
      account.loginHint = nonEmptyString(input.login_hint, `${path}.login_hint`);
    }
    this.#accounts.set(accountKey(account.connection, account.userId), account);
    return account;
  }

  /** Removes the matching accounts (an empty filter removes all); returns how many. */
  clearAccounts(filter: { connection?: string; userId?: string; id?: string } = {}): number {
    let cleared = 0;
    for (const [key, account] of this.#accounts) {
      if (filter.connection !== undefined && account.connection !== filter.connection) continue;
      if (filter.userId !== undefined && account.userId !== filter.userId) continue;
      if (filter.id !== undefined && account.id !== filter.id) continue;
      this.#accounts.delete(key);
      cleared += 1;
    }
    return cleared;
  }

  /** Starts a connect flow; its `auth_session` and `ticket` are fresh secrets. */
  startSession(
    input: Omit<ConnectSession, 'authSession' | 'ticket' | 'stage' | 'expiresAt'>,
    lifetimeSeconds: number,
  ): ConnectSession {
    this.#prune();
    const session: ConnectSession = {
      ...input,
      authSession: randomToken(32),
      ticket: randomToken(32),
      stage: 'pending',
      expiresAt: this.#now() + lifetimeSeconds,
    };
    this.#sessions.set(session.authSession, session);
    return session;
  }

  session(authSession: string): ConnectSession | undefined {
    return this.#sessions.get(authSession);
  }

  sessionByTicket(ticket: string): ConnectSession | undefined {
    return [...this.#sessions.values()].find((session) => session.ticket === ticket);
  }

  /** Accounts back to the configured ones; every connect flow forgotten. */
  reset(): void {
    this.#load(this.#now());
  }

  #load(now: number): void {
    this.#accounts.clear();
    this.#sessions.clear();
    for (const input of this.#configured) {
      const path = `options.connections[name=${String(input.connection)}].accounts[${JSON.stringify(input.user_id)}]`;
      this.setAccount(input, path, now);
    }
  }

  // Sessions are kept a while past expiry so that a late /complete gets "expired", not "unknown".
  #prune(): void {
    const now = this.#now();
    for (const [id, session] of this.#sessions) {
      if (session.expiresAt + 600 < now) this.#sessions.delete(id);
    }
  }
}
