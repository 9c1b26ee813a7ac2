import type { UserConfig } from '../config.js';
import type { TenantRuntime } from '../context.js';
import { authenticatorId, newRecoveryCode } from './codes.js';
import type { MfaAuthenticator, MfaState, OobChannel } from './state.js';
import { newTotpSecret, totpUri } from './totp.js';

/** How a new authenticator starts: confirmed (admin seeding) or waiting for its first use. */
export interface EnrollmentMode {
  active: boolean;
  /** The mfa_token of the `/mfa/associate` call; only it may confirm the authenticator. */
  enrolledBy?: string | undefined;
}

/** A new authenticator, and the recovery code created with the user's first one. */
export interface Enrollment {
  authenticator: MfaAuthenticator;
  recoveryCode?: string;
}

const ID_PREFIX: Record<OobChannel, string> = {
  sms: 'sms',
  voice: 'voice',
  email: 'email',
  auth0: 'push',
};

function add(
  state: MfaState,
  fields: Omit<MfaAuthenticator, 'id' | 'active' | 'enrolledBy'>,
  mode: EnrollmentMode,
  prefix: string,
): Enrollment {
  // Like Auth0, the first authenticator a user ever gets comes with a recovery code.
  const first = !state
    .authenticatorsOf(fields.userId)
    .some((item) => item.type === 'recovery-code');
  const authenticator: MfaAuthenticator = {
    ...fields,
    id: authenticatorId(prefix),
    active: mode.active,
  };
  if (mode.enrolledBy !== undefined) authenticator.enrolledBy = mode.enrolledBy;
  state.authenticators.set(authenticator.id, authenticator);
  if (!first) return { authenticator };
  const recovery: MfaAuthenticator = {
    id: authenticatorId('recovery-code'),
    userId: fields.userId,
    type: 'recovery-code',
    secret: newRecoveryCode(),
    active: mode.active,
  };
  if (mode.enrolledBy !== undefined) recovery.enrolledBy = mode.enrolledBy;
  state.authenticators.set(recovery.id, recovery);
  return { authenticator, recoveryCode: recovery.secret as string };
}

/** Adds a TOTP authenticator (a new secret unless one is given). */
export function enrollOtp(
  runtime: TenantRuntime,
  user: UserConfig,
  mode: EnrollmentMode,
  secret: string = newTotpSecret(),
): Enrollment & { secret: string; barcodeUri: string } {
  const enrollment = add(
    runtime.store.mfa,
    { userId: user.user_id, type: 'otp', secret },
    mode,
    'totp',
  );
  const barcodeUri = totpUri({
    issuer: new URL(runtime.issuer()).host,
    label: user.email,
    secret,
  });
  return { ...enrollment, secret, barcodeUri };
}

/** Adds an out-of-band authenticator sending to `to` (nothing is sent for push). */
export function enrollOob(
  runtime: TenantRuntime,
  user: UserConfig,
  channel: OobChannel,
  to: string | undefined,
  mode: EnrollmentMode,
): Enrollment {
  const fields: Omit<MfaAuthenticator, 'id' | 'active' | 'enrolledBy'> = {
    userId: user.user_id,
    type: 'oob',
    channel,
  };
  if (to !== undefined) fields.to = to;
  return add(runtime.store.mfa, fields, mode, ID_PREFIX[channel]);
}

/**
 * Confirms `authenticator` after its first successful use, together with the user's recovery
 * code (which is issued inactive with the first enrollment).
 */
export function activate(state: MfaState, authenticator: MfaAuthenticator): void {
  authenticator.active = true;
  delete authenticator.enrolledBy;
  for (const item of state.authenticatorsOf(authenticator.userId)) {
    if (item.type === 'recovery-code' && !item.active) {
      item.active = true;
      delete item.enrolledBy;
    }
  }
}

/** Whether `transaction` may use `authenticator`: a confirmed one, or one it associated. */
export function usableBy(authenticator: MfaAuthenticator, mfaToken: string): boolean {
  return authenticator.active || authenticator.enrolledBy === mfaToken;
}
