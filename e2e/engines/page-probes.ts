// Page functions the adapters and scenarios share. Self-contained (no imports, no closures):
// each is handed to `Tab.evaluate`, which serialises it as source text.

/**
 * Whether the service worker is alive and holds a connection of this origin's pages: on connect
 * the worker takes a Web Lock with a per-connection name (`auth0-enclave:<id>`) and never
 * releases it, and the page queues for the same lock (src/client/worker-connection.ts). While
 * the worker lives the lock is held and the page's request pending; when it stops, the lock is
 * released. `navigator.locks.query()` sees both, in every engine, from any page of the origin.
 */
export async function workerHoldsConnection(): Promise<boolean> {
  const { held = [], pending = [] } = await navigator.locks.query();
  const waited = new Set(
    pending.map((lock) => lock.name).filter((name) => name?.startsWith('auth0-enclave:')),
  );
  return held.some((lock) => lock.name !== undefined && waited.has(lock.name));
}
