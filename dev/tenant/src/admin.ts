import type { ClientConfig, UserConfig } from './config.js';
import { isRecord, parseUser, resolveClient } from './config-validation.js';
import type { ConnectedAccountInput } from './connections.js';
import type { TenantRuntime } from './context.js';
import type { FaultConfig } from './faults.js';
import { createMfaAdmin, type MfaAdmin } from './mfa/admin.js';
import type { RequestLogEntry } from './request-log.js';

/** `{ advance: seconds }` moves the tenant clock; `{ reset: true }` puts it back to real time. */
export interface ClockChange {
  advance?: number;
  reset?: boolean;
}

/** What the tenant has issued, without any token string. */
export interface TokenSnapshot {
  refreshTokens: {
    familyId: string;
    sub: string;
    clientId: string;
    jkt?: string;
    status: 'active' | 'rotated' | 'revoked';
  }[];
  accessTokens: {
    jti: string;
    sub: string;
    aud: string | string[];
    jkt?: string;
    status: 'active' | 'revoked';
  }[];
}

/** A connected account as the admin surface shows it (never its token). */
export interface ConnectedAccountSnapshot {
  id: string;
  connection: string;
  user_id: string;
  scopes: string[];
  expires_in: number;
  login_hint?: string;
}

/**
 * The test surface, in process. `/__admin/*` (with `admin: true`) exposes exactly these
 * operations over HTTP. Inputs are checked as strictly as the HTTP ones: a mistake throws a
 * TypeError naming the field.
 *
 * @example
 * ```ts
 * tenant.admin.clock({ advance: 3600 }); // access tokens issued now have expired
 * tenant.admin.addFault({ path: '/oauth/token', status: 503, times: 1 });
 * ```
 */
export interface TenantAdmin extends MfaAdmin {
  /** Clock, faults, request log, sessions, codes and tokens back to empty; keys and config stay. */
  reset(): void;
  clock(change: ClockChange): { now: number };
  /** Adds or replaces (by user_id) a user. */
  upsertUser(user: UserConfig): void;
  /** Adds or replaces (by clientId) a client. */
  upsertClient(client: ClientConfig): void;
  addFault(fault: FaultConfig): { id: string };
  clearFaults(): { cleared: number };
  requests(filter?: { path?: string }): RequestLogEntry[];
  clearRequests(): void;
  tokens(): TokenSnapshot;
  /** Revokes every refresh-token family matching the filter (an empty filter matches all). */
  revokeRefreshTokens(filter?: { sub?: string; clientId?: string }): { revoked: number };
  /** Ends every login session: `prompt=none` then answers `login_required`. */
  endSessions(): { ended: number };
  /** Rotates the token endpoint's DPoP nonce; returns the new one. */
  rotateDpopNonce(): { nonce: string };
  /** Adds or replaces (by connection and user_id) the account Token Vault serves. */
  setConnectedAccount(account: ConnectedAccountInput): { id: string };
  /** Removes matching connected accounts (an empty filter removes all). */
  clearConnectedAccounts(filter?: { connection?: string; user_id?: string }): { cleared: number };
  connectedAccounts(): ConnectedAccountSnapshot[];
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`"${name}" must be a non-empty string`);
  }
  return value;
}

/** Builds the admin operations over a tenant's runtime. */
export function createTenantAdmin(runtime: TenantRuntime): TenantAdmin {
  const { store, clock } = runtime;
  return {
    ...createMfaAdmin(runtime),
    reset() {
      clock.reset();
      runtime.faults.clear();
      runtime.requestLog.clear();
      store.reset();
      runtime.connections.reset();
    },
    clock(change) {
      const { advance, reset } = isRecord(change) ? change : {};
      if (reset === true) clock.reset();
      else if (typeof advance === 'number') clock.advance(advance);
      else throw new TypeError('"clock" must be { "advance": seconds } or { "reset": true }');
      return { now: clock.now() };
    },
    upsertUser(user) {
      runtime.directory.upsertUser(parseUser(user));
    },
    upsertClient(client) {
      runtime.directory.upsertClient(resolveClient(client));
    },
    addFault(fault) {
      return runtime.faults.add(fault);
    },
    clearFaults() {
      return { cleared: runtime.faults.clear() };
    },
    requests(filter = {}) {
      const path = optionalString(filter.path, 'path');
      return runtime.requestLog.list(path === undefined ? {} : { path });
    },
    clearRequests() {
      runtime.requestLog.clear();
    },
    tokens() {
      const refreshTokens: TokenSnapshot['refreshTokens'] = [];
      for (const record of store.refreshTokens.values()) {
        const family = store.families.get(record.familyId);
        if (!family) continue;
        refreshTokens.push({
          familyId: family.id,
          sub: family.userId,
          clientId: family.clientId,
          ...(family.jkt === undefined ? {} : { jkt: family.jkt }),
          status: record.status,
        });
      }
      const accessTokens = [...store.accessTokens.values()].map((record) => ({
        jti: record.jti,
        sub: record.sub,
        aud: record.aud,
        ...(record.jkt === undefined ? {} : { jkt: record.jkt }),
        status: record.revoked ? ('revoked' as const) : ('active' as const),
      }));
      return { refreshTokens, accessTokens };
    },
    revokeRefreshTokens(filter = {}) {
      if (!isRecord(filter)) throw new TypeError('the filter must be an object');
      const sub = optionalString(filter.sub, 'sub');
      const clientId = optionalString(filter.clientId, 'clientId');
      const revoked = store.revokeFamilies({
        ...(sub === undefined ? {} : { sub }),
        ...(clientId === undefined ? {} : { clientId }),
      });
      return { revoked };
    },
    endSessions() {
      const ended = store.sessions.size;
      store.sessions.clear();
      return { ended };
    },
    rotateDpopNonce() {
      return { nonce: runtime.tokenNonces.rotate() };
    },
    setConnectedAccount(account) {
      return { id: runtime.connections.setAccount(account).id };
    },
    clearConnectedAccounts(filter = {}) {
      if (!isRecord(filter)) throw new TypeError('the filter must be an object');
      const connection = optionalString(filter.connection, 'connection');
      const userId = optionalString(filter.user_id, 'user_id');
      const cleared = runtime.connections.clearAccounts({
        ...(connection === undefined ? {} : { connection }),
        ...(userId === undefined ? {} : { userId }),
      });
      return { cleared };
    },
    connectedAccounts() {
      return runtime.connections.accounts().map((account) => ({
        id: account.id,
        connection: account.connection,
        user_id: account.userId,
        scopes: account.scopes,
        expires_in: account.expiresIn,
        ...(account.loginHint === undefined ? {} : { login_hint: account.loginHint }),
      }));
    },
  };
}
