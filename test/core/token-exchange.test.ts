// Unit tests of the exchange grants' requests and the My Account API client's error handling,
// with a scripted fetch (the live behaviour is covered by test/integration against the tenant).
import { describe, expect, it } from 'vitest';
import {
  ConnectError,
  completeAccount,
  connectAccount,
  federatedConnectionGrant,
  generateDpopKeyPair,
  HttpError,
  OAuthError,
  ResponseError,
  readConnectCallback,
  tokenExchangeGrant,
} from '../../src/core/index.js';
import { testContext } from '../helpers/context.js';
import { expectError } from '../helpers/expect-error.js';
import { createFetchStub, jsonResponse } from '../helpers/fetch-stub.js';
import { ISSUER } from '../helpers/jwt-factory.js';

const TOKEN = { access_token: 'at', token_type: 'Bearer', expires_in: 60 };

describe('tokenExchangeGrant', () => {
  it('sends the RFC 8693 parameters and repeats array extras', async () => {
    const stub = createFetchStub(jsonResponse({ ...TOKEN, issued_token_type: 'urn:x' }));
    const tokens = await tokenExchangeGrant(testContext({ fetch: stub.fetch }), {
      subjectTokenType: 'urn:acme:legacy',
      subjectToken: 'subject',
      audience: 'https://api/',
      actorToken: 'actor',
      actorTokenType: 'urn:acme:agent',
      extra: { device_id: 'd1', tag: ['a', 'b'] },
    });
    const sent = new URLSearchParams(stub.requests[0]?.body);
    expect(Object.fromEntries(sent)).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:acme:legacy',
      subject_token: 'subject',
      audience: 'https://api/',
      actor_token: 'actor',
      actor_token_type: 'urn:acme:agent',
      device_id: 'd1',
    });
    expect(sent.getAll('tag')).toEqual(['a', 'b']);
    expect(sent.has('scope')).toBe(false);
    expect(tokens.issuedTokenType).toBe('urn:x');
    // An opaque access token has no act to read; nothing is invented.
    expect(tokens.act).toBeUndefined();
  });

  it('refuses reserved extra parameters before sending anything', async () => {
    const stub = createFetchStub();
    await expect(
      tokenExchangeGrant(testContext({ fetch: stub.fetch }), {
        subjectTokenType: 'urn:acme:legacy',
        subjectToken: 'subject',
        extra: { client_id: 'someone-else' },
      }),
    ).rejects.toThrow(TypeError);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('federatedConnectionGrant', () => {
  it('defaults the token types and keeps the provider token as it comes', async () => {
    const stub = createFetchStub(jsonResponse({ ...TOKEN, scope: 'email' }));
    const tokens = await federatedConnectionGrant(testContext({ fetch: stub.fetch }), {
      connection: 'google-oauth2',
      subjectToken: 'auth0-at',
      loginHint: 'a@b.c',
    });
    expect(Object.fromEntries(new URLSearchParams(stub.requests[0]?.body))).toMatchObject({
      grant_type:
        'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      requested_token_type: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
      connection: 'google-oauth2',
      login_hint: 'a@b.c',
    });
    expect(tokens).toMatchObject({ accessToken: 'at', scope: 'email' });
  });

  it('keeps the 401 of a missing connected account as an OAuthError', async () => {
    const stub = createFetchStub(
      jsonResponse(
        { error: 'federated_connection_refresh_token_not_found', error_description: 'x' },
        { status: 401 },
      ),
    );
    await expectError(
      federatedConnectionGrant(testContext({ fetch: stub.fetch }), {
        connection: 'google-oauth2',
        subjectToken: 't',
      }),
      OAuthError,
      { error: 'federated_connection_refresh_token_not_found', status: 401 },
    );
  });
});

describe('My Account API calls', () => {
  const connectOptions = {
    accessToken: 'me-token',
    connection: 'google-oauth2',
    redirectUri: 'https://app.example/callback',
    state: 'st',
    codeChallenge: 'c'.repeat(43),
  };
  const problem = (status: number, body: Record<string, unknown>, headers = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/problem+json', ...headers },
    });

  it('POSTs JSON to <issuer>me/ with a Bearer token', async () => {
    const stub = createFetchStub(
      jsonResponse(
        {
          connect_uri: `${ISSUER}connect`,
          auth_session: 'as',
          connect_params: { ticket: 'tk' },
          expires_in: 300,
        },
        { status: 201 },
      ),
    );
    const started = await connectAccount(testContext({ fetch: stub.fetch }), connectOptions);
    const request = stub.requests[0];
    expect(request?.url).toBe(`${ISSUER}me/v1/connected-accounts/connect`);
    expect(request?.headers.get('authorization')).toBe('Bearer me-token');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      connection: 'google-oauth2',
      redirect_uri: 'https://app.example/callback',
      state: 'st',
      code_challenge: 'c'.repeat(43),
      code_challenge_method: 'S256',
    });
    expect(started.auth_session).toBe('as');
  });

  it('sends a DPoP proof with ath, and retries once with the nonce the API asks for', async () => {
    const dpop = await generateDpopKeyPair();
    const stub = createFetchStub(
      problem(
        401,
        { type: 't', status: 401, title: 'Unauthorized', detail: 'nonce' },
        {
          'dpop-nonce': 'n-1',
          'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="nonce"',
        },
      ),
      jsonResponse({
        id: 'cac_1',
        connection: 'google-oauth2',
        access_type: 'offline',
        created_at: '2025-01-01T00:00:00.000Z',
      }),
    );
    const account = await completeAccount(testContext({ fetch: stub.fetch, dpop }), {
      accessToken: 'bound',
      tokenType: 'DPoP',
      authSession: 'as',
      connectCode: 'cc',
      redirectUri: 'https://app.example/callback',
      codeVerifier: 'v'.repeat(43),
    });
    expect(account.id).toBe('cac_1');
    expect(stub.requests).toHaveLength(2);
    const [first, second] = stub.requests.map((r) => r.headers.get('dpop') ?? '');
    const claims = (proof: string) =>
      JSON.parse(Buffer.from(proof.split('.')[1] ?? '', 'base64url').toString());
    expect(claims(first ?? '')).toMatchObject({ htm: 'POST', ath: expect.any(String) });
    expect(claims(first ?? '').nonce).toBeUndefined();
    expect(claims(second ?? '')).toMatchObject({ nonce: 'n-1' });
    expect(stub.requests[1]?.headers.get('authorization')).toBe('DPoP bound');
  });

  it('turns problem details into a ConnectError with every field', async () => {
    const body = {
      type: 'https://auth0.com/api-errors/A0E-400-0001',
      status: 400,
      title: 'Bad Request',
      detail: 'Invalid input based on schema.',
      validation_errors: [{ detail: 'bad', field: 'connection', pointer: '/connection' }, 'junk'],
    };
    const stub = createFetchStub(problem(400, body));
    const error = await expectError(
      connectAccount(testContext({ fetch: stub.fetch }), connectOptions),
      ConnectError,
      {
        code: 'connect_error',
        error: 'connect_error',
        status: 400,
        type: body.type,
        title: 'Bad Request',
        detail: 'Invalid input based on schema.',
      },
    );
    expect(error.validation_errors).toEqual([
      { detail: 'bad', field: 'connection', pointer: '/connection' },
    ]);
    expect(error.name).toBe('ConnectError');
  });

  it('keeps OAuth error bodies and bare failures as what they are', async () => {
    const oauth = createFetchStub(jsonResponse({ error: 'invalid_token' }, { status: 401 }));
    await expectError(
      connectAccount(testContext({ fetch: oauth.fetch }), connectOptions),
      OAuthError,
      { error: 'invalid_token' },
    );
    const bare = createFetchStub(new Response('<h1>oops</h1>', { status: 502 }));
    await expectError(
      connectAccount(testContext({ fetch: bare.fetch }), connectOptions),
      HttpError,
      { status: 502 },
    );
    const malformed = createFetchStub(jsonResponse({ connect_uri: 'javascript:alert(1)' }));
    await expectError(
      connectAccount(testContext({ fetch: malformed.fetch }), connectOptions),
      ResponseError,
    );
  });

  it('reads the connect callback', () => {
    const base = 'https://app.example/callback';
    expect(readConnectCallback(`${base}?connect_code=cc&state=st`, { state: 'st' })).toBe('cc');
    expect(() =>
      readConnectCallback(`${base}?connect_code=cc&state=st&state=st`, { state: 'st' }),
    ).toThrow(ResponseError);
    expect(() => readConnectCallback(`${base}?state=st`, { state: 'st' })).toThrow(ResponseError);
    expect(() => readConnectCallback('not a url', { state: 'st' })).toThrow(ResponseError);
  });
});
