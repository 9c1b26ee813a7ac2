import { Auth0Client, type Auth0ClientOptions } from './auth0-client.js';
import { BUILD_DEFAULTS } from './build-defaults.js';

/**
 * Creates the client, connects to the worker (registering it on first visit), and checks the
 * session — the same contract as auth0-spa-js's `createAuth0Client`. Options a build plugin
 * compiled in (`auth0-enclave/vite`) are the defaults; the caller's own win. Rejects with
 * `WorkerUnavailableError` when service workers are unavailable or blocked: there is no fallback
 * to page storage.
 *
 * @example
 * ```ts
 * import { createAuth0Client } from 'auth0-enclave';
 *
 * const auth0 = await createAuth0Client({ workerUrl: '/auth-worker.js' });
 * ```
 */
export async function createAuth0Client(options: Auth0ClientOptions = {}): Promise<Auth0Client> {
  // Not an object: the constructor names the mistake, rather than a spread hiding it.
  const client = new Auth0Client(
    typeof options === 'object' && options !== null ? { ...BUILD_DEFAULTS, ...options } : options,
  );
  await client.connect();
  await client.checkSession();
  return client;
}
