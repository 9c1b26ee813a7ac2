import { type JWTPayload, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { LogoutTokenValidationError } from '../../src/core/errors.js';
import { verifyLogoutToken } from '../../src/core/logout-token.js';
import {
  CLIENT_ID,
  createSigner,
  ISSUER,
  logoutTokenClaims,
  nowSeconds,
  signJwt,
  type TestSigner,
  without,
} from '../helpers/jwt-factory.js';

let signer: TestSigner;
let stranger: TestSigner;

beforeAll(async () => {
  signer = await createSigner('logout-key');
  stranger = await createSigner('logout-key');
});

function verify(token: string) {
  return verifyLogoutToken(token, {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    jwks: signer.keySet,
    algorithms: ['RS256'],
    leeway: 60,
  });
}

async function expectRejected(token: string) {
  await expect(verify(token)).rejects.toBeInstanceOf(LogoutTokenValidationError);
  await expect(verify(token)).rejects.toMatchObject({
    code: 'invalid_logout_token',
    error: 'invalid_logout_token',
  });
}

const sign = (claims: JWTPayload) => signJwt(signer, claims, { typ: 'logout+jwt' });

describe('verifyLogoutToken', () => {
  test('a token with sid and sub passes', async () => {
    expect(await verify(await sign(logoutTokenClaims()))).toEqual({
      sid: 'sid-1',
      sub: 'auth0|user-1',
    });
  });

  test('a token with only sid passes', async () => {
    expect(await verify(await sign(without(logoutTokenClaims(), 'sub')))).toEqual({ sid: 'sid-1' });
  });

  test('a token with only sub passes', async () => {
    expect(await verify(await sign(without(logoutTokenClaims(), 'sid')))).toEqual({
      sub: 'auth0|user-1',
    });
  });

  test.each([
    ['another audience', { aud: 'other-client' }],
    ['another issuer', { iss: 'https://evil.example/' }],
    ['a nonce (an ID token passed off as a logout token)', { nonce: 'n' }],
    ['events that is not an object', { events: 'logout' }],
    ['events without the back-channel member', { events: { 'http://example.com/other': {} } }],
    [
      'a back-channel member that is not an object',
      { events: { 'http://schemas.openid.net/event/backchannel-logout': true } },
    ],
    ['a non-string sid', { sid: 42 }],
    ['a non-string sub', { sub: 42 }],
    ['an expired exp', { exp: nowSeconds() - 600 }],
  ])('%s is rejected', async (_label, overrides) => {
    await expectRejected(await sign(logoutTokenClaims(overrides as JWTPayload)));
  });

  test.each([
    ['events', ['events']],
    ['jti', ['jti']],
    ['iat', ['iat']],
    ['both sid and sub', ['sid', 'sub']],
  ])('a token without %s is rejected', async (_label, names) => {
    await expectRejected(await sign(without(logoutTokenClaims(), ...names)));
  });

  test('a token signed by another key is rejected', async () => {
    await expectRejected(await signJwt(stranger, logoutTokenClaims()));
  });

  test('an unsigned token is rejected', async () => {
    await expectRejected(new UnsecuredJWT(logoutTokenClaims()).encode());
  });
});
