/** The out-of-band channels of Auth0's MFA API (`auth0` is Guardian push). */
export const OOB_CHANNELS = ['sms', 'voice', 'email', 'auth0'] as const;
/** An out-of-band channel of Auth0's MFA API: `sms`, `voice`, `email`, or `auth0` (Guardian push). */
export type OobChannel = (typeof OOB_CHANNELS)[number];

/** Channels whose code the tenant "sends" by putting it into the outbox. */
export type OutboxChannel = Exclude<OobChannel, 'auth0'>;

/**
 * One enrolled (or enrolling) second factor. Like Auth0, an authenticator added with
 * `/mfa/associate` is inactive until the first MFA grant that uses it succeeds.
 */
export interface MfaAuthenticator {
  /** Auth0's shape: `totp|dev_…`, `sms|dev_…`, `email|dev_…`, `push|dev_…`, `recovery-code|dev_…`. */
  id: string;
  userId: string;
  type: 'otp' | 'oob' | 'recovery-code';
  channel?: OobChannel;
  /** Phone number or email address the codes go to. */
  to?: string;
  /** The TOTP secret (base32), or the current recovery code. */
  secret?: string;
  active: boolean;
  /** The mfa_token that associated it: only that transaction may confirm it while inactive. */
  enrolledBy?: string;
  /** The last TOTP time step accepted: a code is good once (Auth0: "cannot be used again"). */
  lastTimeStep?: number;
}

/**
 * What an `mfa_token` stands for: the password grant (or the refresh to a step-up API) that
 * still needs a second factor.
 */
export interface MfaTransaction {
  token: string;
  userId: string;
  clientId: string;
  scope: string[];
  audience?: string;
  authTime: number;
  gty: string;
  /** A refresh's login session and organization, which the new family continues. */
  sid?: string;
  organizationId?: string;
  expiresAt: number;
  /** Set by the MFA grant that redeemed it; a spent token is refused. */
  spent: boolean;
}

/** An out-of-band challenge (or enrollment confirmation) waiting for the user. */
export interface OobRequest {
  oobCode: string;
  mfaToken: string;
  userId: string;
  authenticatorId: string;
  channel: OobChannel;
  /** The code sent into the outbox (`binding_method: prompt`); absent for push. */
  bindingCode?: string;
  status: 'pending' | 'approved' | 'denied';
  createdAt: number;
  expiresAt: number;
  /** Tenant time of the last poll without binding_code, for `slow_down`. */
  lastPolledAt?: number;
}

/** A message the tenant would have sent: the test surface reads these at `/__admin/outbox`. */
export interface OutboxMessage {
  /** Real time, ISO 8601 (like the request log). */
  at: string;
  channel: OutboxChannel;
  to: string;
  code: string;
  mfaToken?: string;
}

/** Failed-attempt bucket of one user (see attempts.ts). */
export interface AttemptBucket {
  tokens: number;
  updatedAt: number;
}

/** How many outbox messages are kept (the oldest go first): plenty for any test. */
const OUTBOX_LIMIT = 1000;

/** The tenant's MFA runtime state; an admin reset empties it (enrollments included). */
export class MfaState {
  readonly transactions = new Map<string, MfaTransaction>();
  readonly authenticators = new Map<string, MfaAuthenticator>();
  readonly oobRequests = new Map<string, OobRequest>();
  readonly attempts = new Map<string, AttemptBucket>();
  outbox: OutboxMessage[] = [];

  /** A user's authenticators, in enrollment order. */
  authenticatorsOf(userId: string): MfaAuthenticator[] {
    return [...this.authenticators.values()].filter((item) => item.userId === userId);
  }

  /** Whether the user has a confirmed factor (recovery codes do not count). */
  isEnrolled(userId: string): boolean {
    return this.authenticatorsOf(userId).some(
      (item) => item.active && item.type !== 'recovery-code',
    );
  }

  /** Drops mfa_tokens and out-of-band requests nobody can use any more; caps the outbox. */
  prune(now: number): void {
    for (const [token, transaction] of this.transactions) {
      // Kept a while past expiry, so that a late use still hears `expired_token`.
      if (transaction.expiresAt + 600 < now) this.transactions.delete(token);
    }
    for (const [code, request] of this.oobRequests) {
      if (request.expiresAt < now) this.oobRequests.delete(code);
    }
    if (this.outbox.length > OUTBOX_LIMIT) this.outbox = this.outbox.slice(-OUTBOX_LIMIT);
  }

  reset(): void {
    this.transactions.clear();
    this.authenticators.clear();
    this.oobRequests.clear();
    this.attempts.clear();
    this.outbox = [];
  }
}
