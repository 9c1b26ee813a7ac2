/**
 * Remembers one-time identifiers (DPoP proof `jti`s, client-assertion `jti`s) until they could no
 * longer be accepted anyway, so a replay inside that window is caught and memory stays bounded.
 */
export class ReplayCache {
  readonly #expiries = new Map<string, number>();
  readonly #now: () => number;

  /** @param now epoch seconds; the same clock the owner uses to judge freshness. */
  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Records `key` until `expiresAt` (epoch seconds). Returns false when it was already recorded
   * and has not expired: the caller must then reject the request as a replay.
   */
  remember(key: string, expiresAt: number): boolean {
    const now = this.#now();
    this.#prune(now);
    const known = this.#expiries.get(key);
    if (known !== undefined && known >= now) return false;
    this.#expiries.set(key, expiresAt);
    return true;
  }

  /** Forgets everything. */
  clear(): void {
    this.#expiries.clear();
  }

  #prune(now: number): void {
    // Insertion order roughly follows expiry, but not strictly (expiries differ per entry), so
    // the whole map is swept; it only ever holds one window's worth of identifiers.
    for (const [key, expiresAt] of this.#expiries) {
      if (expiresAt < now) this.#expiries.delete(key);
    }
  }
}
