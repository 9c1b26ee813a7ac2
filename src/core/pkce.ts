import { base64url } from 'jose';
import { randomString } from './random.js';

/**
 * A PKCE (RFC 7636) pair. The verifier has 256 bits of entropy (43 characters, the RFC minimum
 * length); the challenge is always S256 — `plain` offers no protection and is never used.
 */
export interface Pkce {
  /** The secret sent with the code redemption; keep it until the callback, never in the URL. */
  codeVerifier: string;
  /** base64url SHA-256 of the verifier, sent on `/authorize`. */
  codeChallenge: string;
  /** Always `S256`. */
  codeChallengeMethod: 'S256';
}

/** Creates a fresh PKCE verifier and its S256 challenge. */
export async function createPkce(): Promise<Pkce> {
  const codeVerifier = randomString(32);
  return { codeVerifier, codeChallenge: await s256(codeVerifier), codeChallengeMethod: 'S256' };
}

/** base64url(SHA-256(ascii(value))): the S256 PKCE challenge and the DPoP `ath` claim. */
export async function s256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return base64url.encode(new Uint8Array(digest));
}
