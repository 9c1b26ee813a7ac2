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

/**
 * Page script signs DPoP proofs with the key the persisted mode stores (it cannot export it, but
 * it can call `crypto.subtle.sign` with it), for `url`, one per `iat` offset (seconds from now),
 * with the server nonce it finds in the vault's nonce store. Also returns the stored refresh
 * token: what an XSS carries off before the tab closes.
 */
export async function signAheadInPage(
  page: Page,
  options: { url: string; nonceOrigin: string; iatOffsets: number[] },
): Promise<{ proofs: string[]; refreshToken: string | undefined; nonce: string | undefined }> {
  return page.evaluate(async ({ url, nonceOrigin, iatOffsets }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('auth0-enclave');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const get = <T>(store: string, key: string) =>
      new Promise<T | undefined>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result as T | undefined);
        request.onerror = () => reject(request.error);
      });
    const keys = await get<CryptoKeyPair>('keys', 'dpop');
    const session = await get<{ refreshTokens: Record<string, { token: string }> }>(
      'session',
      'current',
    );
    const nonce = await get<string>('nonces', nonceOrigin);
    db.close();
    const refreshToken = Object.values(session?.refreshTokens ?? {})[0]?.token;
    if (!keys) return { proofs: [], refreshToken, nonce };
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
    const encode = (value: unknown) =>
      btoa(typeof value === 'string' ? value : JSON.stringify(value))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const bytes = (buffer: ArrayBuffer) => encode(String.fromCharCode(...new Uint8Array(buffer)));
    const proofs: string[] = [];
    for (const offset of iatOffsets) {
      const header = encode({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty, crv, x, y } });
      const payload = encode({
        jti: crypto.randomUUID(),
        htm: 'POST',
        htu: url,
        iat: Math.floor(Date.now() / 1000) + offset,
        ...(nonce ? { nonce } : {}),
      });
      const signature = await crypto.subtle.sign(
        { name: 'ECDSA', hash: 'SHA-256' },
        keys.privateKey,
        new TextEncoder().encode(`${header}.${payload}`),
      );
      proofs.push(`${header}.${payload}.${bytes(signature)}`);
    }
    return { proofs, refreshToken, nonce };
  }, options);
}

/** One refresh-token grant from Node with the given proof; its status and body. */
export async function refreshWithProof(options: {
  tokenUrl: string;
  clientId: string;
  refreshToken: string;
  proof: string;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(options.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: options.proof },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: options.clientId,
      refresh_token: options.refreshToken,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
