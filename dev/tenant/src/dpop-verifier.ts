import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  errors,
  type JWK,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { realNow } from './clock.js';
import type { DpopNonces } from './dpop-nonces.js';
import { ReplayCache } from './replay-cache.js';

/** The asymmetric algorithms accepted in DPoP proofs (and advertised in discovery). */
export const DPOP_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;

/** Why a proof was refused: `use_dpop_nonce` means "retry with the nonce in `DPoP-Nonce`". */
export type DpopProofErrorCode = 'invalid_dpop_proof' | 'use_dpop_nonce';

/**
 * A DPoP proof that must not be accepted. `code` is the OAuth error to answer with.
 *
 * @example
 * ```ts
 * import { createDpopVerifier, DpopProofError } from 'auth0-enclave-tenant/resource-server';
 *
 * const verifier = createDpopVerifier();
 * async function checkProof(request: Request): Promise<Response | undefined> {
 *   try {
 *     await verifier.verify({ proof: request.headers.get('dpop'), method: request.method, url: request.url });
 *   } catch (err) {
 *     if (err instanceof DpopProofError) return Response.json({ error: err.code }, { status: 400 });
 *     throw err;
 *   }
 * }
 * ```
 */
export class DpopProofError extends Error {
  /** Always `'DpopProofError'`, also in minified builds. */
  override readonly name = 'DpopProofError';
  /** The OAuth error to answer with: `invalid_dpop_proof`, or `use_dpop_nonce` to ask for a retry. */
  readonly code: DpopProofErrorCode;

  constructor(code: DpopProofErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Options for {@link createDpopVerifier}. */
export interface DpopVerifierOptions {
  /** Default: {@link DPOP_ALGORITHMS}. Symmetric algorithms and `none` are never accepted. */
  algorithms?: readonly string[];
  /** How far a proof's `iat` may be from now (either way), and how long `jti`s are kept. Default: 60. */
  windowSeconds?: number;
  /** Where valid nonces come from; needed when any check sets `requireNonce`. */
  nonces?: DpopNonces;
  /**
   * Epoch seconds. Default: real time, on purpose: proofs are signed with the client's real
   * clock, so a test clock moved forward must not make every proof look stale.
   */
  now?: () => number;
}

/** One request to check a proof against. */
export interface DpopProofCheck {
  /** The `DPoP` request header value. */
  proof: string | null | undefined;
  /** The request method (`htm`). */
  method: string;
  /** The request URL (`htu` is compared without query and fragment). */
  url: string | URL;
  /** The access token sent with a resource request: the proof must carry its hash (`ath`). */
  accessToken?: string;
  /** Require `nonce` to be a currently valid server nonce. */
  requireNonce?: boolean;
}

/** What a valid proof tells the server. */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof key: what `cnf.jkt` binds to. */
  jkt: string;
  jti: string;
  iat: number;
  /** The proof's public key. */
  jwk: JWK;
  nonce?: string;
}

/** Verifies DPoP proofs and remembers their `jti`s. */
export interface DpopVerifier {
  readonly algorithms: readonly string[];
  /** Resolves with the proof's key thumbprint, or rejects with a {@link DpopProofError}. */
  verify(check: DpopProofCheck): Promise<VerifiedDpopProof>;
}

// Private-key members of RSA, EC, OKP and symmetric JWKs. A proof whose header carries any of
// them shows that the client leaks its key; accepting it would teach clients bad habits.
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function invalid(message: string, cause?: unknown): DpopProofError {
  return new DpopProofError('invalid_dpop_proof', message, cause === undefined ? {} : { cause });
}

/** `htu` comparison per RFC 9449 §4.3: the URL without query and fragment, normalised. */
function normaliseHtu(value: string | URL): string | undefined {
  const text = typeof value === 'string' ? value : value.href;
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  url.search = '';
  url.hash = '';
  return url.href;
}

/** base64url(SHA-256(access token)): the `ath` a proof for a resource request must carry. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * Creates an RFC 9449 proof verifier: compact JWS, `typ: dpop+jwt`, an asymmetric `alg` from the
 * allow-list, a public `jwk` that verifies the signature, matching `htm` and `htu`, a fresh
 * `iat`, an unseen `jti`, and, when asked, a valid `nonce` and the `ath` of the access token.
 *
 * @example
 * ```ts
 * import { createDpopNonces, createDpopVerifier } from 'auth0-enclave-tenant/resource-server';
 *
 * const verifier = createDpopVerifier({ nonces: createDpopNonces() });
 * const { jkt } = await verifier.verify({
 *   proof: request.headers.get('dpop'),
 *   method: request.method,
 *   url: request.url,
 *   accessToken, // resource requests only
 *   requireNonce: true,
 * });
 * ```
 */
export function createDpopVerifier(options: DpopVerifierOptions = {}): DpopVerifier {
  const algorithms = [...(options.algorithms ?? DPOP_ALGORITHMS)];
  if (algorithms.some((alg) => alg === 'none' || alg.startsWith('HS'))) {
    throw new TypeError('"algorithms" may list asymmetric algorithms only');
  }
  const windowSeconds = options.windowSeconds ?? 60;
  const now = options.now ?? realNow;
  const replays = new ReplayCache(now);

  async function verify(check: DpopProofCheck): Promise<VerifiedDpopProof> {
    const { proof } = check;
    if (typeof proof !== 'string' || proof === '') throw invalid('DPoP proof is missing');
    // Headers sent twice arrive joined with ", "; a compact JWS never contains a comma.
    if (!COMPACT_JWS.test(proof)) throw invalid('DPoP header must hold exactly one compact JWS');

    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch (cause) {
      throw invalid('DPoP proof header is not valid JSON', cause);
    }
    if (header.typ !== 'dpop+jwt') throw invalid('DPoP proof "typ" must be "dpop+jwt"');
    if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) {
      throw invalid(`DPoP proof "alg" must be one of ${algorithms.join(', ')}`);
    }
    const jwk = header.jwk;
    if (typeof jwk !== 'object' || jwk === null) throw invalid('DPoP proof has no "jwk" header');
    if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) {
      throw invalid('DPoP proof "jwk" must be a public key (it contains private key material)');
    }

