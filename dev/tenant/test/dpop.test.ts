import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDpopNonces, createDpopVerifier, DpopProofError } from '../src/resource-server.js';
import {
  type DpopKey,
  dpopKey,
  dpopProof,
  nowSeconds,
  postForm,
  useTenant,
} from '../src/testing.js';

const server = await useTenant({ afterAll, beforeEach });
const tokenUrl = `${server.issuer}oauth/token`;

// A refresh with an unknown token: the proof is checked first, so a good proof gives
// invalid_grant and a bad one invalid_dpop_proof.
const refreshParams = {
  grant_type: 'refresh_token',
  client_id: 'test-spa',
  refresh_token: 'unknown',
};

function withProof(proof: string, params: Record<string, string> = refreshParams) {
  return postForm(tokenUrl, params, { DPoP: proof });
}

describe('DPoP proofs at the token endpoint', () => {
  let key: DpopKey;
  beforeAll(async () => {
    key = await dpopKey();
  });

  it('a good proof passes (and the grant decides)', async () => {
    const response = await withProof(await dpopProof(key, { htu: tokenUrl }));
    expect(response.body.error).toBe('invalid_grant');
  });

  it('ignores the query of htu, as RFC 9449 says', async () => {
    const response = await withProof(await dpopProof(key, { htu: `${tokenUrl}?x=1#y` }));
    expect(response.body.error).toBe('invalid_grant');
  });

  const refused: [string, (key: DpopKey) => Promise<string>, RegExp][] = [
    ['a wrong htu', (k) => dpopProof(k, { htu: `${server.issuer}oauth/revoke` }), /htu/],
    [
      'another origin in htu',
      (k) => dpopProof(k, { htu: tokenUrl.replace('localhost', '127.0.0.1') }),
      /htu/,
    ],
    ['a wrong htm', (k) => dpopProof(k, { htu: tokenUrl, htm: 'GET' }), /htm/],
    ['a stale iat', (k) => dpopProof(k, { htu: tokenUrl, iat: nowSeconds() - 120 }), /iat/],
    [
      'an iat in the future',
      (k) => dpopProof(k, { htu: tokenUrl, iat: nowSeconds() + 120 }),
      /iat/,
    ],
    ['typ JWT', (k) => dpopProof(k, { htu: tokenUrl, header: { typ: 'JWT' } }), /typ/],
    [
      'a signature by another key',
      async (k) => {
        const other = await dpopKey();
        return dpopProof(other, { htu: tokenUrl, header: { jwk: k.jwk } });
      },
      /signature/,
    ],
    [
      'a private key in the jwk header',
      async () => {
        const { privateKey } = await generateKeyPair('ES256', { extractable: true });
        const privateJwk = await exportJWK(privateKey);
        return new SignJWT({
          htm: 'POST',
          htu: tokenUrl,
          jti: crypto.randomUUID(),
          iat: nowSeconds(),
        })
          .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
          .sign(privateKey);
      },
      /private key/,
    ],
    [
      'alg none',
      async (k) => {
        const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
        const header = encode({ alg: 'none', typ: 'dpop+jwt', jwk: k.jwk });
        const payload = encode({
          htm: 'POST',
          htu: tokenUrl,
          jti: crypto.randomUUID(),
          iat: nowSeconds(),
        });
        return `${header}.${payload}.`;
      },
      /compact JWS/,
    ],
    [
      'HS256',
      (k) =>
        new SignJWT({ htm: 'POST', htu: tokenUrl, jti: crypto.randomUUID(), iat: nowSeconds() })
          .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: k.jwk })
          .sign(new TextEncoder().encode('a'.repeat(32))),
      /alg/,
    ],
    [
      'two proofs in one header',
      async (k) =>
        `${await dpopProof(k, { htu: tokenUrl })}, ${await dpopProof(k, { htu: tokenUrl })}`,
      /exactly one/,
    ],
    ['garbage', async () => 'not-a-jwt', /compact JWS/],
  ];
  for (const [name, build, reason] of refused) {
    it(`refuses ${name} with invalid_dpop_proof`, async () => {
      const response = await withProof(await build(key));
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_dpop_proof');
      expect(response.body.error_description).toMatch(reason);
    });
  }

  it('refuses a replayed jti', async () => {
    const proof = await dpopProof(key, { htu: tokenUrl });
    expect((await withProof(proof)).body.error).toBe('invalid_grant');
    const replay = await withProof(proof);
    expect(replay.body.error).toBe('invalid_dpop_proof');
    expect(replay.body.error_description).toMatch(/jti/);
  });

  it('checks proof freshness against the real clock, not the tenant clock', async () => {
    server.tenant.clock.advance(3600);
    const response = await withProof(await dpopProof(key, { htu: tokenUrl }));
    expect(response.body.error).toBe('invalid_grant');
  });

  it('accepts RS256 and EdDSA keys too', async () => {
    for (const alg of ['RS256', 'EdDSA']) {
      const other = await dpopKey(alg);
      expect((await withProof(await dpopProof(other, { htu: tokenUrl }))).body.error).toBe(
        'invalid_grant',
      );
    }
  });

  it('logs the jti and thumbprint of every proof, refused ones included', async () => {
    const stale = await dpopProof(key, {
      htu: tokenUrl,
      iat: nowSeconds() - 600,
      jti: 'stale-jti',
    });
    await withProof(stale);
    const [entry] = server.tenant.admin.requests({ path: '/oauth/token' });
    expect(entry).toMatchObject({
      dpopJti: 'stale-jti',
      dpopJkt: key.jkt,
      status: 400,
      grantType: 'refresh_token',
      clientId: 'test-spa',
    });
  });
});

