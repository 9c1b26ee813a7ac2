import { randomBytes, randomInt } from 'node:crypto';
import { secretsEqual } from '../secret-compare.js';

/** A 6-digit code, as SMS and email authenticators send. */
export function newSixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

// Crockford-style alphabet without look-alikes (I, L, O, U): recovery codes get read and typed.
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A recovery code: 24 characters (Auth0's length), ~120 bits. */
export function newRecoveryCode(): string {
  return [...randomBytes(24)].map((byte) => RECOVERY_ALPHABET[byte % 32]).join('');
}

/** Compares a typed recovery code: case, spaces and dashes do not matter. */
export function recoveryCodesEqual(typed: string, expected: string): boolean {
  return secretsEqual(typed.replace(/[\s-]/g, '').toUpperCase(), expected);
}

/** An authenticator id in Auth0's shape, e.g. `totp|dev_3k…`. */
export function authenticatorId(prefix: string): string {
  return `${prefix}|dev_${randomBytes(12).toString('base64url')}`;
}
