import { isRecord } from '../config-validation.js';
import type { TenantRuntime } from '../context.js';
import { enrollOob, enrollOtp } from './enrollment.js';
import { OOB_CHANNELS, type OobChannel, type OutboxMessage } from './state.js';

/** An authenticator to seed for a user, confirmed at once (`POST /__admin/mfa/authenticators`). */
export type MfaAuthenticatorInput =
  | { userId: string; type: 'otp' /** base32; default: a new secret. */; secret?: string }
  | {
      userId: string;
      type: 'oob';
      channel: OobChannel;
      /** Phone number (sms, voice) or email (email; default: the user's). */
      to?: string;
    };

/** Which pending out-of-band request to settle: by its `oobCode`, or a user's newest one. */
export interface OobDecision {
  oobCode?: string;
  userId?: string;
  /** Reject instead of approve (the grant then answers 403 `invalid_grant`). */
  deny?: boolean;
}

/** The MFA part of the admin surface (see TenantAdmin). */
export interface MfaAdmin {
  /** What the tenant "sent" by SMS, voice call or email, oldest first. */
  outbox(filter?: { to?: string }): OutboxMessage[];
  clearOutbox(): { cleared: number };
  /** Approves (or denies) a pending out-of-band request, as the user's phone would. */
  decideOob(decision: OobDecision): { oobCode: string; status: 'approved' | 'denied' };
  /** Enrolls a confirmed authenticator; the user's first one also gets a recovery code. */
  addMfaAuthenticator(input: MfaAuthenticatorInput): {
    id: string;
    secret?: string;
    recoveryCode?: string;
  };
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`"${name}" must be a non-empty string`);
  }
  return value;
}

/** Builds the MFA admin operations over a tenant's runtime. */
export function createMfaAdmin(runtime: TenantRuntime): MfaAdmin {
  const { mfa } = runtime.store;
  return {
    outbox(filter = {}) {
      const to = text(isRecord(filter) ? filter.to : undefined, 'to');
      return mfa.outbox.filter((message) => to === undefined || message.to === to);
    },
    clearOutbox() {
      const cleared = mfa.outbox.length;
      mfa.outbox = [];
      return { cleared };
    },
    decideOob(decision) {
      if (!isRecord(decision)) throw new TypeError('the decision must be an object');
      const oobCode = text(decision.oobCode, 'oobCode');
      const userId = text(decision.userId, 'userId');
      if ((oobCode === undefined) === (userId === undefined)) {
        throw new TypeError('give exactly one of "oobCode" and "userId"');
      }
      if (decision.deny !== undefined && typeof decision.deny !== 'boolean') {
        throw new TypeError('"deny" must be a boolean');
      }
      const pending = [...mfa.oobRequests.values()].filter(
        (request) =>
          request.status === 'pending' &&
          (oobCode === undefined ? request.userId === userId : request.oobCode === oobCode),
      );
      const request = pending.at(-1);
      if (!request) throw new TypeError('no pending out-of-band request matches');
      request.status = decision.deny === true ? 'denied' : 'approved';
      return { oobCode: request.oobCode, status: request.status };
    },
    addMfaAuthenticator(input) {
      if (!isRecord(input)) throw new TypeError('the authenticator must be an object');
      const userId = text(input.userId, 'userId') ?? '';
      const user = runtime.directory.user(userId);
      if (!user) throw new TypeError(`"userId" names no user: ${userId}`);
      const mode = { active: true };
      if (input.type === 'otp') {
        const secret = text(input.secret, 'secret');
        // otplib wants base32 of at least 16 bytes (RFC 4226's minimum): 26 characters.
        if (secret !== undefined && !/^[A-Z2-7]{26,}=*$/.test(secret)) {
          throw new TypeError('"secret" must be base32 of at least 16 bytes');
        }
        const enrolled = enrollOtp(runtime, user, mode, secret);
        return {
          id: enrolled.authenticator.id,
          secret: enrolled.secret,
          ...(enrolled.recoveryCode ? { recoveryCode: enrolled.recoveryCode } : {}),
        };
      }
      if (input.type !== 'oob') throw new TypeError('"type" must be "otp" or "oob"');
      const channel = input.channel as OobChannel;
      if (!OOB_CHANNELS.includes(channel)) {
        throw new TypeError(`"channel" must be one of ${OOB_CHANNELS.join(', ')}`);
      }
      let to = text(input.to, 'to');
      if (channel === 'email') to ??= user.email;
      if ((channel === 'sms' || channel === 'voice') && to === undefined) {
        throw new TypeError('"to" (a phone number) is required for sms and voice');
      }
      const enrolled = enrollOob(runtime, user, channel, to, mode);
      return {
        id: enrolled.authenticator.id,
        ...(enrolled.recoveryCode ? { recoveryCode: enrolled.recoveryCode } : {}),
      };
    },
  };
}
