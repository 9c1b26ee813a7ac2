import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret (client secret, password) with the expected one in time that does
 * not depend on where they differ. Both are hashed first so that lengths need not match.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
