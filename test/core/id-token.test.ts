import { type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { IdTokenValidationError } from '../../src/core/errors.js';
import {
  type IdTokenExpectations,
  idTokenAlgorithms,
  verifyIdToken,
} from '../../src/core/id-token.js';
import {
  CLIENT_ID,
  createSigner,
  ISSUER,
  idTokenClaims,
  nowSeconds,
  signJwt,
  type TestSigner,
  without,
} from '../helpers/jwt-factory.js';

let signer: TestSigner;
let stranger: TestSigner;

beforeAll(async () => {
  signer = await createSigner('server-key');
  // Same kid, different key: a forged token the server's JWKS resolves but cannot verify.
  stranger = await createSigner('server-key');
});

function expectations(overrides: Partial<IdTokenExpectations> = {}): IdTokenExpectations {
  return {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    jwks: signer.keySet,
    algorithms: ['RS256'],
    leeway: 60,
    nonce: 'nonce-1',
    ...overrides,
  };
}

async function expectRejected(token: string, overrides: Partial<IdTokenExpectations> = {}) {
  const attempt = verifyIdToken(token, expectations(overrides));
  await expect(attempt).rejects.toBeInstanceOf(IdTokenValidationError);
  await expect(verifyIdToken(token, expectations(overrides))).rejects.toMatchObject({
    name: 'IdTokenValidationError',
    code: 'invalid_id_token',
    error: 'invalid_id_token',
  });
}

const sign = (claims: JWTPayload) => signJwt(signer, claims);

describe('verifyIdToken', () => {
  test('a valid token passes and its claims are returned', async () => {
    const claims = await verifyIdToken(await sign(idTokenClaims({ name: 'Ada' })), expectations());
    expect(claims).toMatchObject({
      sub: 'auth0|user-1',
      iss: ISSUER,
      nonce: 'nonce-1',
      name: 'Ada',
    });
  });

  test('a token signed by another key is rejected', async () => {
    await expectRejected(await signJwt(stranger, idTokenClaims()));
  });

  test('a tampered payload is rejected', async () => {
    const [header, , signature] = (await sign(idTokenClaims())).split('.');
    const forged = Buffer.from(JSON.stringify(idTokenClaims({ sub: 'auth0|admin' }))).toString(
      'base64url',
    );
    await expectRejected(`${header}.${forged}.${signature}`);
  });

  test('alg none is rejected', async () => {
    await expectRejected(new UnsecuredJWT(idTokenClaims()).encode());
  });

  test('HS256 signed with the RSA public key bytes (key confusion) is rejected', async () => {
    const secret = new TextEncoder().encode(signer.publicPem);
    const token = await new SignJWT(idTokenClaims())
      .setProtectedHeader({ alg: 'HS256', kid: signer.kid })
      .sign(secret);
    await expectRejected(token);
    // Even a caller who wrongly allows HS256 gets no key for it from an RSA JWKS.
    await expectRejected(token, { algorithms: ['RS256', 'HS256'] });
  });

  test('an algorithm outside the allow-list is rejected', async () => {
    await expectRejected(await sign(idTokenClaims()), { algorithms: ['ES256'] });
  });

  test.each([
    ['another issuer', { iss: 'https://evil.example/' }],
    ['the issuer without its trailing slash', { iss: ISSUER.slice(0, -1) }],
    ['another audience', { aud: 'other-client' }],
    ['several audiences without azp', { aud: [CLIENT_ID, 'other-client'] }],
    ['an azp that is not this client', { azp: 'other-client' }],
    ['several audiences with a foreign azp', { aud: [CLIENT_ID, 'other'], azp: 'other' }],
    ['a wrong nonce', { nonce: 'nonce-2' }],
    ['a non-numeric iat', { iat: 'yesterday' }],
  ])('%s is rejected', async (_label, overrides) => {
    await expectRejected(await sign(idTokenClaims(overrides as JWTPayload)));
  });

  test('several audiences with azp = this client pass', async () => {
    const token = await sign(
      idTokenClaims({ aud: [CLIENT_ID, 'https://api.example/'], azp: CLIENT_ID }),
    );
    await expect(verifyIdToken(token, expectations())).resolves.toMatchObject({ azp: CLIENT_ID });
  });

  test.each(['sub', 'iat', 'exp', 'iss', 'aud'])(
    'a token without %s is rejected',
    async (claim) => {
      await expectRejected(await sign(without(idTokenClaims(), claim)));
    },
  );

  test('an empty sub is rejected', async () => {
    await expectRejected(await sign(idTokenClaims({ sub: '' })));
  });

  test('a missing nonce is rejected when one was sent', async () => {
    await expectRejected(await sign(without(idTokenClaims(), 'nonce')));
  });

  test('an unexpected nonce is rejected, except for refreshed tokens', async () => {
    const token = await sign(idTokenClaims());
    await expectRejected(token, { nonce: undefined });
    await expect(
      verifyIdToken(token, expectations({ nonce: undefined, refreshed: true })),
    ).resolves.toMatchObject({ sub: 'auth0|user-1' });
    await expect(
      verifyIdToken(
        await sign(without(idTokenClaims(), 'nonce')),
        expectations({ nonce: undefined }),
      ),
    ).resolves.toBeDefined();
  });

  test('expiry: within the leeway passes, beyond it is rejected', async () => {
    const now = nowSeconds();
    const within = await sign(idTokenClaims({ iat: now - 3600, exp: now - 30 }));
    await expect(verifyIdToken(within, expectations({ leeway: 60 }))).resolves.toBeDefined();
    const beyond = await sign(idTokenClaims({ iat: now - 3600, exp: now - 120 }));
    await expectRejected(beyond, { leeway: 60 });
    await expectRejected(within, { leeway: 0 });
  });

  test('expiry is judged against the injected clock', async () => {
    const token = await sign(idTokenClaims());
    const later = () => new Date(Date.now() + 2 * 3600 * 1000);
    await expectRejected(token, { now: later });
  });

  test('a token not yet valid (nbf beyond the leeway) is rejected', async () => {
    await expectRejected(await sign(idTokenClaims({ nbf: nowSeconds() + 600 })));
  });

  describe('max_age', () => {
    test('auth_time is required', async () => {
      await expectRejected(await sign(idTokenClaims()), { maxAge: 300 });
    });

    test('a recent auth_time passes; one older than max_age + leeway is rejected', async () => {
      const now = nowSeconds();
      const recent = await sign(idTokenClaims({ auth_time: now - 100 }));
      await expect(verifyIdToken(recent, expectations({ maxAge: 300 }))).resolves.toBeDefined();
      const withinLeeway = await sign(idTokenClaims({ auth_time: now - 330 }));
      await expect(
        verifyIdToken(withinLeeway, expectations({ maxAge: 300, leeway: 60 })),
      ).resolves.toBeDefined();
      const old = await sign(idTokenClaims({ auth_time: now - 400 }));
      await expectRejected(old, { maxAge: 300, leeway: 60 });
    });

    test('a non-numeric auth_time is rejected', async () => {
      await expectRejected(await sign(idTokenClaims({ auth_time: String(nowSeconds()) })), {
        maxAge: 300,
      });
    });
  });

  describe('organization', () => {
    test('by id: org_id must match', async () => {
      const token = await sign(idTokenClaims({ org_id: 'org_123', org_name: 'acme' }));
      await expect(
        verifyIdToken(token, expectations({ organization: 'org_123' })),
      ).resolves.toMatchObject({ org_id: 'org_123' });
      await expectRejected(token, { organization: 'org_456' });
      await expectRejected(await sign(idTokenClaims({ org_name: 'org_123' })), {
        organization: 'org_123',
      });
    });

    test('by name: org_name must match, case-insensitively', async () => {
      const token = await sign(idTokenClaims({ org_id: 'org_123', org_name: 'acme' }));
      await expect(
        verifyIdToken(token, expectations({ organization: 'acme' })),
      ).resolves.toBeDefined();
      await expect(
        verifyIdToken(token, expectations({ organization: 'ACME' })),
      ).resolves.toBeDefined();
      await expectRejected(token, { organization: 'other' });
      await expectRejected(await sign(idTokenClaims({ org_id: 'acme' })), { organization: 'acme' });
    });

    test('no organization asked: organization claims are not checked', async () => {
      const token = await sign(idTokenClaims({ org_id: 'org_123' }));
      await expect(verifyIdToken(token, expectations())).resolves.toBeDefined();
    });
  });
});

describe('idTokenAlgorithms', () => {
  test('keeps only asymmetric algorithms, RS256 when silent or nothing is left', () => {
    expect(idTokenAlgorithms(undefined)).toEqual(['RS256']);
    expect(idTokenAlgorithms(['HS256', 'none'])).toEqual(['RS256']);
    expect(idTokenAlgorithms(['HS256', 'RS256', 'ES256'])).toEqual(['RS256', 'ES256']);
  });
});
