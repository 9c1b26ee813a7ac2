import { installErrorTransfer } from '../src/rpc/errors.js';
import { MESSAGE } from '../src/rpc/protocol.js';
import { broadcastSession } from './broadcast.js';
import { type AuthWorkerConfig, resolveConfig } from './config.js';
import { Connections } from './connections.js';
import { createWorkerDeps } from './deps.js';
import { createFacade, publicConfiguration } from './facade.js';
import { type AuthWorkerOptions, checkWorkerOptions } from './features.js';
import { routeFetch } from './fetch-router.js';
import { METHODS } from './methods.js';
import { Vault } from './vault.js';

declare const self: ServiceWorkerGlobalScope;

/** Keeps the worker alive this long per keep-alive message, while the page waits on a call. */
const KEEP_ALIVE_MS = 15_000;
/**
 * In the memory custody mode open pages ping for as long as they are open, and the session dies
 * with the worker: each ping holds it this long, longer than the once-a-minute a hidden tab's
 * timers may be throttled to (Chromium's intensive throttling), so a throttled ping still lands
 * before the hold runs out.
 */
const MEMORY_KEEP_ALIVE_MS = 75_000;

/**
 * Makes this service worker the app's token holder. Call it once, synchronously, at the top level
 * of the worker script (browsers only deliver events to listeners added during the first run).
 *
 * `config` is plain data (the Vite plugin compiles it in as JSON); `options.features` lists the
 * optional features the app uses — `auth0.myAccount.*` and `connectAccountWithRedirect` need
 * {@link myAccountApi}, `auth0.anonymous.*` needs {@link anonymousSessions} — so a worker script
 * carries only the code its app calls. A bad config throws `InvalidConfigurationError`, bad
 * options a `TypeError`, and the worker does not start.
 *
 * @example
 * ```ts
 * // auth-worker.ts — built into /auth-worker.js
 * import { installAuthWorker } from 'auth0-enclave/worker';
 *
 * installAuthWorker({
 *   domain: 'example.eu.auth0.com',
 *   clientId: 'abc',
 *   authorizationParams: { redirect_uri: 'https://app.example/callback', audience: 'https://api.example/' },
 *   apis: [{ url: 'https://api.example/v1' }],
 * });
 * ```
 */
export function installAuthWorker(config: AuthWorkerConfig, options?: AuthWorkerOptions): void {
  const features = checkWorkerOptions(options);
  const resolved = resolveConfig(config, self.location.origin);
  installErrorTransfer();
  const deps = createWorkerDeps({
    config: resolved,
    vault: new Vault(),
    broadcast: broadcastSession,
    now: () => Date.now(),
    features,
  });
  // Learn where the server's worker-only endpoints are as the worker starts (fetch-router.ts
  // holds cross-origin requests until this answers).
  void deps.endpoints.learn(deps);
  const connections = new Connections(
    (windowId) => createFacade(deps, windowId),
    METHODS,
    publicConfiguration(resolved),
  );

  // A first install activates at once; an update waits until a page asks (after its own
  // protocol handshake), so open tabs never have the worker swapped under them.
  self.addEventListener('install', () => {
    if (!self.registration.active) void self.skipWaiting();
  });
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => routeFetch(event, deps));
  self.addEventListener('message', (event) => {
    const type = (event.data as { type?: unknown } | null)?.type;
    if (type === MESSAGE.connect) event.waitUntil(connections.accept(event));
    else if (type === MESSAGE.keepAlive)
      event.waitUntil(
        new Promise((resolve) =>
          setTimeout(
            resolve,
            resolved.persistence === 'memory' ? MEMORY_KEEP_ALIVE_MS : KEEP_ALIVE_MS,
          ),
        ),
      );
    else if (type === MESSAGE.skipWaiting) event.waitUntil(self.skipWaiting());
    else if (type === MESSAGE.claim) event.waitUntil(self.clients.claim());
  });
}
