import type { ResolvedClient, UserConfig } from '../config.js';
import type { TenantRuntime } from '../context.js';
import { OAuthErrorResponse } from '../oauth-error-response.js';
import { randomToken } from '../random-token.js';
import type { MfaState, MfaTransaction } from './state.js';

/** Auth0's mfa_token lifetime: 10 minutes, not configurable there either. */
export const MFA_TOKEN_LIFETIME_SECONDS = 600;

/** The factor types a user without any may enroll (`mfa_requirements.enroll`). */
const ENROLLABLE = [{ type: 'otp' }, { type: 'oob' }];

/** `mfa_requirements` of WIRE.md: the confirmed factor types, or what may be enrolled. */
export function mfaRequirements(
  state: MfaState,
  userId: string,
): { challenge: { type: string }[] } | { enroll: { type: string }[] } {
  const types = new Set(
    state
      .authenticatorsOf(userId)
      .filter((item) => item.active && item.type !== 'recovery-code')
      .map((item) => item.type),
  );
  if (types.size === 0) return { enroll: ENROLLABLE };
  return { challenge: [...types].map((type) => ({ type })) };
}

/** What the refused grant would have issued; the MFA grant issues exactly that. */
export interface PendingGrant {
  client: ResolvedClient;
  user: UserConfig;
  scope: string[];
  audience?: string | undefined;
  authTime: number;
  gty: string;
  /** Set by a refresh to a step-up API: the login session and organization it continues. */
  sid?: string | undefined;
  organizationId?: string | undefined;
}

/**
 * Records an MFA transaction and returns Auth0's 403 `mfa_required` answer for it, carrying an
 * opaque, short-lived `mfa_token` bound to the user, the client, and the grant's audience and
 * scope.
 */
export function mfaRequired(runtime: TenantRuntime, pending: PendingGrant): OAuthErrorResponse {
  const { mfa } = runtime.store;
  mfa.prune(runtime.clock.now());
  const transaction: MfaTransaction = {
    token: randomToken(),
    userId: pending.user.user_id,
    clientId: pending.client.clientId,
    scope: pending.scope,
    authTime: pending.authTime,
    gty: pending.gty,
    expiresAt: runtime.clock.now() + MFA_TOKEN_LIFETIME_SECONDS,
    spent: false,
  };
  if (pending.audience !== undefined) transaction.audience = pending.audience;
  if (pending.sid !== undefined) transaction.sid = pending.sid;
  if (pending.organizationId !== undefined) transaction.organizationId = pending.organizationId;
  mfa.transactions.set(transaction.token, transaction);
  return new OAuthErrorResponse('mfa_required', 'Multifactor authentication required', {
    status: 403,
    extra: {
      mfa_token: transaction.token,
      mfa_requirements: mfaRequirements(mfa, transaction.userId),
    },
  });
}

/**
 * The live transaction behind an `mfa_token`, or Auth0's answers: 403 `invalid_grant`
 * "Malformed mfa_token" for one the tenant never issued (or that was spent, or belongs to
 * another client), 403 `expired_token` "mfa_token is expired" after 10 minutes.
 */
export function findMfaTransaction(
  runtime: TenantRuntime,
  token: string,
  client?: ResolvedClient,
): MfaTransaction {
  const transaction = runtime.store.mfa.transactions.get(token);
  if (!transaction || transaction.spent || (client && transaction.clientId !== client.clientId)) {
    throw new OAuthErrorResponse('invalid_grant', 'Malformed mfa_token', { status: 403 });
  }
  if (transaction.expiresAt <= runtime.clock.now()) {
    throw new OAuthErrorResponse('expired_token', 'mfa_token is expired', { status: 403 });
  }
  return transaction;
}
