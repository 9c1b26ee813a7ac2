import type { AuthorizationRequest } from './authorization-request.js';
import { MfaState } from './mfa/state.js';
import { PasskeyState } from './passkey/state.js';
import { randomToken } from './random-token.js';

/** A login session on the tenant (what the session cookie points at). */
export interface Session {
  /** The cookie value: secret, never put in a token. */
  id: string;
  /** The public session id that ID tokens and logout tokens carry as `sid`. */
  sid: string;
  userId: string;
  authTime: number;
  expiresAt: number;
  /** Clients that received a code in this session (back-channel logout goes to them). */
  clientIds: Set<string>;
}

/** An /authorize request waiting for the user to submit the login form. */
export interface LoginTransaction {
  id: string;
  request: AuthorizationRequest;
  expiresAt: number;
}

/** What the tenant remembers about an authorization code until it is redeemed or expires. */
export interface AuthorizationCode {
  request: AuthorizationRequest;
  userId: string;
  sid: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
  /** What redeeming it produced, so that a replay can revoke exactly that. */
  issued: { accessTokenJtis: string[]; refreshFamilyIds: string[] };
}

/** Everything a refresh token stands for. Rotation creates new tokens in the same family. */
export interface RefreshFamily {
  id: string;
  userId: string;
  clientId: string;
  /** Set for public clients that used DPoP: every refresh must prove this key. */
  jkt?: string;
  scope: string[];
  audience?: string;
  organizationId?: string;
  sid?: string;
  /** Token exchange with an actor token: the `act` claim every refreshed access token keeps. */
  act?: Record<string, unknown>;
  /** Set when the family began with a verified second factor (`['mfa']`): refreshes keep it. */
  amr?: string[];
  authTime: number;
  expiresAt: number;
  revoked: boolean;
}

/** One refresh token string's state. */
export interface RefreshTokenRecord {
  familyId: string;
  status: 'active' | 'rotated' | 'revoked';
  rotatedAt?: number;
}

/** An issued access token (the JWT itself is never stored). */
export interface AccessTokenRecord {
  jti: string;
  sub: string;
  aud: string | string[];
  clientId: string;
  jkt?: string;
  familyId?: string;
  expiresAt: number;
  revoked: boolean;
}

/** The tenant's runtime state. An admin reset empties all of it; configuration lives elsewhere. */
export class TenantStore {
  readonly sessions = new Map<string, Session>();
  readonly transactions = new Map<string, LoginTransaction>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly families = new Map<string, RefreshFamily>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  /** mfa_tokens, enrollments, out-of-band requests, the outbox. */
  readonly mfa = new MfaState();
  /** Passkey ceremonies (auth_session) and registered credentials. */
  readonly passkeys = new PasskeyState();

  createSession(userId: string, now: number, lifetimeSeconds: number): Session {
    const session: Session = {
      id: randomToken(),
      sid: randomToken(16),
      userId,
      authTime: now,
      expiresAt: now + lifetimeSeconds,
      clientIds: new Set(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session behind a cookie value; an expired one is dropped on sight. */
  findSession(cookie: string | undefined, now: number): Session | undefined {
    if (cookie === undefined) return undefined;
    const session = this.sessions.get(cookie);
    if (session && session.expiresAt <= now) {
      this.sessions.delete(cookie);
      return undefined;
    }
    return session;
  }

  /** Issues a new refresh token string in `familyId`. */
  addRefreshToken(familyId: string): string {
    const token = randomToken();
    this.refreshTokens.set(token, { familyId, status: 'active' });
    return token;
  }

  /** Revokes a family: its refresh tokens and the access tokens issued from it. */
  revokeFamily(familyId: string): void {
    const family = this.families.get(familyId);
    if (!family) return;
    family.revoked = true;
    for (const record of this.refreshTokens.values()) {
      if (record.familyId === familyId) record.status = 'revoked';
    }
    for (const record of this.accessTokens.values()) {
      if (record.familyId === familyId) record.revoked = true;
    }
  }

  /** Revokes every family matching the filter (an empty filter matches all). */
  revokeFamilies(filter: { sub?: string; clientId?: string }): number {
    let count = 0;
    for (const family of this.families.values()) {
      if (family.revoked) continue;
      if (filter.sub !== undefined && family.userId !== filter.sub) continue;
      if (filter.clientId !== undefined && family.clientId !== filter.clientId) continue;
      this.revokeFamily(family.id);
      count += 1;
    }
    return count;
  }

  /** Drops codes and login transactions nobody can use any more. */
  prune(now: number): void {
    for (const [code, record] of this.codes) {
      // Used codes are kept a while past expiry so that a replay is still recognised as one.
      if (record.expiresAt + 600 < now) this.codes.delete(code);
    }
    for (const [id, transaction] of this.transactions) {
      if (transaction.expiresAt < now) this.transactions.delete(id);
    }
  }

  reset(): void {
    this.sessions.clear();
    this.transactions.clear();
    this.codes.clear();
    this.families.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.mfa.reset();
    this.passkeys.reset();
  }
}
