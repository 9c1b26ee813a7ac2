import { randomString } from '../src/core/random.js';

/** What {@link HeldSecrets.get} finds for an id. */
export type Held<T> = { value: T } | 'unknown' | 'expired';

/**
 * Secrets the worker keeps for the page between two of its calls — Auth0's `mfa_token` of a
 * step-up, a passkey ceremony's `auth_session` — under an unguessable id that is all the page
 * ever sees. In memory only: they must not be in IndexedDB, where page script could read them
 * and redeem them elsewhere. So they die with the worker too; the page keeps the worker alive
 * while it waits on the user (see src/client/keep-alive.ts). Bounded in number and in age, so a
 * script in the page cannot make the worker hoard them.
 */
export class HeldSecrets<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: { prefix: string; ttlMs: number; max: number; now: () => number }) {
    this.#prefix = options.prefix;
    this.#ttlMs = options.ttlMs;
    this.#max = options.max;
    this.#now = options.now;
  }

  /** Keeps `value`; returns its id. The oldest entry goes when the bound is reached. */
  hold(value: T): string {
    const now = this.#now();
    // An expired entry is kept one more lifetime, so that using it says "expired", not "unknown".
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt + this.#ttlMs <= now) this.#entries.delete(id);
    }
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    const id = `${this.#prefix}${randomString(24)}`;
    this.#entries.set(id, { value, expiresAt: now + this.#ttlMs });
    return id;
  }

  /** The value held under `id`; an expired one is forgotten as it is reported. */
  get(id: string): Held<T> {
    const entry = this.#entries.get(id);
    if (!entry) return 'unknown';
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(id);
      return 'expired';
    }
    return { value: entry.value };
  }

  delete(id: string): void {
    this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
