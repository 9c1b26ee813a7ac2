/**
 * Everything page JavaScript — and so an XSS — can read from every storage API of this origin:
 * Web Storage, cookies, the Cache API and every IndexedDB database and store. Self-contained (no
 * imports, no closures) so the browser tests can hand this very function to `page.evaluate` and
 * play the attacker with it.
 */
export async function dumpStorage(): Promise<StorageDump> {
  const snapshot = (value: unknown, depth = 0): unknown => {
    if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
      return {
        CryptoKey: {
          type: value.type,
          extractable: value.extractable,
          algorithm: value.algorithm.name,
        },
      };
    }
    if (value === null || typeof value !== 'object' || depth > 6) return value;
    if (Array.isArray(value)) return value.map((item) => snapshot(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = snapshot(item, depth + 1);
    return out;
  };
  const webStorage = (storage: Storage) => {
    const out: Record<string, string | null> = {};
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      if (key !== null) out[key] = storage.getItem(key);
    }
    return out;
  };
  const caches: Record<string, string[]> = {};
  if (typeof self.caches !== 'undefined') {
    for (const name of await self.caches.keys()) {
      const cache = await self.caches.open(name);
      caches[name] = (await cache.keys()).map((request) => request.url);
    }
  }
  const indexedDb: Record<string, Record<string, { key: unknown; value: unknown }[]>> = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(info.name as string);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const stores: Record<string, { key: unknown; value: unknown }[]> = {};
    for (const storeName of Array.from(db.objectStoreNames)) {
      const store = db.transaction(storeName).objectStore(storeName);
      const [keys, values] = await Promise.all(
        [store.getAllKeys(), store.getAll()].map(
          (request) =>
            new Promise<unknown[]>((resolve, reject) => {
              request.onsuccess = () => resolve(request.result as unknown[]);
              request.onerror = () => reject(request.error);
            }),
        ),
      );
      stores[storeName] = (keys ?? []).map((key, index) => ({
        key,
        value: snapshot(values?.[index]),
      }));
    }
    db.close();
    indexedDb[info.name] = stores;
  }
  return {
    localStorage: webStorage(localStorage),
    sessionStorage: webStorage(sessionStorage),
    cookies: document.cookie,
    caches,
    indexedDb,
  };
}

/** The result of {@link dumpStorage}. */
export interface StorageDump {
  localStorage: Record<string, string | null>;
  sessionStorage: Record<string, string | null>;
  cookies: string;
  caches: Record<string, string[]>;
  indexedDb: Record<string, Record<string, { key: unknown; value: unknown }[]>>;
}
