import { base64url } from 'jose';

/**
 * A URL-safe random string with `bytes` bytes of entropy from the platform CSPRNG. Used for
 * `state`, `nonce`, PKCE verifiers and `jti` values.
 */
export function randomString(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}
