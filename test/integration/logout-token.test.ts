// AuthClient.verifyLogoutToken over real HTTP: a logout token the local tenant really sends on
// back-channel logout, and crafted ones signed by a key that a scripted server's JWKS serves.

import { defaultTenantOptions } from 'auth0-enclave-tenant';
import { ALICE, REDIRECT_URI, TEST_SPA, useTenant } from 'auth0-enclave-tenant/testing';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthClient, HttpError, LogoutTokenValidationError } from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { sendJson, startHostileServer } from '../helpers/hostile-server.js';
import {
  CLIENT_ID,
  createSigner,
  idTokenClaims,
  logoutTokenClaims,
  signJwt,
  without,
} from '../helpers/jwt-factory.js';
import { loginAt } from '../helpers/tenant-login.js';

// `impostor`: a key the JWKS does not vouch for.
const [keys, impostor] = await Promise.all([startHostileServer(), createSigner()]);
afterAll(() => keys.close());

describe('a logout token the tenant sends on back-channel logout', async () => {
  const { issuer } = await useTenant(
    { afterAll, beforeEach },
    {
      clients: [
        ...defaultTenantOptions().clients,
        { ...TEST_SPA, clientId: 'bcl-spa', backchannelLogoutUri: `${keys.issuer}backchannel` },
      ],
    },
  );
  beforeEach(() => {
    keys.reset();
    keys.route('/backchannel', ({ response }) => {
      response.writeHead(200);
      response.end();
    });
  });

  it('verifies and names the session (sid) and the user (sub)', async () => {
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'bcl-spa',
      authorizationParams: { redirect_uri: REDIRECT_URI },
    });
    const { authorizationUrl, codeVerifier, state, nonce } = await auth.buildAuthorizationUrl();
    const { callbackUrl, cookie } = await loginAt(authorizationUrl);
    const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });

    const logout = await fetch(await auth.buildLogoutUrl(), {
      redirect: 'manual',
      headers: cookie ? { cookie } : {},
    });
    expect(logout.status).toBe(200);
    const delivery = await vi.waitFor(
      () => {
        const [request] = keys.requestsTo('/backchannel');
        if (!request) throw new Error('no back-channel logout yet');
        return request;
      },
      { timeout: 2_000, interval: 20 },
    );
    const logoutToken = new URLSearchParams(delivery.body).get('logout_token') ?? '';
    expect(await auth.verifyLogoutToken({ logoutToken })).toEqual({
      sid: tokens.claims?.sid,
      sub: ALICE.sub,
    });

    // Meant for bcl-spa: another client of the same tenant must not accept it.
    const other = new AuthClient({ domain: issuer, clientId: 'test-spa' });
    await expectError(other.verifyLogoutToken({ logoutToken }), LogoutTokenValidationError, {
      code: 'invalid_logout_token',
    });
  });
});

describe('crafted logout tokens (keys served by a scripted server)', () => {
  const auth = () => new AuthClient({ domain: keys.issuer, clientId: CLIENT_ID });
  const claims = (overrides = {}) => logoutTokenClaims({ iss: keys.issuer, ...overrides });
  const sign = (payload: object) =>
    signJwt(keys.signer, payload as Record<string, unknown>, { typ: 'logout+jwt' });

  beforeEach(() => keys.reset());

  it('a good token (sid and sub) verifies', async () => {
    expect(await auth().verifyLogoutToken({ logoutToken: await sign(claims()) })).toEqual({
      sid: 'sid-1',
      sub: 'auth0|user-1',
    });
    // The key came from the server's JWKS, over HTTP.
    expect(keys.requestsTo('/.well-known/jwks.json')).toHaveLength(1);
  });

  it('sid alone, or sub alone, is enough', async () => {
    expect(
      await auth().verifyLogoutToken({ logoutToken: await sign(without(claims(), 'sub')) }),
    ).toEqual({ sid: 'sid-1' });
    expect(
      await auth().verifyLogoutToken({ logoutToken: await sign(without(claims(), 'sid')) }),
    ).toEqual({ sub: 'auth0|user-1' });
  });

  const bad: [string, () => Promise<string>][] = [
    ['for another audience', () => sign(claims({ aud: 'another-client' }))],
    ['from another issuer', () => sign(claims({ iss: 'https://elsewhere.example/' }))],
    ['with a nonce', () => sign(claims({ nonce: 'n-1' }))],
    ['without events', () => sign(without(claims(), 'events'))],
    ['with events lacking the back-channel event', () => sign(claims({ events: { other: {} } }))],
    ['without exp', () => sign(without(claims(), 'exp'))],
    ['expired', () => sign(claims({ iat: 1_000, exp: 2_000 }))],
    ['without jti', () => sign(without(claims(), 'jti'))],
    ['without iat', () => sign(without(claims(), 'iat'))],
    ['naming neither sid nor sub', () => sign(without(claims(), 'sid', 'sub'))],
    [
      'an ID token passed off as a logout token',
      () => sign(idTokenClaims({ iss: keys.issuer, jti: 'j-1' })),
    ],
    [
      'with a bad signature (another key under the same kid)',
      () => signJwt({ ...impostor, kid: keys.signer.kid }, claims()),
    ],
    [
      'with alg none',
      async () =>
        `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'logout+jwt' }))}.${base64url.encode(JSON.stringify(claims()))}.`,
    ],
    [
      'HS256-signed with the RSA public key',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: keys.signer.kid })
          .sign(new TextEncoder().encode(keys.signer.publicPem)),
    ],
  ];

  it.each(bad)('a token %s is LogoutTokenValidationError', async (_, make) => {
    await expectError(
      auth().verifyLogoutToken({ logoutToken: await make() }),
      LogoutTokenValidationError,
      { code: 'invalid_logout_token', error: 'invalid_logout_token' },
    );
  });

  it('a JWKS that cannot be fetched is an outage (HttpError), never a verified token', async () => {
    keys.route('/.well-known/jwks.json', ({ response }) => sendJson(response, 500, {}));
    await expectError(auth().verifyLogoutToken({ logoutToken: await sign(claims()) }), HttpError, {
      code: 'http_error',
      status: 500,
    });
  });
});
