import { randomBytes } from 'node:crypto';

/**
 * An unguessable, URL-safe string: codes, refresh tokens, session cookies, transaction ids,
 * nonces. 32 bytes (256 bits) unless a caller needs a shorter public identifier.
 */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
