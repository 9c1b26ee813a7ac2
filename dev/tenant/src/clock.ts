/**
 * The tenant's notion of "now", in whole epoch seconds.
 *
 * Everything the tenant issues and later checks on its own (access and ID tokens, codes, login
 * sessions, refresh-token lifetimes) reads this clock, so a test can move it forward to make
 * them expire. DPoP proofs and client assertions are signed with the *client's* real clock and
 * are checked against real time instead: moving this clock must not make every browser's
 * proof look stale.
 *
 * @example
 * ```ts
 * import { createTenantClock } from 'auth0-enclave-tenant';
 *
 * const clock = createTenantClock();
 * clock.advance(3600); // every access token issued an hour ago has now expired
 * clock.reset();
 * ```
 */
export interface TenantClock {
  /** Epoch seconds, including any offset applied with {@link TenantClock.advance}. */
  now(): number;
  /** Moves the clock by `seconds` (negative values move it back). */
  advance(seconds: number): void;
  /** Removes every offset: `now()` is real time again. */
  reset(): void;
}

/** Real epoch seconds, for the checks that must follow the signer's clock (DPoP, assertions). */
export function realNow(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Creates a clock that starts at real time and can be moved by tests.
 *
 * @example
 * ```ts
 * import { createTenantClock } from 'auth0-enclave-tenant';
 *
 * const clock = createTenantClock(); // hand it to whatever must see the same time, e.g. an API's token checks
 * const expiresAt = clock.now() + 3600;
 * ```
 */
export function createTenantClock(): TenantClock {
  let offsetSeconds = 0;
  return {
    now: () => Math.floor(Date.now() / 1000 + offsetSeconds),
    advance(seconds: number) {
      if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
        throw new TypeError('"seconds" must be a finite number');
      }
      offsetSeconds += seconds;
    },
    reset() {
      offsetSeconds = 0;
    },
  };
}
