import { MfaError, MfaRequiredError, type MfaRequirements } from '../src/core/errors.js';
import { MFA_HANDLE_PREFIX } from '../src/rpc/errors.js';
import { HeldSecrets } from './held-secrets.js';
import type { TokenKey } from './policy.js';

/** Auth0's mfa_token lives 10 minutes; its handle no longer. */
const MFA_HANDLE_TTL_MS = 10 * 60 * 1000;

/**
 * A step-up the server asked for: what the refresh that met `mfa_required` wanted, and Auth0's
 * mfa_token that lets the user answer it. Held in worker memory under a handle.
 */
export interface StepUp {
  mfaToken: string;
  audience: string | undefined;
  scope: string;
  mfa_requirements: MfaRequirements | undefined;
  createdAt: number;
  /** The session it belongs to: a login or logout since makes the step-up void. */
  generation: number;
}

/**
 * The step-ups in progress, by the handle the page got in `MfaRequiredError.mfa_token`. Auth0's
 * mfa_token stays here; the MFA methods of the facade (mfa.ts) redeem the handle. The session
 * opens one when a refresh meets `mfa_required` and clears them all when it changes.
 */
export class StepUps {
  readonly #held: HeldSecrets<StepUp>;
  readonly #now: () => number;

  constructor(options: { now: () => number }) {
    this.#now = options.now;
    this.#held = new HeldSecrets({
      prefix: MFA_HANDLE_PREFIX,
      ttlMs: MFA_HANDLE_TTL_MS,
      max: 10,
      now: options.now,
    });
  }

  /**
   * Holds the server's step-up for `key` (asked by the session of `generation`) and returns the
   * error the page gets: the same, with an opaque handle in place of the mfa_token.
   */
  open(error: MfaRequiredError, key: TokenKey, generation: number): MfaRequiredError {
    const requirements = mfaRequirements(error.mfa_requirements);
    const handle = this.#held.hold({
      mfaToken: error.mfa_token,
      audience: key.audience,
      scope: key.scope,
      mfa_requirements: requirements,
      createdAt: this.#now(),
      generation,
    });
    return new MfaRequiredError({
      message: error.error_description,
      mfa_token: handle,
      mfa_requirements: requirements,
    });
  }

  /** The step-up behind `handle`, or an {@link MfaError} saying it is unknown or expired. */
  find(handle: string): StepUp {
    const held = this.#held.get(handle);
    if (held === 'expired') {
      throw new MfaError({ message: 'The mfa_token has expired.', error: 'expired_token' });
    }
    if (held === 'unknown') {
      throw new MfaError({
        message: 'Unknown or used mfa_token: ask for the token again.',
        error: 'mfa_context_not_found',
      });
    }
    return held.value;
  }

  /** Ends one step-up (its mfa_token is spent or expired). */
  delete(handle: string): void {
    this.#held.delete(handle);
  }

  /** Ends every step-up: the session they belong to changed. */
  clear(): void {
    this.#held.clear();
  }
}

/** `mfa_requirements` as plain data: `{ challenge?, enroll? }` lists of `{ type }`. */
function mfaRequirements(value: unknown): MfaRequirements | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const result: MfaRequirements = {};
  for (const name of ['challenge', 'enroll'] as const) {
    const list = (value as Record<string, unknown>)[name];
    if (!Array.isArray(list)) continue;
    result[name] = list
      .filter((item) => typeof item?.type === 'string')
      .slice(0, 20)
      .map((item) => ({ type: String(item.type) }));
  }
  return result;
}
