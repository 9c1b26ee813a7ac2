import type { Page } from '@playwright/test';
import { type JWK, SignJWT } from 'jose';

// Page script playing with the worker's key store (THREATS 17, 18): everything here runs in the
// page through `page.evaluate`, as an XSS would, against the vault's database `auth0-enclave`.

/** Reads one store of the vault the way page script can; `[]` when the store is missing. */
export async function readVaultStore(page: Page, store: string): Promise<unknown[]> {
  return page.evaluate(async (store) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('auth0-enclave');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    try {
      if (!db.objectStoreNames.contains(store)) return [];
      return await new Promise<unknown[]>((resolve, reject) => {
        const all = db.transaction(store).objectStore(store).getAll();
        all.onsuccess = () => resolve(all.result as unknown[]);
        all.onerror = () => reject(all.error);
      });
    } finally {
      db.close();
    }
  }, store);
}

/**
 * Page script makes a P-256 key it knows (generated extractable, its private JWK kept), re-imports
 * the private half as a non-extractable CryptoKey and writes the pair into the vault's key store.
 * Returns the private JWK (what the attacker keeps) and its public thumbprint.
 */
export async function plantKnownKey(
  page: Page,
): Promise<{ privateJwk: JsonWebKey; publicJwk: JsonWebKey }> {
  return page.evaluate(async () => {
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const known = (await crypto.subtle.generateKey(algorithm, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const privateJwk = await crypto.subtle.exportKey('jwk', known.privateKey);
    const publicJwk = await crypto.subtle.exportKey('jwk', known.publicKey);
    const privateKey = await crypto.subtle.importKey('jwk', privateJwk, algorithm, false, ['sign']);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('auth0-enclave');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('keys', 'readwrite');
      tx.objectStore('keys').put({ privateKey, publicKey: known.publicKey }, 'dpop');
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return { privateJwk, publicJwk };
  });
}

/** A DPoP proof signed in Node with a key the attacker knows (its private JWK). */
export async function proofWithKnownKey(options: {
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
  url: string;
  method?: string;
  nonce?: string | undefined;
}): Promise<string> {
  const key = await crypto.subtle.importKey(
    'jwk',
    options.privateJwk,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const { kty, crv, x, y } = options.publicJwk;
  return new SignJWT({
    jti: crypto.randomUUID(),
    htm: options.method ?? 'POST',
    htu: options.url,
    ...(options.nonce ? { nonce: options.nonce } : {}),
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty, crv, x, y } as JWK })
    .setIssuedAt()
    .sign(key);
}

/**
 * A refresh-token grant from Node (the attacker's machine) with proofs from `sign`, answering one
 * `use_dpop_nonce` with the server's nonce. Returns the final status and body.
 */
export async function refreshFromElsewhere(options: {
  tokenUrl: string;
  clientId: string;
  refreshToken: string;
  sign: (nonce: string | undefined) => Promise<string>;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  let nonce: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(options.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        dpop: await options.sign(nonce),
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: options.clientId,
        refresh_token: options.refreshToken,
      }),
    });
    const body = (await response.json()) as Record<string, unknown>;
    const next = response.headers.get('dpop-nonce') ?? undefined;
    if (body.error === 'use_dpop_nonce' && attempt === 0 && next) {
      nonce = next;
      continue;
    }
    return { status: response.status, body };
  }
}
