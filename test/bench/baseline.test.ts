import type { RunningServer } from 'auth0-enclave-tenant';
import { API, adminPost, spaClientAt, useTenant } from 'auth0-enclave-tenant/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBaselineSigner } from '../../bench/baseline.js';
import { createSampleApi } from '../../dev/api/index.js';

// The bench's baseline: credentials made in Node ahead of time must be what the API accepts from
// an SDK — a DPoP-bound token for the client and a fresh proof per request with the API's nonce —
// and must be verified in full (a reused proof is refused), or the baseline would leave the API's
// own cost out. Real tenant, real sample API, over HTTP.
const tenant = await useTenant({ afterAll, beforeEach });
const ORIGIN = 'http://localhost:4599';
const servers: RunningServer[] = [];
let strictUrl = '';
let noNonceUrl = '';

beforeAll(async () => {
  const common = {
    issuer: tenant.issuer,
    audience: API,
    clock: tenant.tenant.clock,
    dpop: 'allowed' as const,
    allowedOrigins: [ORIGIN],
  };
  const strict = await createSampleApi({ ...common, requireNonce: true }).listen({ port: 0 });
  const lax = await createSampleApi({ ...common, requireNonce: false }).listen({ port: 0 });
  servers.push(strict, lax);
  strictUrl = `${strict.url}/api/me`;
  noNonceUrl = `${lax.url}/api/me`;
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});
beforeEach(async () => {
  // Like the bench's clients: public, DPoP required with the tenant's nonces.
  const client = spaClientAt(ORIGIN, 'bench-baseline-test');
  expect((await adminPost(tenant.issuer, 'clients', client)).status).toBe(200);
});

const options = (url: string) => ({
  issuer: tenant.issuer,
  clientId: 'bench-baseline-test',
  redirectUri: `${ORIGIN}/callback`,
  audience: API,
  scope: 'openid profile email read:notes',
  url,
});

describe('the bench baseline', () => {
  it('makes one accepted request per pre-made pair, each proof fresh and verified in full', async () => {
    const signer = await createBaselineSigner(options(strictUrl));
    expect(signer.describe).toContain('client bench-baseline-test');
    const credentials = await signer.sign(3);
    expect(new Set(credentials.map((pair) => pair.dpop)).size).toBe(3);
    for (const pair of credentials) {
      const response = await fetch(strictUrl, {
        headers: { Authorization: pair.authorization, DPoP: pair.dpop },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ sub: 'auth0|alice', tokenType: 'DPoP' });
    }
    // The API checks `jti` replay for these as for any proof: a pair cannot be sent twice.
    const first = credentials[0];
    if (!first) throw new Error('no credentials');
    const replay = await fetch(strictUrl, {
      headers: { Authorization: first.authorization, DPoP: first.dpop },
    });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('www-authenticate')).toMatch(/invalid_dpop_proof/);
  });

  it('adds no refresh-token family to the client (no offline_access)', async () => {
    await createBaselineSigner(options(strictUrl));
    const tokens = (await (await fetch(`${tenant.issuer}__admin/tokens`)).json()) as {
      refreshTokens: { clientId: string }[];
    };
    expect(tokens.refreshTokens.filter((t) => t.clientId === 'bench-baseline-test')).toEqual([]);
  });

  it('fails plainly when the API asks for no nonce, rather than signing proofs without one', async () => {
    const signer = await createBaselineSigner(options(noNonceUrl));
    await expect(signer.sign(1)).rejects.toThrow(
      'the API did not ask for a DPoP nonce (HTTP 200); the baseline needs its nonce',
    );
  });

  it('fails plainly when the out-of-band login fails', async () => {
    await expect(
      createBaselineSigner({ ...options(strictUrl), clientId: 'no-such-client' }),
    ).rejects.toThrow(/authorize answered 4\d\d/);
  });
});