describe('DPoP nonces at the token endpoint (sample-spa)', () => {
  const spaParams = { ...refreshParams, client_id: 'sample-spa' };
  let key: DpopKey;
  beforeAll(async () => {
    key = await dpopKey();
  });

  async function currentNonce(): Promise<string> {
    const response = await withProof(await dpopProof(key, { htu: tokenUrl }), spaParams);
    expect(response.body.error).toBe('use_dpop_nonce');
    const nonce = response.headers.get('dpop-nonce');
    if (!nonce) throw new Error('no DPoP-Nonce header');
    return nonce;
  }

  it('answers a proof without nonce with use_dpop_nonce and a DPoP-Nonce header', async () => {
    const response = await withProof(await dpopProof(key, { htu: tokenUrl }), spaParams);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('use_dpop_nonce');
    expect(response.body.error_description).toBeTruthy();
    expect(response.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('accepts the nonce on the retry', async () => {
    const nonce = await currentNonce();
    const retry = await withProof(await dpopProof(key, { htu: tokenUrl, nonce }), spaParams);
    expect(retry.body.error).toBe('invalid_grant');
    expect(retry.headers.get('dpop-nonce')).toBe(nonce);
  });

  it('refuses an unknown nonce with use_dpop_nonce', async () => {
    const response = await withProof(
      await dpopProof(key, { htu: tokenUrl, nonce: 'made-up' }),
      spaParams,
    );
    expect(response.body.error).toBe('use_dpop_nonce');
  });

  it('keeps the previous nonce valid across one rotation, not two', async () => {
    const old = await currentNonce();
    const { nonce: rotated } = server.tenant.admin.rotateDpopNonce();
    expect(rotated).not.toBe(old);
    const stillValid = await withProof(
      await dpopProof(key, { htu: tokenUrl, nonce: old }),
      spaParams,
    );
    expect(stillValid.body.error).toBe('invalid_grant');
    expect(stillValid.headers.get('dpop-nonce')).toBe(rotated);
    server.tenant.admin.rotateDpopNonce();
    const tooOld = await withProof(await dpopProof(key, { htu: tokenUrl, nonce: old }), spaParams);
    expect(tooOld.body.error).toBe('use_dpop_nonce');
  });
});

describe('createDpopVerifier (module)', () => {
  const url = 'https://api.example.com/api/me';

  it('checks ath against the access token and returns the thumbprint', async () => {
    const key = await dpopKey();
    const verifier = createDpopVerifier();
    const proof = await dpopProof(key, { htm: 'GET', htu: url, accessToken: 'token-a' });
    const result = await verifier.verify({ proof, method: 'GET', url, accessToken: 'token-a' });
    expect(result.jkt).toBe(key.jkt);
    const wrongAth = await dpopProof(key, { htm: 'GET', htu: url, accessToken: 'token-b' });
    await expect(
      verifier.verify({ proof: wrongAth, method: 'GET', url, accessToken: 'token-a' }),
    ).rejects.toMatchObject({
      code: 'invalid_dpop_proof',
      message: expect.stringMatching(/ath/),
    });
    const noAth = await dpopProof(key, { htm: 'GET', htu: url });
    await expect(
      verifier.verify({ proof: noAth, method: 'GET', url, accessToken: 'token-a' }),
    ).rejects.toBeInstanceOf(DpopProofError);
  });

  it('follows the nonce source it is given', async () => {
    const nonces = createDpopNonces({ lifetimeSeconds: 60 });
    const verifier = createDpopVerifier({ nonces });
    const key = await dpopKey();
    const missing = await dpopProof(key, { htm: 'GET', htu: url });
    await expect(
      verifier.verify({ proof: missing, method: 'GET', url, requireNonce: true }),
    ).rejects.toMatchObject({
      code: 'use_dpop_nonce',
    });
    const good = await dpopProof(key, { htm: 'GET', htu: url, nonce: nonces.current() });
    await expect(
      verifier.verify({ proof: good, method: 'GET', url, requireNonce: true }),
    ).resolves.toMatchObject({
      nonce: nonces.current(),
    });
  });

  it('rotates nonces after their lifetime (injected clock)', () => {
    let now = 1_000;
    const nonces = createDpopNonces({ lifetimeSeconds: 10, now: () => now });
    const first = nonces.current();
    now += 10;
    const second = nonces.current();
    expect(second).not.toBe(first);
    expect(nonces.isValid(first)).toBe(true);
    now += 10;
    expect(nonces.isValid(first)).toBe(false);
    expect(nonces.isValid(second)).toBe(true);
    now += 100;
    expect(nonces.isValid(second)).toBe(false);
  });

  it('refuses symmetric algorithms in its own configuration', () => {
    expect(() => createDpopVerifier({ algorithms: ['HS256'] })).toThrow(TypeError);
  });
});
