import { generateSecret, generateURI, verify } from 'otplib';
import { realNow } from '../clock.js';

/** A new TOTP secret: 20 random bytes, base32 (what authenticator apps expect). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The `otpauth://totp/…` URI an authenticator app scans (`barcode_uri`). */
export function totpUri(options: { issuer: string; label: string; secret: string }): string {
  return generateURI(options);
}

/**
 * Checks a TOTP code (SHA-1, 6 digits, 30 s) with one step of tolerance either way. Returns the
 * matching time step, or undefined. Codes at or before `afterTimeStep` are refused: a code is
 * good once. Judged by real time, like DPoP proofs: the user's authenticator app runs on a real
 * clock, so moving the tenant clock must not invalidate every code.
 */
export async function verifyTotp(options: {
  secret: string;
  code: string;
  afterTimeStep?: number | undefined;
}): Promise<number | undefined> {
  if (!/^\d{6}$/.test(options.code)) return undefined;
  try {
    const result = await verify({
      secret: options.secret,
      token: options.code,
      epoch: realNow(),
      epochTolerance: 30,
      ...(options.afterTimeStep === undefined ? {} : { afterTimeStep: options.afterTimeStep }),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  } catch {
    // otplib throws on malformed input (a secret that is not base32, say): not a valid code.
    return undefined;
  }
}
