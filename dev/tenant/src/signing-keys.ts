import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** The tenant's token-signing key. The private half never leaves this object. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256';
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** The public JWK as published at /.well-known/jwks.json. */
  readonly publicJwk: JWK;
}

/**
 * Generates a fresh RS256 key. Each tenant process gets its own, so tokens from an earlier run
 * never verify against a new one; the kid is the key's RFC 7638 thumbprint.
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const { n, e } = await exportJWK(publicKey);
  if (n === undefined || e === undefined) throw new Error('RSA key export lacks "n" or "e"');
  const publicJwk: JWK = { kty: 'RSA', n, e };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  Object.assign(publicJwk, { use: 'sig', alg: 'RS256', kid });
  return { kid, alg: 'RS256', privateKey, publicKey, publicJwk };
}
