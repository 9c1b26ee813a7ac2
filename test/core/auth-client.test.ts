import { EmbeddedJWK, generateKeyPair, jwtVerify } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { AuthClient, type AuthClientOptions } from '../../src/core/auth-client.js';
import { generateDpopKeyPair } from '../../src/core/dpop-key.js';
import {
  IdTokenValidationError,
  InvalidStateError,
  NotSupportedError,
  OAuthError,
  ResponseError,
} from '../../src/core/errors.js';
import type { FetchLike } from '../../src/core/http.js';
import { createFetchStub, type FetchStub, jsonResponse } from '../helpers/fetch-stub.js';
import {
  CLIENT_ID,
  createSigner,
  ISSUER,
  idTokenClaims,
  logoutTokenClaims,
  signJwt,
  type TestSigner,
} from '../helpers/jwt-factory.js';

const DOMAIN = 'tenant.example.com';
const REDIRECT = 'https://app.example/callback';

function discoveryDocument(overrides: Record<string, unknown> = {}) {
  return {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}authorize`,
    token_endpoint: `${ISSUER}oauth/token`,
    userinfo_endpoint: `${ISSUER}userinfo`,
    jwks_uri: `${ISSUER}.well-known/jwks.json`,
    revocation_endpoint: `${ISSUER}oauth/revoke`,
    end_session_endpoint: `${ISSUER}oidc/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    ...overrides,
  };
}

let signer: TestSigner;
beforeAll(async () => {
  signer = await createSigner();
});

function client(stub: FetchStub, options: Partial<AuthClientOptions> = {}) {
  return new AuthClient({
    domain: DOMAIN,
    clientId: CLIENT_ID,
    customFetch: stub.fetch,
    authorizationParams: { redirect_uri: REDIRECT },
    ...options,
  });
}

describe('constructor', () => {
  const fetchStub: FetchLike = async () => new Response();
  const valid: AuthClientOptions = { domain: DOMAIN, clientId: CLIENT_ID, customFetch: fetchStub };

  test.each([
    ['options', undefined],
    ['options', null],
    ['options.domain', { ...valid, domain: undefined }],
    ['options.domain', { ...valid, domain: '' }],
    ['options.domain', { ...valid, domain: 42 }],
    ['options.domain', { ...valid, domain: 'http://tenant.example.com' }],
    ['options.domain', { ...valid, domain: 'https://tenant.example.com/?x=1' }],
    ['options.clientId', { ...valid, clientId: undefined }],
    ['options.clientId', { ...valid, clientId: '' }],
    ['options.clientSecret', { ...valid, clientSecret: 42 }],
    ['options.clientSecret', { ...valid, clientSecret: 's', clientAssertionSigningKey: 'pem' }],
    [
      'options.clientAssertionSigningKey',
      { ...valid, clientSecret: 's', clientAssertionSigningKey: 'pem' },
    ],
    ['options.dpop', { ...valid, dpop: { thumbprint: 'x', createProof: async () => 'p' } }],
    ['options.dpop', { ...valid, dpop: 'key' }],
    ['options.timeoutMs', { ...valid, timeoutMs: -1 }],
    ['options.timeoutMs', { ...valid, timeoutMs: 0 }],
    ['options.timeoutMs', { ...valid, timeoutMs: Number.NaN }],
    ['options.timeoutMs', { ...valid, timeoutMs: Number.POSITIVE_INFINITY }],
    ['options.timeoutMs', { ...valid, timeoutMs: '1000' }],
    ['options.leeway', { ...valid, leeway: -5 }],
    ['options.customFetch', { ...valid, customFetch: 'fetch' }],
    ['options.authorizationParams', { ...valid, authorizationParams: 'scope=openid' }],
  ])('a bad %s is a TypeError naming it', (name, options) => {
    const make = () => new AuthClient(options as AuthClientOptions);
    expect(make).toThrow(TypeError);
    expect(make).toThrow(`"${name}"`);
  });

  test('valid options construct without any request', async () => {
    const stub = createFetchStub();
    const dpop = await generateDpopKeyPair();
    expect(() => client(stub, { dpop, timeoutMs: 500, leeway: 0 })).not.toThrow();
    expect(() => new AuthClient({ domain: 'http://localhost:4000', clientId: 'c' })).not.toThrow();
    expect(stub.requests).toHaveLength(0);
  });
});

