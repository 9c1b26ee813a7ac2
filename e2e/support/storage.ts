import { expect } from '@playwright/test';
import type { StorageDump } from '../../dev/app/storage-dump.js';

export { dumpStorage, type StorageDump } from '../../dev/app/storage-dump.js';

/** The records of one store of the worker's vault in a dump (`[]` when absent). */
export function vaultStore(dump: StorageDump, store: string): { key: unknown; value: unknown }[] {
  return dump.indexedDb['auth0-enclave']?.[store] ?? [];
}

/** Every record of every store of every database, and every other storage API, is empty. */
export function expectNothingStored(dump: StorageDump): void {
  expect(dump.localStorage).toEqual({});
  expect(dump.sessionStorage).toEqual({});
  expect(dump.cookies).toBe('');
  expect(dump.cookieStore).toEqual([]);
  expect(dump.caches).toEqual({});
  expect(dump.opfs).toEqual([]);
  for (const [name, stores] of Object.entries(dump.indexedDb)) {
    for (const [store, records] of Object.entries(stores))
      expect(records, `IndexedDB ${name}/${store} is not empty`).toEqual([]);
  }
}
