import { calculateJwkThumbprint, exportJWK, type JWK, SignJWT } from 'jose';
import { s256 } from './pkce.js';
import { randomString } from './random.js';

/** What a DPoP proof (RFC 9449 §4.2) binds: the request and, for resource requests, the token. */
export interface DpopProofOptions {
  /** HTTP method of the request (`htm`). */
  method: string;
  /** Request URL; the query and fragment are removed for `htu`. */
  url: string | URL;
  /** For requests to a resource server: the access token, hashed into `ath`. */
  accessToken?: string | undefined;
  /** The latest nonce from the server the request goes to. */
  nonce?: string | undefined;
}

const ALG = 'ES256';
const ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/**
 * Generates a DPoP key pair: ES256 (ECDSA P-256), private key **non-extractable**. The pair can be
 * stored in IndexedDB as it is (structured clone keeps CryptoKeys) and read back after a restart.
 */
export async function generateDpopCryptoKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify'])) as CryptoKeyPair;
}

/**
 * An opaque handle for a DPoP key pair. The private key lives in a `#private` field and is
 * non-extractable; the handle can sign proofs and tell its thumbprint, nothing more. Logging or
 * serialising it shows no key material.
 *
 * @example
 * ```ts
 * import { AuthClient, generateDpopKeyPair } from 'auth0-enclave/core';
 *
 * const dpop = await generateDpopKeyPair();
 * const auth = new AuthClient({ domain: 'example.eu.auth0.com', clientId: 'abc', dpop });
 * ```
 */
export class DpopKeyPair {
  readonly #privateKey: CryptoKey;
  readonly #publicJwk: JWK;
  /** The JWK SHA-256 thumbprint (RFC 7638) of the public key: `dpop_jkt` and `cnf.jkt`. */
  readonly thumbprint: string;

  private constructor(privateKey: CryptoKey, publicJwk: JWK, thumbprint: string) {
    this.#privateKey = privateKey;
    this.#publicJwk = publicJwk;
    this.thumbprint = thumbprint;
  }

  /**
   * Wraps an existing ES256 key pair (for instance one read back from IndexedDB). Refuses an
   * extractable private key: a DPoP key that can be exported protects nothing.
   */
  static async fromCryptoKeyPair(keys: CryptoKeyPair): Promise<DpopKeyPair> {
    const { privateKey, publicKey } = keys ?? {};
    if (!privateKey || !publicKey || privateKey.type !== 'private' || publicKey.type !== 'public') {
      throw new TypeError('"keys" must be a CryptoKeyPair');
    }
    const isP256 = (key: CryptoKey) => {
      const algorithm = key.algorithm as KeyAlgorithm & { namedCurve?: string };
      return algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
    };
    if (!isP256(privateKey) || !isP256(publicKey)) {
      throw new TypeError('"keys" must be an ECDSA P-256 (ES256) key pair');
    }
    if (privateKey.extractable) throw new TypeError('"keys.privateKey" must be non-extractable');
    const { kty, crv, x, y } = await exportJWK(publicKey);
    if (kty !== 'EC' || !crv || !x || !y)
      throw new TypeError('"keys.publicKey" is not an EC public key');
    const publicJwk: JWK = { kty, crv, x, y };
    return new DpopKeyPair(
      privateKey,
      publicJwk,
      await calculateJwkThumbprint(publicJwk, 'sha256'),
    );
  }

  /** Signs a fresh proof: new `jti` and `iat` on every call, so no proof is ever replayed. */
  async createProof(options: DpopProofOptions): Promise<string> {
    const claims: Record<string, string> = {
      jti: randomString(16),
      htm: options.method.toUpperCase(),
      htu: htu(options.url),
    };
    if (options.nonce) claims.nonce = options.nonce;
    if (options.accessToken) claims.ath = await s256(options.accessToken);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: 'dpop+jwt', jwk: this.#publicJwk })
      .setIssuedAt()
      .sign(this.#privateKey);
  }

  /** @internal Keeps the handle opaque when logged or serialised. */
  toJSON(): { thumbprint: string } {
    return { thumbprint: this.thumbprint };
  }
}

/** Generates a fresh non-extractable ES256 key pair behind an opaque {@link DpopKeyPair} handle. */
export async function generateDpopKeyPair(): Promise<DpopKeyPair> {
  return DpopKeyPair.fromCryptoKeyPair(await generateDpopCryptoKeyPair());
}

/** The `htu` of a proof: the request URL without query and fragment (RFC 9449 §4.2). */
export function htu(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
