import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import { describe, expect, test } from 'vitest';
import {
  DpopKeyPair,
  generateDpopCryptoKeyPair,
  generateDpopKeyPair,
  htu,
} from '../../src/core/dpop-key.js';

async function verifyProof(proof: string) {
  return jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
}

describe('DPoP proofs', () => {
  test('have typ dpop+jwt, alg ES256 and a public-only jwk, and verify with it', async () => {
    const key = await generateDpopKeyPair();
    const proof = await key.createProof({ method: 'post', url: 'https://as.example/oauth/token' });
    const header = decodeProtectedHeader(proof);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.alg).toBe('ES256');
    expect(header.jwk).toBeDefined();
    expect(Object.keys(header.jwk ?? {}).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(header.jwk).not.toHaveProperty('d');
    const { payload } = await verifyProof(proof);
    expect(payload.htm).toBe('POST');
    expect(payload.htu).toBe('https://as.example/oauth/token');
    expect(typeof payload.jti).toBe('string');
    expect(typeof payload.iat).toBe('number');
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
    expect(payload).not.toHaveProperty('nonce');
    expect(payload).not.toHaveProperty('ath');
  });

  test('htu strips the query and fragment and normalises the URL', async () => {
    const key = await generateDpopKeyPair();
    const proof = await key.createProof({
      method: 'GET',
      url: 'https://EXAMPLE.com:443/a/../b?x#y',
    });
    expect((await verifyProof(proof)).payload.htu).toBe('https://example.com/b');
  });

  test('every proof has a fresh jti', async () => {
    const key = await generateDpopKeyPair();
    const proofs = await Promise.all(
      Array.from({ length: 10 }, () =>
        key.createProof({ method: 'GET', url: 'https://rs.example/' }),
      ),
    );
    const jtis = await Promise.all(
      proofs.map(async (proof) => (await verifyProof(proof)).payload.jti),
    );
    expect(new Set(jtis).size).toBe(10);
  });

  test('ath is base64url(SHA-256(access token))', async () => {
    const key = await generateDpopKeyPair();
    const token = 'eyJ.access.token';
    const proof = await key.createProof({
      method: 'GET',
      url: 'https://rs.example/',
      accessToken: token,
    });
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)),
    );
    expect((await verifyProof(proof)).payload.ath).toBe(base64url.encode(digest));
  });

  test('nonce is present only when given', async () => {
    const key = await generateDpopKeyPair();
    const withNonce = await key.createProof({
      method: 'GET',
      url: 'https://rs.example/',
      nonce: 'n-1',
    });
    expect((await verifyProof(withNonce)).payload.nonce).toBe('n-1');
    const without = await key.createProof({
      method: 'GET',
      url: 'https://rs.example/',
      nonce: undefined,
    });
    expect((await verifyProof(without)).payload).not.toHaveProperty('nonce');
  });

  test('the header jwk thumbprint is the handle thumbprint', async () => {
    const key = await generateDpopKeyPair();
    const proof = await key.createProof({ method: 'GET', url: 'https://rs.example/' });
    const jwk = decodeProtectedHeader(proof).jwk;
    expect(jwk).toBeDefined();
    expect(await calculateJwkThumbprint(jwk ?? {}, 'sha256')).toBe(key.thumbprint);
  });
});

describe('htu', () => {
  test.each([
    ['https://EXAMPLE.com:443/a/../b?x#y', 'https://example.com/b'],
    ['https://example.com', 'https://example.com/'],
    ['http://localhost:3000/x/y?z=1', 'http://localhost:3000/x/y'],
    ['https://example.com:8443/p#f', 'https://example.com:8443/p'],
  ])('%s → %s', (input, expected) => {
    expect(htu(input)).toBe(expected);
    expect(htu(new URL(input))).toBe(expected);
  });
});

describe('key handling', () => {
  test('generated private keys cannot be exported', async () => {
    const { privateKey, publicKey } = await generateDpopCryptoKeyPair();
    expect(privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', privateKey)).rejects.toThrow();
    await expect(crypto.subtle.exportKey('pkcs8', privateKey)).rejects.toThrow();
    // The public key is exportable (it goes into every proof).
    await expect(crypto.subtle.exportKey('jwk', publicKey)).resolves.toBeDefined();
  });

  test('the thumbprint equals jose calculateJwkThumbprint of the public key', async () => {
    const pair = await generateDpopCryptoKeyPair();
    const handle = await DpopKeyPair.fromCryptoKeyPair(pair);
    expect(handle.thumbprint).toBe(
      await calculateJwkThumbprint(await exportJWK(pair.publicKey), 'sha256'),
    );
    expect(handle.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('JSON.stringify shows only the thumbprint', async () => {
    const handle = await generateDpopKeyPair();
    expect(JSON.parse(JSON.stringify(handle))).toEqual({ thumbprint: handle.thumbprint });
    expect(Object.keys(handle)).toEqual(['thumbprint']);
  });

  test('fromCryptoKeyPair refuses an extractable private key', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    await expect(DpopKeyPair.fromCryptoKeyPair(pair)).rejects.toThrow(TypeError);
    await expect(DpopKeyPair.fromCryptoKeyPair(pair)).rejects.toThrow('"keys.privateKey"');
  });

  test('fromCryptoKeyPair refuses keys that are not ECDSA P-256', async () => {
    const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    await expect(DpopKeyPair.fromCryptoKeyPair(p384)).rejects.toThrow(TypeError);
    const rsa = await generateKeyPair('RS256');
    await expect(DpopKeyPair.fromCryptoKeyPair(rsa)).rejects.toThrow(TypeError);
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'key'],
    ['an empty object', {}],
    ['swapped keys', 'swap'],
  ])('fromCryptoKeyPair refuses %s', async (_label, value) => {
    let keys: unknown = value;
    if (value === 'swap') {
      const pair = await generateDpopCryptoKeyPair();
      keys = { privateKey: pair.publicKey, publicKey: pair.privateKey };
    }
    await expect(DpopKeyPair.fromCryptoKeyPair(keys as CryptoKeyPair)).rejects.toThrow(TypeError);
  });

  test('a pair read back (same CryptoKeys) signs proofs with the same thumbprint', async () => {
    const pair = await generateDpopCryptoKeyPair();
    const a = await DpopKeyPair.fromCryptoKeyPair(pair);
    const b = await DpopKeyPair.fromCryptoKeyPair(pair);
    expect(a.thumbprint).toBe(b.thumbprint);
    const proof = await b.createProof({ method: 'GET', url: 'https://rs.example/' });
    await expect(verifyProof(proof)).resolves.toBeDefined();
  });
});
