import { decodeProtectedHeader, EmbeddedJWK, generateKeyPair, jwtVerify } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { clientSecretPost, privateKeyJwt } from '../../src/core/client-auth.js';
import { type DpopKeyPair, generateDpopKeyPair } from '../../src/core/dpop-key.js';
import { MemoryDpopNonceStore } from '../../src/core/dpop-nonces.js';
import {
  HttpError,
  MfaRequiredError,
  OAuthError,
  ResponseError,
  UseDpopNonceError,
} from '../../src/core/errors.js';
import type { ReadResponse } from '../../src/core/http.js';
import {
  parseTokenResponse,
  postToTokenEndpoint,
  requestToken,
} from '../../src/core/token-request.js';
import { testContext, testMetadata } from '../helpers/context.js';
import { createFetchStub, jsonResponse, type RecordedRequest } from '../helpers/fetch-stub.js';
import { CLIENT_ID, ISSUER } from '../helpers/jwt-factory.js';

const TOKEN_ENDPOINT = `${ISSUER}oauth/token`;
const TOKENS = { access_token: 'at-1', token_type: 'Bearer', expires_in: 86400 };
const DPOP_TOKENS = { ...TOKENS, token_type: 'DPoP' };
const useDpopNonce = (nonce?: string) =>
  jsonResponse(
    {
      error: 'use_dpop_nonce',
      error_description: 'Authorization server requires nonce in DPoP proof',
    },
    { status: 400, headers: nonce ? { 'dpop-nonce': nonce } : {} },
  );

const form = (request: RecordedRequest | undefined) => new URLSearchParams(request?.body ?? '');

async function proofOf(request: RecordedRequest | undefined) {
  const proof = request?.headers.get('dpop');
  expect(proof).toBeTruthy();
  return (await jwtVerify(proof ?? '', EmbeddedJWK, { typ: 'dpop+jwt' })).payload;
}

let dpop: DpopKeyPair;
beforeAll(async () => {
  dpop = await generateDpopKeyPair();
});

const grant = {
  params: { grant_type: 'refresh_token', refresh_token: 'rt-1', scope: undefined },
  what: 'Refresh',
};

describe('form body and client authentication', () => {
  test('a public client sends a form with client_id and leaves undefined params out', async () => {
    const stub = createFetchStub(jsonResponse(TOKENS));
    const tokens = await requestToken(testContext({ fetch: stub.fetch }), grant);
    expect(tokens).toMatchObject(TOKENS);
    const request = stub.requests[0];
    expect(request?.url).toBe(TOKEN_ENDPOINT);
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.get('accept')).toBe('application/json');
    expect(request?.headers.has('dpop')).toBe(false);
    expect(Object.fromEntries(form(request))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: CLIENT_ID,
    });
  });

  test('client_secret_post puts the secret in the body', async () => {
    const stub = createFetchStub(jsonResponse(TOKENS));
    await requestToken(
      testContext({ fetch: stub.fetch, authenticate: clientSecretPost('s3cret') }),
      grant,
    );
    const body = form(stub.requests[0]);
    expect(body.get('client_id')).toBe(CLIENT_ID);
    expect(body.get('client_secret')).toBe('s3cret');
    expect(stub.requests[0]?.headers.has('authorization')).toBe(false);
  });

  test('private_key_jwt sends a short-lived assertion with a unique jti per request', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const stub = createFetchStub(jsonResponse(TOKENS), jsonResponse(TOKENS));
    const ctx = testContext({ fetch: stub.fetch, authenticate: privateKeyJwt(privateKey) });
    await requestToken(ctx, grant);
    await requestToken(ctx, grant);
    const jtis: unknown[] = [];
    for (const request of stub.requests) {
      const body = form(request);
      expect(body.get('client_id')).toBe(CLIENT_ID);
      expect(body.get('client_assertion_type')).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
      expect(body.has('client_secret')).toBe(false);
      const { payload, protectedHeader } = await jwtVerify(
        body.get('client_assertion') ?? '',
        publicKey,
        {
          issuer: CLIENT_ID,
          subject: CLIENT_ID,
          audience: ISSUER,
          algorithms: ['RS256'],
        },
      );
      expect(protectedHeader.alg).toBe('RS256');
      expect(typeof payload.jti).toBe('string');
      expect(typeof payload.iat).toBe('number');
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeGreaterThan(0);
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300);
      jtis.push(payload.jti);
    }
    expect(new Set(jtis).size).toBe(2);
  });

  test('private_key_jwt accepts a PKCS#8 PEM', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { exportPKCS8 } = await import('jose');
    const pem = await exportPKCS8(privateKey);
    const stub = createFetchStub(jsonResponse(TOKENS));
    await requestToken(
      testContext({ fetch: stub.fetch, authenticate: privateKeyJwt(pem, 'ES256') }),
      grant,
    );
    const assertion = form(stub.requests[0]).get('client_assertion') ?? '';
    await expect(jwtVerify(assertion, publicKey, { audience: ISSUER })).resolves.toBeDefined();
  });

  test('a JSON body carries the JSON fields, the params and the client auth', async () => {
    const stub = createFetchStub(jsonResponse(TOKENS));
    await requestToken(testContext({ fetch: stub.fetch, authenticate: clientSecretPost('s') }), {
      params: { grant_type: 'urn:okta:params:oauth:grant-type:webauthn', realm: undefined },
      json: {
        auth_session: 'sess',
        authn_response: { id: 'cred', response: { clientDataJSON: 'x' } },
      },
      what: 'Passkey',
    });
    const request = stub.requests[0];
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      grant_type: 'urn:okta:params:oauth:grant-type:webauthn',
      auth_session: 'sess',
      authn_response: { id: 'cred', response: { clientDataJSON: 'x' } },
      client_id: CLIENT_ID,
      client_secret: 's',
    });
  });

  test('extra headers are sent; the endpoint can be overridden', async () => {
    const stub = createFetchStub(new Response(null, { status: 200 }));
    await postToTokenEndpoint(testContext({ fetch: stub.fetch }), {
      params: { token: 'rt' },
      headers: { 'auth0-forwarded-for': '203.0.113.7' },
      endpoint: `${ISSUER}oauth/revoke`,
      what: 'Revocation',
    });
    expect(stub.requests[0]?.url).toBe(`${ISSUER}oauth/revoke`);
    expect(stub.requests[0]?.headers.get('auth0-forwarded-for')).toBe('203.0.113.7');
  });
});

