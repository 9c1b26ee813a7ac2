import { realNow } from './clock.js';
import { randomToken } from './random-token.js';

/**
 * Server-issued DPoP nonces (RFC 9449 §8, §9). One current nonce, rotated after a lifetime; the
 * previous one stays valid for one more lifetime so that a client which fetched it just before a
 * rotation is not bounced.
 *
 * @example
 * ```ts
 * import { createDpopNonces } from 'auth0-enclave-tenant/resource-server';
 *
 * const nonces = createDpopNonces({ lifetimeSeconds: 300 });
 * const response = new Response(null, { headers: { 'DPoP-Nonce': nonces.current() } });
 * nonces.isValid(nonces.current()); // true for the current and the previous nonce
 * ```
 */
export interface DpopNonces {
  /** The nonce to hand out now (rotating first when the current one has lived its lifetime). */
  current(): string;
  /** True when `nonce` is the current or the previous nonce. */
  isValid(nonce: string): boolean;
  /** Rotates now: the current nonce becomes the previous one. Returns the new nonce. */
  rotate(): string;
}

/** Options for {@link createDpopNonces}. */
export interface DpopNoncesOptions {
  /** Default: 300. */
  lifetimeSeconds?: number;
  /**
   * Epoch seconds. Default: real time. Nonces exist to bound how long a proof can be used, which
   * is the signer's real-time concern, so they do not follow the tenant's test clock.
   */
  now?: () => number;
}

/** Creates a nonce source. */
export function createDpopNonces(options: DpopNoncesOptions = {}): DpopNonces {
  const lifetime = options.lifetimeSeconds ?? 300;
  if (!Number.isInteger(lifetime) || lifetime < 1) {
    throw new TypeError('"lifetimeSeconds" must be an integer >= 1');
  }
  const now = options.now ?? realNow;
  let current = randomToken(18);
  let previous: string | undefined;
  let issuedAt = now();

  function rotate(): string {
    previous = current;
    current = randomToken(18);
    issuedAt = now();
    return current;
  }

  function refresh(): void {
    const age = now() - issuedAt;
    if (age >= 2 * lifetime) {
      // Idle for two lifetimes: the previous nonce would be older than anyone should accept.
      rotate();
      previous = undefined;
    } else if (age >= lifetime) {
      rotate();
    }
  }

  return {
    current() {
      refresh();
      return current;
    },
    isValid(nonce: string) {
      refresh();
      return nonce === current || (previous !== undefined && nonce === previous);
    },
    rotate,
  };
}
