/**
 * Everything page JavaScript — and so an XSS — can read from every storage API of this origin:
 * Web Storage, `document.cookie` and the Cookie Store API, every Cache API entry with its headers
 * and body, every IndexedDB record (CryptoKeys described by their public attributes), and the
 * origin private file system. Self-contained (no imports, no closures) so the browser tests hand
 * this very function to `page.evaluate` and play the attacker with it; the sample app shows it.
 */
export async function dumpStorage(): Promise<StorageDump> {
  const snapshot = (value: unknown, depth = 0): unknown => {
    if (value instanceof CryptoKey) {
      return {
        CryptoKey: {
          type: value.type,
          extractable: value.extractable,
          algorithm: value.algorithm.name,
          usages: value.usages,
        },
      };
    }
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value instanceof ArrayBuffer ? value : value.buffer);
      return { bytes: new TextDecoder().decode(bytes) };
    }
    if (value instanceof Blob) return { blob: value.size };
    if (value === null || typeof value !== 'object' || depth > 8) return value;
    if (Array.isArray(value)) return value.map((item) => snapshot(item, depth + 1));
    if (value instanceof Map)
      return [...value.entries()].map(([k, v]) => [snapshot(k, depth + 1), snapshot(v, depth + 1)]);
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
  const request = <T>(req: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });

  const caches: StorageDump['caches'] = {};
  for (const name of await self.caches.keys()) {
    const cache = await self.caches.open(name);
    caches[name] = [];
    for (const entry of await cache.keys()) {
      const response = await cache.match(entry);
      caches[name].push({
        url: entry.url,
        headers: response ? [...response.headers.entries()] : [],
        body: response ? await response.text() : '',
      });
    }
  }
  const indexedDb: StorageDump['indexedDb'] = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const open = indexedDB.open(info.name);
    const db = await request(open as IDBRequest<IDBDatabase>);
    const stores: Record<string, { key: unknown; value: unknown }[]> = {};
    for (const storeName of Array.from(db.objectStoreNames)) {
      const store = db.transaction(storeName).objectStore(storeName);
      const [keys, values] = await Promise.all([
        request(store.getAllKeys()),
        request(store.getAll()),
      ]);
      stores[storeName] = keys.map((key, index) => ({ key, value: snapshot(values[index]) }));
    }
    db.close();
    indexedDb[info.name] = stores;
  }
  const opfs: string[] = [];
  try {
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
      for await (const [name, handle] of (
        dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }
      ).entries()) {
        if (handle.kind === 'file') {
          const file = await (handle as FileSystemFileHandle).getFile();
          opfs.push(`${prefix}${name}: ${await file.text()}`);
        } else await walk(handle as FileSystemDirectoryHandle, `${prefix}${name}/`);
      }
    };
    await walk(await navigator.storage.getDirectory(), '/');
  } catch (error) {
    opfs.push(`unreadable: ${String(error)}`);
  }
  const store = (globalThis as { cookieStore?: { getAll(): Promise<unknown[]> } }).cookieStore;
  return {
    localStorage: webStorage(localStorage),
    sessionStorage: webStorage(sessionStorage),
    cookies: document.cookie,
    cookieStore: store ? await store.getAll() : [],
    caches,
    indexedDb,
    opfs,
  };
}

/** The result of {@link dumpStorage}. */
export interface StorageDump {
  localStorage: Record<string, string | null>;
  sessionStorage: Record<string, string | null>;
  cookies: string;
  cookieStore: unknown[];
  caches: Record<string, { url: string; headers: [string, string][]; body: string }[]>;
  indexedDb: Record<string, Record<string, { key: unknown; value: unknown }[]>>;
  opfs: string[];
}
