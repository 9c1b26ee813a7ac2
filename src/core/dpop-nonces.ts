/**
 * Where DPoP nonces are kept. Nonces are per issuing server (RFC 9449 §8, §9): the authorization
 * server's and each resource server's are independent, so the key is the server's origin.
 * The worker persists them (IndexedDB) so a restarted worker does not start with a stale round trip.
 */
export interface DpopNonceStore {
  /** The last nonce the server at `origin` sent, if any. */
  get(origin: string): string | undefined | Promise<string | undefined>;
  /** Keeps the nonce the server at `origin` just sent, replacing the previous one. */
  set(origin: string, nonce: string): void | Promise<void>;
}

/** The default store: a map in memory, per AuthClient. */
export class MemoryDpopNonceStore implements DpopNonceStore {
  readonly #nonces = new Map<string, string>();
  /** The last nonce `origin` sent, if any. */
  get(origin: string): string | undefined {
    return this.#nonces.get(origin);
  }
  /** Keeps the nonce `origin` sent (in a `DPoP-Nonce` header) for its next proof. */
  set(origin: string, nonce: string): void {
    this.#nonces.set(origin, nonce);
  }
}

/** The key a nonce is stored under: the origin of the URL the request went to. */
export function nonceKey(url: string | URL): string {
  return new URL(url).origin;
}

/** A `DPoP-Nonce` header value, if it has RFC 9449's syntax (`1*NQCHAR`, bounded in length). */
export function readNonceHeader(headers: Headers): string | undefined {
  const value = headers.get('dpop-nonce');
  return value && /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/.test(value) ? value : undefined;
}