describe('DPoP at the token endpoint', () => {
  test('every request carries a fresh proof for POST and the token endpoint', async () => {
    const stub = createFetchStub(jsonResponse(DPOP_TOKENS));
    const tokens = await requestToken(testContext({ fetch: stub.fetch, dpop }), grant);
    expect(tokens.token_type).toBe('DPoP');
    const proof = await proofOf(stub.requests[0]);
    expect(proof).toMatchObject({ htm: 'POST', htu: TOKEN_ENDPOINT });
    expect(proof).not.toHaveProperty('nonce');
    expect(proof).not.toHaveProperty('ath');
    const jwk = decodeProtectedHeader(stub.requests[0]?.headers.get('dpop') ?? '').jwk;
    expect(jwk).not.toHaveProperty('d');
  });

  test('use_dpop_nonce is retried exactly once, with a new proof carrying the nonce', async () => {
    const stub = createFetchStub(useDpopNonce('nonce-A'), jsonResponse(DPOP_TOKENS));
    const tokens = await requestToken(testContext({ fetch: stub.fetch, dpop }), grant);
    expect(tokens.access_token).toBe('at-1');
    expect(stub.requests).toHaveLength(2);
    const first = await proofOf(stub.requests[0]);
    const second = await proofOf(stub.requests[1]);
    expect(first).not.toHaveProperty('nonce');
    expect(second.nonce).toBe('nonce-A');
    expect(second.jti).not.toBe(first.jti);
    expect(typeof second.iat).toBe('number');
    expect(stub.requests[1]?.headers.get('dpop')).not.toBe(stub.requests[0]?.headers.get('dpop'));
    // The body (and client auth) is sent again in full.
    expect(form(stub.requests[1]).get('refresh_token')).toBe('rt-1');
  });

  test('a second use_dpop_nonce is a UseDpopNonceError, with no third attempt', async () => {
    const stub = createFetchStub(
      useDpopNonce('nonce-A'),
      useDpopNonce('nonce-B'),
      jsonResponse(DPOP_TOKENS),
    );
    const attempt = requestToken(testContext({ fetch: stub.fetch, dpop }), grant);
    await expect(attempt).rejects.toBeInstanceOf(UseDpopNonceError);
    await expect(attempt).rejects.toMatchObject({
      code: 'use_dpop_nonce',
      error: 'use_dpop_nonce',
    });
    expect(stub.requests).toHaveLength(2);
  });

  test('use_dpop_nonce without a DPoP-Nonce header is not retried', async () => {
    const stub = createFetchStub(useDpopNonce(), jsonResponse(DPOP_TOKENS));
    const attempt = requestToken(testContext({ fetch: stub.fetch, dpop }), grant);
    await expect(attempt).rejects.toBeInstanceOf(UseDpopNonceError);
    await expect(attempt).rejects.toMatchObject({ code: 'use_dpop_nonce' });
    expect(stub.requests).toHaveLength(1);
  });

  test('use_dpop_nonce repeating the nonce just sent is not retried', async () => {
    const nonces = new MemoryDpopNonceStore();
    nonces.set(new URL(ISSUER).origin, 'nonce-A');
    const stub = createFetchStub(useDpopNonce('nonce-A'), jsonResponse(DPOP_TOKENS));
    const attempt = requestToken(testContext({ fetch: stub.fetch, dpop, nonces }), grant);
    await expect(attempt).rejects.toBeInstanceOf(UseDpopNonceError);
    expect(stub.requests).toHaveLength(1);
    expect((await proofOf(stub.requests[0])).nonce).toBe('nonce-A');
  });

  test('use_dpop_nonce without a DPoP key is a plain OAuthError', async () => {
    const stub = createFetchStub(useDpopNonce('nonce-A'));
    const attempt = requestToken(testContext({ fetch: stub.fetch }), grant);
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({ error: 'use_dpop_nonce', status: 400 });
    expect(stub.requests).toHaveLength(1);
  });

  test('invalid_dpop_proof is final', async () => {
    const stub = createFetchStub(
      jsonResponse(
        { error: 'invalid_dpop_proof' },
        { status: 400, headers: { 'dpop-nonce': 'n' } },
      ),
    );
    const attempt = requestToken(testContext({ fetch: stub.fetch, dpop }), grant);
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({
      code: 'oauth_error',
      error: 'invalid_dpop_proof',
    });
    expect(stub.requests).toHaveLength(1);
  });

  test('nonces are stored per origin and sent on the next request to that origin only', async () => {
    const nonces = new MemoryDpopNonceStore();
    const other = 'https://other-as.example';
    nonces.set(other, 'other-nonce');
    const stub = createFetchStub(
      jsonResponse(DPOP_TOKENS, { headers: { 'dpop-nonce': 'fresh-1' } }),
      jsonResponse(DPOP_TOKENS),
    );
    const ctx = testContext({ fetch: stub.fetch, dpop, nonces });
    await requestToken(ctx, grant);
    expect(nonces.get(new URL(ISSUER).origin)).toBe('fresh-1');
    expect(nonces.get(other)).toBe('other-nonce');
    await requestToken(ctx, grant);
    expect((await proofOf(stub.requests[0])).nonce).toBeUndefined();
    expect((await proofOf(stub.requests[1])).nonce).toBe('fresh-1');
  });

  test('a nonce sent with an error response is stored too', async () => {
    const nonces = new MemoryDpopNonceStore();
    const stub = createFetchStub(
      jsonResponse({ error: 'invalid_grant' }, { status: 400, headers: { 'dpop-nonce': 'n-9' } }),
    );
    await expect(
      requestToken(testContext({ fetch: stub.fetch, dpop, nonces }), grant),
    ).rejects.toBeInstanceOf(OAuthError);
    expect(nonces.get(new URL(ISSUER).origin)).toBe('n-9');
  });

  test('a malformed DPoP-Nonce header is ignored', async () => {
    const nonces = new MemoryDpopNonceStore();
    const stub = createFetchStub(
      jsonResponse(DPOP_TOKENS, { headers: { 'dpop-nonce': 'has space' } }),
    );
    await requestToken(testContext({ fetch: stub.fetch, dpop, nonces }), grant);
    expect(nonces.get(new URL(ISSUER).origin)).toBeUndefined();
  });
});

