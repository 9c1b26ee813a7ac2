import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, test } from 'vitest';
import { adminPost, codeFlow, decodePayload, useTenant } from '../src/testing.js';

// The idTokenClaims fault lets browser tests prove that a client rejects *validly signed* ID
// tokens with wrong claims — which only the tenant, holding the signing key, can produce.
describe('fault: idTokenClaims', async () => {
  const tenant = await useTenant({ afterAll }, { admin: true });

  test('re-signs the ID token with the changed claims, with the real key', async () => {
    const added = await adminPost(tenant.issuer, 'faults', {
      path: '/oauth/token',
      idTokenClaims: { nonce: 'forged', aud: 'someone-else', sid: null },
      times: 1,
    });
    expect(added.status).toBe(200);
    const { tokens } = await codeFlow(tenant.issuer);
    expect(tokens.status).toBe(200);
    const idToken = tokens.body.id_token as string;
    const claims = decodePayload(idToken);
    expect(claims).toMatchObject({ nonce: 'forged', aud: 'someone-else' });
    expect(claims).not.toHaveProperty('sid');
    // Still a valid signature from the tenant's JWKS.
    const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', tenant.issuer));
    await expect(jwtVerify(idToken, jwks, { issuer: tenant.issuer })).resolves.toBeDefined();

    // times: 1 — the next login is untouched.
    const next = await codeFlow(tenant.issuer);
    expect(decodePayload(next.tokens.body.id_token as string).aud).toBe('test-spa');
  });

  test('is validated like any fault', async () => {
    const refused = await adminPost(tenant.issuer, 'faults', {
      path: '/oauth/token',
      idTokenClaims: 'nope',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request' });
  });
});
