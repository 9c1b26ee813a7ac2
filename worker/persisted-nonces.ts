import type { DpopNonceStore } from '../src/core/dpop-nonces.js';
import type { Vault } from './vault.js';

/**
 * DPoP nonces per server origin, in memory and mirrored to IndexedDB, so a worker the browser
 * stopped does not start with a round trip per server to learn the nonce again. Nonces are not
 * secrets: they only prove freshness.
 */
export class PersistedNonces implements DpopNonceStore {
  readonly #vault: Vault;
  #nonces = new Map<string, string>();

  constructor(vault: Vault) {
    this.#vault = vault;
  }

  async load(): Promise<void> {
    this.#nonces = await this.#vault.getNonces();
  }

  get(origin: string): string | undefined {
    return this.#nonces.get(origin);
  }

  async set(origin: string, nonce: string): Promise<void> {
    if (this.#nonces.get(origin) === nonce) return;
    this.#nonces.set(origin, nonce);
    await this.#vault.putNonce(origin, nonce);
  }

  /** Forgets every nonce in memory (the vault is wiped by the caller). */
  clear(): void {
    this.#nonces.clear();
  }
}
