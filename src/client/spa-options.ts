import type { PublicConfiguration } from '../rpc/protocol.js';
import type { PageKit, WORKER_OWNED_OPTIONS, WorkerOwnedOption } from './page-kit.js';

// auth0-spa-js compatibility that only some pages need, loaded on first use (with ./on-demand.ts):
// by `connect()` only when the page repeats a worker-owned option not written exactly as the
// worker's, and by the calls whose per-call value differs from the worker's (`logout({ clientId
// })`, `connectAccountWithRedirect({ redirectUri })`).

/**
 * Compares the page's security options `names` ({@link WORKER_OWNED_OPTIONS}, handed over by the
 * first chunk, which keeps the list) with the worker's configuration.
 */
export function checkPageOptions(
  kit: PageKit,
  names: readonly WorkerOwnedOption[],
  options: Partial<Record<WorkerOwnedOption, unknown>>,
  worker: PublicConfiguration,
  workerUrl: string,
): void {
  for (const name of names) {
    const mine = options[name];
    if (mine === undefined) continue;
    const theirs = worker[name];
    const same =
      name === 'domain' || name === 'issuer' ? host(mine) === host(theirs) : mine === theirs;
    if (!same) {
      throw new kit.InvalidConfigurationError({
        message: `This page sets ${name}: ${JSON.stringify(mine)}, but the worker at ${workerUrl} is configured with ${JSON.stringify(theirs)}. The worker owns this setting.`,
        suggestion: `Set \`${name}\` in the worker config (installAuthWorker), or drop it from the page's options.`,
      });
    }
  }
}

/** What to do about a per-call value that differs from the worker's. */
const SAME_AS_WORKER = {
  clientId: 'Drop clientId: the worker logs out its own client.',
  redirectUri: 'The worker completes the flow at its redirect_uri: set it in the worker config.',
};

/** A per-call value that must equal the worker's (`what` names it), else `InvalidConfigurationError`. */
export function checkSame(
  kit: PageKit,
  what: keyof typeof SAME_AS_WORKER,
  mine: unknown,
  theirs: unknown,
): void {
  if (mine !== theirs)
    throw new kit.InvalidConfigurationError({
      message: `${what} ${JSON.stringify(mine)} is not the worker's ${JSON.stringify(theirs)}.`,
      suggestion: SAME_AS_WORKER[what],
    });
}

/** A domain or issuer, compared without scheme, trailing slash or case. */
function host(value: unknown): string {
  return String(value)
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}
