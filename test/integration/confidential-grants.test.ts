// AuthClient's password and client-credentials grants against the real local tenant over HTTP,
// with client_secret_post and private_key_jwt client authentication.

import {
  type ClientConfig,
  defaultTenantOptions,
  type RequestLogEntry,
} from 'auth0-enclave-tenant';
import { ALICE, API, adminGet, TEST_SPA, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt, exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthClient, type AuthClientOptions, OAuthError } from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { type HostileServer, sendJson, startHostileServer } from '../helpers/hostile-server.js';

const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';

const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const assertionKey = { privateKey, pem: await exportPKCS8(privateKey) };
const keyClient: ClientConfig = {
  clientId: 'key-server',
  tokenEndpointAuthMethod: 'private_key_jwt',
  jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' }] },
  grantTypes: ['client_credentials', 'password'],
};
const server = await useTenant(
  { afterAll, beforeEach },
  {
    clients: [...defaultTenantOptions().clients, TEST_SPA, keyClient],
  },
);
const { issuer } = server;

function sampleServer(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'sample-server',
    clientSecret: 'sample-server-secret',
    timeoutMs: 2_000,
    ...options,
  });
}

async function tokenRequests(): Promise<RequestLogEntry[]> {
  return (await adminGet(issuer, 'requests?path=/oauth/token')).body;
}

describe('getTokenByPassword', () => {
  it('returns tokens with a verified ID token (password grant)', async () => {
    const tokens = await sampleServer().getTokenByPassword({
      username: ALICE.email,
      password: ALICE.password,
      audience: API,
      scope: 'openid profile email offline_access read:notes',
    });
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.claims).toMatchObject({ iss: issuer, aud: 'sample-server', sub: ALICE.sub });
    expect(tokens.claims?.nonce).toBeUndefined();
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(decodeJwt(tokens.accessToken)).toMatchObject({
      aud: [API, `${issuer}userinfo`],
      scope: 'openid profile email offline_access read:notes',
      gty: 'password',
    });
    expect((await tokenRequests()).map((entry) => entry.grantType)).toEqual(['password']);
  });

  it('with realm uses the password-realm grant', async () => {
    const tokens = await sampleServer().getTokenByPassword({
      username: ALICE.email,
      password: ALICE.password,
      realm: 'Username-Password-Authentication',
      scope: 'openid',
    });
    expect(tokens.claims?.sub).toBe(ALICE.sub);
    expect(await tokenRequests()).toMatchObject([
      { grantType: PASSWORD_REALM, clientId: 'sample-server', status: 200 },
    ]);
  });

  it('works with private_key_jwt client authentication too', async () => {
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'key-server',
      clientAssertionSigningKey: assertionKey.privateKey,
    });
    const tokens = await auth.getTokenByPassword({
      username: ALICE.email,
      password: ALICE.password,
      scope: 'openid',
    });
    expect(tokens.claims).toMatchObject({ aud: 'key-server', sub: ALICE.sub });
  });

  it('a wrong password is OAuthError invalid_grant (403, as Auth0)', async () => {
    await expectError(
      sampleServer().getTokenByPassword({ username: ALICE.email, password: 'not-wonderland' }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 403 },
    );
  });

  it('a client without the grant is unauthorized_client', async () => {
    const spa = new AuthClient({ domain: issuer, clientId: 'test-spa' });
    await expectError(
      spa.getTokenByPassword({ username: ALICE.email, password: ALICE.password }),
      OAuthError,
      { code: 'oauth_error', error: 'unauthorized_client', status: 403 },
    );
  });

  describe('on the wire (a scripted server records what arrives)', () => {
    let recorder: HostileServer;
    beforeAll(async () => {
      recorder = await startHostileServer();
      recorder.route('/oauth/token', ({ response }) =>
        sendJson(response, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 60 }),
      );
    });
    afterAll(() => recorder.close());

    it('auth0ForwardedFor sends the auth0-forwarded-for header; realm and grant go in the body', async () => {
      const auth = new AuthClient({
        domain: recorder.issuer,
        clientId: 'sample-server',
        clientSecret: 'sample-server-secret',
      });
      await auth.getTokenByPassword({
        username: ALICE.email,
        password: ALICE.password,
        realm: 'Username-Password-Authentication',
        auth0ForwardedFor: '203.0.113.7',
      });
      const [request] = recorder.requestsTo('/oauth/token');
      expect(request?.headers['auth0-forwarded-for']).toBe('203.0.113.7');
      expect(Object.fromEntries(new URLSearchParams(request?.body))).toMatchObject({
        grant_type: PASSWORD_REALM,
        realm: 'Username-Password-Authentication',
        username: ALICE.email,
        client_id: 'sample-server',
        client_secret: 'sample-server-secret',
      });
    });
  });
});

describe('getTokenByClientCredentials', () => {
  it('with clientSecret (client_secret_post): an access token for the API, no ID token', async () => {
    const tokens = await sampleServer().getTokenByClientCredentials({ audience: API });
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.idToken).toBeUndefined();
    expect(tokens.claims).toBeUndefined();
    expect(tokens.refreshToken).toBeUndefined();
    expect(decodeJwt(tokens.accessToken)).toMatchObject({
      iss: issuer,
      sub: 'sample-server@clients',
      aud: API,
      gty: 'client-credentials',
      scope: 'read:notes write:notes',
    });
  });

  it('with organization: the token carries org_id', async () => {
    const tokens = await sampleServer().getTokenByClientCredentials({
      audience: API,
      organization: 'org_wonderland',
    });
    expect(decodeJwt(tokens.accessToken).org_id).toBe('org_wonderland');
  });

  it.each([
    ['a CryptoKey', () => assertionKey.privateKey],
    ['a PKCS#8 PEM', () => assertionKey.pem],
  ])(
    'with clientAssertionSigningKey as %s (private_key_jwt), twice (fresh jti)',
    async (_, key) => {
      const auth = new AuthClient({
        domain: issuer,
        clientId: 'key-server',
        clientAssertionSigningKey: key(),
      });
      for (let i = 0; i < 2; i++) {
        const tokens = await auth.getTokenByClientCredentials({ audience: API });
        expect(decodeJwt(tokens.accessToken)).toMatchObject({
          sub: 'key-server@clients',
          aud: API,
        });
      }
    },
  );

  it('a wrong secret is OAuthError invalid_client with status 401', async () => {
    await expectError(
      sampleServer({ clientSecret: 'wrong' }).getTokenByClientCredentials({ audience: API }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_client', status: 401 },
    );
  });

  it('an assertion signed with an unregistered key is invalid_client with status 401', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'key-server',
      clientAssertionSigningKey: privateKey,
    });
    await expectError(auth.getTokenByClientCredentials({ audience: API }), OAuthError, {
      code: 'oauth_error',
      error: 'invalid_client',
      status: 401,
    });
  });

  it('an unknown audience is access_denied (403)', async () => {
    await expectError(
      sampleServer().getTokenByClientCredentials({ audience: 'https://nobody.example/' }),
      OAuthError,
      { code: 'oauth_error', error: 'access_denied', status: 403 },
    );
  });
});
