import { Auth0Client, type Auth0ClientOptions } from './auth0-client.js';

/**
 * Creates the client, connects to the worker (registering it on first visit), and checks the
 * session — the same contract as auth0-spa-js's `createAuth0Client`. Rejects with
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
  const client = new Auth0Client(options);
  await client.connect();
  await client.checkSession();
  return client;
}