describe('requests', () => {
  test('discovery is fetched once and carries the telemetry header', async () => {
    const stub = createFetchStub(jsonResponse(discoveryDocument()));
    const auth = client(stub);
    await auth.getServerMetadata();
    await auth.buildAuthorizationUrl();
    expect(stub.requests).toHaveLength(1);
    const telemetry = stub.requests[0]?.headers.get('auth0-client');
    expect(JSON.parse(atob(telemetry ?? ''))).toMatchObject({ name: 'auth0-enclave' });
  });

  test('telemetry: false sends no Auth0-Client header', async () => {
    const stub = createFetchStub(jsonResponse(discoveryDocument()));
    await client(stub, { telemetry: false }).getServerMetadata();
    expect(stub.requests[0]?.headers.has('auth0-client')).toBe(false);
  });

  test('buildAuthorizationUrl merges configured and per-call parameters, and adds dpop_jkt', async () => {
    const dpop = await generateDpopKeyPair();
    const stub = createFetchStub(jsonResponse(discoveryDocument()));
    const auth = client(stub, {
      dpop,
      authorizationParams: {
        redirect_uri: REDIRECT,
        scope: 'read:notes',
        audience: 'https://api/',
      },
    });
    const request = await auth.buildAuthorizationUrl({
      authorizationParams: { scope: 'offline_access', prompt: 'login' },
    });
    expect(request).not.toHaveProperty('params');
    const search = request.authorizationUrl.searchParams;
    expect(search.get('scope')).toBe('openid read:notes offline_access');
    expect(search.get('audience')).toBe('https://api/');
    expect(search.get('prompt')).toBe('login');
    expect(search.get('dpop_jkt')).toBe(dpop.thumbprint);
  });

  test('getTokenByCode redeems the code and verifies the ID token', async () => {
    const stub = createFetchStub(jsonResponse(discoveryDocument()));
    const auth = client(stub);
    const { state, nonce, codeVerifier } = await auth.buildAuthorizationUrl();
    const idToken = await signJwt(signer, idTokenClaims({ nonce }));
    stub.push(
      jsonResponse({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 60,
        id_token: idToken,
        refresh_token: 'rt',
        scope: 'openid profile email',
      }),
      jsonResponse(signer.jwks),
    );
    const before = Math.floor(Date.now() / 1000);
    const tokens = await auth.getTokenByCode(`${REDIRECT}?code=code-1&state=${state}`, {
      codeVerifier,
      state,
      nonce,
    });
    expect(tokens).toMatchObject({
      accessToken: 'at',
      tokenType: 'Bearer',
      idToken,
      refreshToken: 'rt',
      scope: 'openid profile email',
      claims: { sub: 'auth0|user-1', nonce },
    });
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 60);
    const body = new URLSearchParams(stub.requests[1]?.body ?? '');
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: REDIRECT,
      code_verifier: codeVerifier,
      client_id: CLIENT_ID,
    });
    expect(stub.requests[2]?.url).toBe(`${ISSUER}.well-known/jwks.json`);
  });

  test('a callback with another state is dropped before any code redemption', async () => {
    const stub = createFetchStub(jsonResponse(discoveryDocument()));
    const auth = client(stub);
    const { codeVerifier } = await auth.buildAuthorizationUrl();
    await expect(
      auth.getTokenByCode(`${REDIRECT}?code=code-1&state=forged`, { codeVerifier, state: 'mine' }),
    ).rejects.toBeInstanceOf(InvalidStateError);
    expect(stub.requests).toHaveLength(1);
  });

  test('a missing iss is refused when the server promises one', async () => {
    const stub = createFetchStub(
      jsonResponse(discoveryDocument({ authorization_response_iss_parameter_supported: true })),
    );
    const auth = client(stub);
    await expect(
      auth.getTokenByCode(`${REDIRECT}?code=c&state=s`, { codeVerifier: 'v', state: 's' }),
    ).rejects.toBeInstanceOf(ResponseError);
    expect(stub.requests).toHaveLength(1);
  });

  test('an ID token with the wrong nonce yields no tokens', async () => {
    const stub = createFetchStub(jsonResponse(discoveryDocument()));
    const auth = client(stub);
    const { state, codeVerifier } = await auth.buildAuthorizationUrl();
    stub.push(
      jsonResponse({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 60,
        id_token: await signJwt(signer, idTokenClaims({ nonce: 'other' })),
      }),
      jsonResponse(signer.jwks),
    );
    const attempt = auth.getTokenByCode(`${REDIRECT}?code=c&state=${state}`, {
      codeVerifier,
      state,
      nonce: 'mine',
    });
    await expect(attempt).rejects.toBeInstanceOf(IdTokenValidationError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_id_token' });
  });

  test('a refreshed ID token may carry the original nonce', async () => {
    const stub = createFetchStub(
      jsonResponse(discoveryDocument()),
      jsonResponse({
        access_token: 'at2',
        token_type: 'Bearer',
        expires_in: 60,
        refresh_token: 'rt2',
        id_token: await signJwt(signer, idTokenClaims({ nonce: 'from-login' })),
      }),
      jsonResponse(signer.jwks),
    );
    const tokens = await client(stub).getTokenByRefreshToken({ refreshToken: 'rt1' });
    expect(tokens).toMatchObject({ accessToken: 'at2', refreshToken: 'rt2' });
    expect(new URLSearchParams(stub.requests[1]?.body ?? '').get('refresh_token')).toBe('rt1');
  });

  test('a DPoP client sends proofs and gets DPoP tokens', async () => {
    const dpop = await generateDpopKeyPair();
    const stub = createFetchStub(
      jsonResponse(discoveryDocument()),
      jsonResponse({ access_token: 'at', token_type: 'DPoP', expires_in: 60 }),
    );
    const tokens = await client(stub, { dpop }).getTokenByClientCredentials({
      audience: 'https://api/',
    });
    expect(tokens.tokenType).toBe('DPoP');
    const proof = stub.requests[1]?.headers.get('dpop') ?? '';
    const { payload } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(payload).toMatchObject({ htm: 'POST', htu: `${ISSUER}oauth/token` });
  });

  test('private_key_jwt from the constructor signs client assertions', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const stub = createFetchStub(
      jsonResponse(discoveryDocument()),
      jsonResponse({ access_token: 'at', token_type: 'Bearer', expires_in: 60 }),
    );
    await client(stub, { clientAssertionSigningKey: privateKey }).getTokenByClientCredentials({
      audience: 'https://api/',
    });
    const assertion = new URLSearchParams(stub.requests[1]?.body ?? '').get('client_assertion');
    await expect(
      jwtVerify(assertion ?? '', publicKey, {
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
        audience: ISSUER,
      }),
    ).resolves.toBeDefined();
  });

  test('an OAuth error from a grant is an OAuthError', async () => {
    const stub = createFetchStub(
      jsonResponse(discoveryDocument()),
      jsonResponse(
        { error: 'invalid_grant', error_description: 'Wrong email or password.' },
        { status: 403 },
      ),
    );
    const attempt = client(stub).getTokenByPassword({ username: 'u', password: 'p', realm: 'db' });
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({ error: 'invalid_grant', status: 403 });
    const body = new URLSearchParams(stub.requests[1]?.body ?? '');
    expect(body.get('grant_type')).toBe('http://auth0.com/oauth/grant-type/password-realm');
    expect(body.get('realm')).toBe('db');
  });

  test('verifyLogoutToken checks against the discovered issuer and JWKS', async () => {
    const stub = createFetchStub(jsonResponse(discoveryDocument()), jsonResponse(signer.jwks));
    const token = await signJwt(signer, logoutTokenClaims());
    await expect(client(stub).verifyLogoutToken({ logoutToken: token })).resolves.toEqual({
      sid: 'sid-1',
      sub: 'auth0|user-1',
    });
  });

  test('buildLogoutUrl uses end_session_endpoint when advertised, /v2/logout otherwise', async () => {
    const oidc = await client(createFetchStub(jsonResponse(discoveryDocument()))).buildLogoutUrl({
      returnTo: 'https://app.example/',
      idTokenHint: 'idt',
    });
    expect(`${oidc.origin}${oidc.pathname}`).toBe(`${ISSUER}oidc/logout`);
    expect(Object.fromEntries(oidc.searchParams)).toEqual({
      client_id: CLIENT_ID,
      post_logout_redirect_uri: 'https://app.example/',
      id_token_hint: 'idt',
    });
    const v2 = await client(
      createFetchStub(jsonResponse(discoveryDocument({ end_session_endpoint: undefined }))),
    ).buildLogoutUrl({ returnTo: 'https://app.example/', federated: true });
    expect(`${v2.origin}${v2.pathname}`).toBe(`${ISSUER}v2/logout`);
    expect(v2.searchParams.get('returnTo')).toBe('https://app.example/');
    expect(v2.searchParams.has('federated')).toBe(true);
  });

  test('revokeToken without a revocation endpoint is a NotSupportedError', async () => {
    const stub = createFetchStub(
      jsonResponse(discoveryDocument({ revocation_endpoint: undefined })),
    );
    const attempt = client(stub).revokeToken({ token: 'rt' });
    await expect(attempt).rejects.toBeInstanceOf(NotSupportedError);
    await expect(attempt).rejects.toMatchObject({ code: 'not_supported' });
  });

  test('method options are validated with TypeErrors naming them', async () => {
    const auth = client(createFetchStub());
    // Every method is async, as auth-js's: a caller mistake rejects, it never throws synchronously.
    await expect(auth.getTokenByRefreshToken({ refreshToken: '' })).rejects.toThrow(
      '"options.refreshToken"',
    );
    await expect(auth.getTokenByCode(REDIRECT, { codeVerifier: 'v', state: '' })).rejects.toThrow(
      TypeError,
    );
    await expect(auth.getTokenByClientCredentials({ audience: '' })).rejects.toThrow(TypeError);
  });
});