    const at = now();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms,
        currentDate: new Date(at * 1000),
      }));
    } catch (cause) {
      const reason = cause instanceof errors.JOSEError ? cause.message : 'verification failed';
      throw invalid(`DPoP proof signature or claims are invalid: ${reason}`, cause);
    }

    const { jti, htm, htu, iat } = payload;
    if (typeof jti !== 'string' || jti === '' || jti.length > 256) {
      throw invalid('DPoP proof "jti" must be a non-empty string');
    }
    if (htm !== check.method.toUpperCase()) {
      throw invalid(`DPoP proof "htm" must be "${check.method.toUpperCase()}"`);
    }
    const expectedHtu = normaliseHtu(check.url);
    if (typeof htu !== 'string' || normaliseHtu(htu) !== expectedHtu) {
      throw invalid(`DPoP proof "htu" must be "${expectedHtu}"`);
    }
    if (typeof iat !== 'number' || Math.abs(at - iat) > windowSeconds) {
      throw invalid(`DPoP proof "iat" must be within ${windowSeconds} seconds of the server time`);
    }

    const nonce = payload.nonce;
    if (check.requireNonce) {
      if (!options.nonces)
        throw new TypeError('requireNonce needs the verifier\'s "nonces" option');
      if (typeof nonce !== 'string' || !options.nonces.isValid(nonce)) {
        throw new DpopProofError(
          'use_dpop_nonce',
          nonce === undefined
            ? 'Authorization server requires nonce in DPoP proof'
            : 'DPoP proof nonce is invalid or expired',
        );
      }
    }

    if (check.accessToken !== undefined) {
      if (payload.ath !== (await accessTokenHash(check.accessToken))) {
        throw invalid('DPoP proof "ath" does not match the access token');
      }
    }

    const jkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
    // Checked last so that a proof refused for another reason does not burn its jti.
    if (!replays.remember(`${jkt}:${jti}`, Math.max(iat, at) + windowSeconds)) {
      throw invalid('DPoP proof "jti" has already been used');
    }

    const verified: VerifiedDpopProof = { jkt, jti, iat, jwk: jwk as JWK };
    if (typeof nonce === 'string') verified.nonce = nonce;
    return verified;
  }

  return { algorithms, verify };
}