describe('error responses', () => {
  test('mfa_required is an MfaRequiredError with mfa_token and mfa_requirements', async () => {
    const stub = createFetchStub(
      jsonResponse(
        {
          error: 'mfa_required',
          error_description: 'Multifactor authentication required',
          mfa_token: 'mfa-token-1',
          mfa_requirements: { challenge: [{ type: 'otp' }, { type: 'oob' }] },
        },
        { status: 403 },
      ),
    );
    const error = await requestToken(testContext({ fetch: stub.fetch }), grant).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MfaRequiredError);
    expect(error).toMatchObject({
      code: 'mfa_required',
      error: 'mfa_required',
      mfa_token: 'mfa-token-1',
      mfa_requirements: { challenge: [{ type: 'otp' }, { type: 'oob' }] },
    });
  });

  test.each([
    [400, 'invalid_grant'],
    [401, 'invalid_client'],
    [403, 'unauthorized_client'],
    [429, 'too_many_attempts'],
  ])('HTTP %i %s is an OAuthError with status and error', async (status, error) => {
    const stub = createFetchStub(jsonResponse({ error, error_description: 'Nope' }, { status }));
    const thrown = await requestToken(testContext({ fetch: stub.fetch }), grant).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(OAuthError);
    expect(thrown).toMatchObject({ code: 'oauth_error', error, status, error_description: 'Nope' });
  });

  test('a 5xx HTML page is an HttpError', async () => {
    const stub = createFetchStub(
      new Response('<html><body>Bad gateway</body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      }),
    );
    const thrown = await requestToken(testContext({ fetch: stub.fetch }), grant).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(HttpError);
    expect(thrown).toMatchObject({ code: 'http_error', status: 502 });
  });

  test('a 200 that is not JSON is a ResponseError', async () => {
    const stub = createFetchStub(new Response('<html>login</html>', { status: 200 }));
    const thrown = await requestToken(testContext({ fetch: stub.fetch }), grant).catch(
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(ResponseError);
    expect(thrown).toMatchObject({ code: 'invalid_response' });
  });
});

describe('parseTokenResponse', () => {
  const read = (body: unknown): ReadResponse => ({
    status: 200,
    headers: new Headers(),
    text: JSON.stringify(body),
  });

  test('normalises token_type and keeps the other fields', () => {
    expect(
      parseTokenResponse(read({ ...TOKENS, token_type: 'bearer', scope: 'openid' }), 'T', false),
    ).toEqual({
      ...TOKENS,
      token_type: 'Bearer',
      scope: 'openid',
    });
    expect(parseTokenResponse(read({ ...TOKENS, token_type: 'dpop' }), 'T', true).token_type).toBe(
      'DPoP',
    );
    expect(parseTokenResponse(read({ ...TOKENS, token_type: 'N_A' }), 'T', false).token_type).toBe(
      'N_A',
    );
  });

  test.each([
    ['a missing access_token', { token_type: 'Bearer', expires_in: 60 }],
    ['an empty access_token', { ...TOKENS, access_token: '' }],
    ['a non-string access_token', { ...TOKENS, access_token: 42 }],
    ['a missing token_type', { access_token: 'a', expires_in: 60 }],
    ['an unknown token_type', { ...TOKENS, token_type: 'MAC' }],
    ['token_type DPoP when no proof was sent', DPOP_TOKENS],
    ['a missing expires_in', { access_token: 'a', token_type: 'Bearer' }],
    ['a non-numeric expires_in', { ...TOKENS, expires_in: '3600' }],
    ['a negative expires_in', { ...TOKENS, expires_in: -1 }],
    ['a non-string refresh_token', { ...TOKENS, refresh_token: { token: 'x' } }],
    ['a non-string id_token', { ...TOKENS, id_token: 1 }],
    ['a non-string scope', { ...TOKENS, scope: ['openid'] }],
  ])('%s is a ResponseError', (_label, body) => {
    let thrown: unknown;
    try {
      parseTokenResponse(read(body), 'T', false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResponseError);
    expect(thrown).toMatchObject({
      code: 'invalid_response',
      error: 'invalid_response',
      status: 200,
    });
  });

  test('token_type DPoP without a DPoP key in the context is refused by requestToken', async () => {
    const stub = createFetchStub(jsonResponse(DPOP_TOKENS));
    await expect(requestToken(testContext({ fetch: stub.fetch }), grant)).rejects.toBeInstanceOf(
      ResponseError,
    );
  });
});

test('the issuer used for assertions is the metadata issuer', async () => {
  const seen: string[] = [];
  const stub = createFetchStub(jsonResponse(TOKENS));
  await requestToken(
    testContext({
      fetch: stub.fetch,
      metadata: testMetadata({ issuer: 'https://custom.example/' }),
      authenticate: async ({ clientId, issuer }) => {
        seen.push(issuer);
        return { client_id: clientId };
      },
    }),
    grant,
  );
  expect(seen).toEqual(['https://custom.example/']);
});
