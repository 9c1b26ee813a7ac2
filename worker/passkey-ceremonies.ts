import { PasskeyError } from '../src/core/errors.js';
import { HeldSecrets } from './held-secrets.js';
import type { TokenKey } from './policy.js';

/** A passkey ceremony's `auth_session` lives 5 minutes (the tenant's, and Auth0's order of size). */
const CEREMONY_TTL_MS = 5 * 60 * 1000;

/** A passkey signup or login between `passkeyStart` and `passkeyFinish`, held in worker memory. */
export interface PasskeyCeremonyState extends TokenKey {
  mode: 'signup' | 'login';
  /** The server's `auth_session`: with a credential it is redeemable, so the page never sees it. */
  authSession: string;
  realm: string | undefined;
  organization: string | undefined;
}

/**
 * The passkey ceremonies in progress, by the ceremony id the page got. A ceremony is used once;
 * a logout (or an expired session) drops them all: a ceremony started before it must not log
 * anyone in after it.
 */
export class PasskeyCeremonies {
  readonly #held: HeldSecrets<PasskeyCeremonyState>;

  constructor(options: { now: () => number }) {
    this.#held = new HeldSecrets({
      prefix: 'ceremony:',
      ttlMs: CEREMONY_TTL_MS,
      max: 10,
      now: options.now,
    });
  }

  /** Holds a started ceremony; returns its id. */
  hold(ceremony: PasskeyCeremonyState): string {
    return this.#held.hold(ceremony);
  }

  /** Takes the ceremony `ceremonyId` (single use), or throws a {@link PasskeyError}. */
  take(ceremonyId: string): PasskeyCeremonyState {
    const held = this.#held.get(ceremonyId);
    if (typeof held !== 'object') {
      throw new PasskeyError({
        message: 'Unknown, used or expired passkey ceremony: start it again.',
        error: 'passkey_ceremony_not_found',
      });
    }
    this.#held.delete(ceremonyId);
    return held.value;
  }

  clear(): void {
    this.#held.clear();
  }
}
