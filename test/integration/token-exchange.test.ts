// AuthClient.exchangeToken (Custom Token Exchange and Token Vault) and getTokenForConnection
// against the real local tenant over HTTP.

import {
  type ClientConfig,
  defaultTenantOptions,
  type RequestLogEntry,
  SAMPLE_SUBJECT_TOKEN,
  SAMPLE_SUBJECT_TOKEN_TYPE,
} from 'auth0-enclave-tenant';
import { ALICE, API, adminGet, adminPost, TEST_SPA, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  generateDpopKeyPair,
  IdTokenValidationError,
  OAuthError,
  REFRESH_TOKEN_TYPE,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';

const CTE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const VAULT = 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
const AGENT_TYPE = 'urn:acme:agent-token';
const GOOGLE = {
  connection: 'google-oauth2',
  user_id: ALICE.sub,
  access_token: 'ya29.alice',
  scope: 'openid email',
};

/** A public SPA allowed both exchanges, DPoP required (as the service worker will use them). */
const EXCHANGE_SPA: ClientConfig = {
  ...TEST_SPA,
  clientId: 'exchange-spa',
  grantTypes: ['refresh_token', CTE, VAULT],
  dpop: 'required',
  dpopNonce: true,
};

const defaults = defaultTenantOptions();
const server = await useTenant(
  { afterAll, beforeEach },
  {
    clients: [...defaults.clients, TEST_SPA, EXCHANGE_SPA],
    tokenExchangeProfiles: [
      ...defaults.tokenExchangeProfiles,
      { subjectTokenType: AGENT_TYPE, tokens: { 'agent-token-1': 'agent|calendar-bot' } },
    ],
  },
);
const { issuer } = server;

function sampleServer(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'sample-server',
    clientSecret: 'sample-server-secret',
    timeoutMs: 5_000,
    ...options,
  });
}

async function lastTokenRequest(): Promise<RequestLogEntry | undefined> {
  return (await adminGet(issuer, 'requests?path=/oauth/token')).body.at(-1);
}

describe('exchangeToken: Custom Token Exchange', () => {
  it('returns verified tokens with issuedTokenType', async () => {
    const tokens = await sampleServer().exchangeToken({
      subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
      subjectToken: SAMPLE_SUBJECT_TOKEN,
      audience: API,
      scope: 'openid profile offline_access read:notes',
      extra: { device_id: 'device-1' },
    });
    expect(tokens).toMatchObject({
      tokenType: 'Bearer',
      issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      scope: 'openid profile offline_access read:notes',
      refreshToken: expect.any(String),
      claims: { sub: ALICE.sub, aud: 'sample-server', iss: issuer, name: 'Alice Liddell' },
    });
    expect(tokens.act).toBeUndefined();
    expect(decodeJwt(tokens.accessToken).aud).toEqual([API, `${issuer}userinfo`]);
    expect(await lastTokenRequest()).toMatchObject({ grantType: CTE, status: 200 });
    const refreshed = await sampleServer().getTokenByRefreshToken({
      refreshToken: tokens.refreshToken ?? '',
    });
    expect(refreshed.claims?.sub).toBe(ALICE.sub);
  });

  it('binds the tokens to the DPoP key, answering the nonce challenge', async () => {
    const dpop = await generateDpopKeyPair();
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'exchange-spa',
      dpop,
      timeoutMs: 5_000,
    });
    const tokens = await auth.exchangeToken({
      subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
      subjectToken: SAMPLE_SUBJECT_TOKEN,
      scope: 'openid offline_access',
    });
    expect(tokens.tokenType).toBe('DPoP');
    expect(decodeJwt(tokens.accessToken).cnf).toEqual({ jkt: dpop.thumbprint });
    const requests = (await adminGet(issuer, 'requests?path=/oauth/token')).body;
    expect(requests.map((entry: RequestLogEntry) => entry.status)).toEqual([400, 200]);
  });

  it('reads act when an actor token was given', async () => {
    const tokens = await sampleServer().exchangeToken({
      subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
      subjectToken: SAMPLE_SUBJECT_TOKEN,
      actorToken: 'agent-token-1',
      actorTokenType: AGENT_TYPE,
    });
    expect(tokens.act).toEqual({ sub: 'agent|calendar-bot' });
  });

  it('checks the organization of the ID token', async () => {
    const tokens = await sampleServer().exchangeToken({
      subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
      subjectToken: SAMPLE_SUBJECT_TOKEN,
      organization: 'wonderland',
    });
    expect(tokens.claims).toMatchObject({ org_id: 'org_wonderland', org_name: 'wonderland' });
    // Asking for one organization and getting a token of another is refused after the fact.
    await adminPost(issuer, 'faults', {
      path: '/oauth/token',
      times: 1,
      when: { grantType: CTE },
      idTokenClaims: { org_id: 'org_elsewhere' },
    });
    await expectError(
      sampleServer().exchangeToken({
        subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
        subjectToken: SAMPLE_SUBJECT_TOKEN,
        organization: 'org_wonderland',
      }),
      IdTokenValidationError,
    );
  });

  it('surfaces server refusals as OAuthError', async () => {
    const auth = sampleServer();
    await expectError(
      auth.exchangeToken({ subjectTokenType: 'urn:acme:unknown', subjectToken: 'x' }),
      OAuthError,
      { error: 'invalid_request', status: 400 },
    );
    await expectError(
      auth.exchangeToken({ subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE, subjectToken: 'wrong' }),
      OAuthError,
      { error: 'invalid_grant', status: 400 },
    );
    const notAllowed = new AuthClient({ domain: issuer, clientId: 'test-spa', timeoutMs: 5_000 });
    await expectError(
      notAllowed.exchangeToken({
        subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
        subjectToken: SAMPLE_SUBJECT_TOKEN,
      }),
      OAuthError,
      { error: 'unauthorized_client', status: 403 },
    );
  });

  it('refuses caller mistakes with TypeErrors naming the option, before any request', async () => {
    const auth = sampleServer();
    const base = {
      subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
      subjectToken: SAMPLE_SUBJECT_TOKEN,
    };
    const cases: [unknown, RegExp][] = [
      [{ ...base, actorToken: 'agent-token-1' }, /options\.actorTokenType/],
      [{ ...base, actorTokenType: AGENT_TYPE }, /options\.actorToken/],
      [{ ...base, subjectToken: '' }, /options\.subjectToken/],
      [{ ...base, subjectToken: ' padded ' }, /options\.subjectToken/],
      [{ ...base, subjectToken: 'Bearer abc' }, /options\.subjectToken/],
      [{ ...base, subjectTokenType: 7 }, /options\.subjectTokenType/],
      [{ ...base, organization: '  ' }, /options\.organization/],
      [{ ...base, extra: { audience: 'x' } }, /options\.extra\.audience/],
      [{ ...base, extra: { ids: Array.from({ length: 21 }, String) } }, /options\.extra\.ids/],
      [{ ...base, extra: { n: 7 } }, /options\.extra\.n/],
      [null, /options/],
    ];
    for (const [options, message] of cases) {
      await expect(
        (async () => auth.exchangeToken(options as never))(),
        JSON.stringify(options),
      ).rejects.toThrow(message);
      await expect((async () => auth.exchangeToken(options as never))()).rejects.toBeInstanceOf(
        TypeError,
      );
    }
    expect((await adminGet(issuer, 'requests?path=/oauth/token')).body).toEqual([]);
  });
});

describe('exchangeToken: Token Vault', () => {
  async function aliceTokens() {
    return sampleServer().getTokenByPassword({
      username: ALICE.email,
      password: ALICE.password,
      scope: 'openid offline_access',
    });
  }

  it('without a connected account: 401 federated_connection_refresh_token_not_found', async () => {
    const { accessToken } = await aliceTokens();
    await expectError(
      sampleServer().exchangeToken({ connection: 'google-oauth2', subjectToken: accessToken }),
      OAuthError,
      { error: 'federated_connection_refresh_token_not_found', status: 401 },
    );
  });

  it("returns the provider's token for an access-token or a refresh-token subject", async () => {
    await adminPost(issuer, 'connected-accounts', GOOGLE);
    const { accessToken, refreshToken } = await aliceTokens();
    const auth = sampleServer();
    const byAccess = await auth.exchangeToken({
      connection: 'google-oauth2',
      subjectToken: accessToken,
    });
    expect(byAccess).toMatchObject({
      accessToken: 'ya29.alice',
      tokenType: 'Bearer',
      scope: 'openid email',
      issuedTokenType: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    });
    expect(byAccess.idToken).toBeUndefined();
    const byRefresh = await auth.exchangeToken({
      connection: 'google-oauth2',
      subjectToken: refreshToken ?? '',
      subjectTokenType: REFRESH_TOKEN_TYPE,
      loginHint: 'alice@gmail.com',
      scope: 'email',
    });
    expect(byRefresh.accessToken).toBe('ya29.alice');
    // The deprecated form, either way round.
    expect(
      (await auth.getTokenForConnection({ connection: 'google-oauth2', accessToken })).accessToken,
    ).toBe('ya29.alice');
    const viaRefresh = await auth.getTokenForConnection({
      connection: 'google-oauth2',
      refreshToken: refreshToken ?? '',
    });
    expect(viaRefresh.accessToken).toBe('ya29.alice');
  });

  it('proves a DPoP-bound subject token with the same key', async () => {
    await adminPost(issuer, 'connected-accounts', GOOGLE);
    const dpop = await generateDpopKeyPair();
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'exchange-spa',
      dpop,
      timeoutMs: 5_000,
    });
    const login = await auth.exchangeToken({
      subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
      subjectToken: SAMPLE_SUBJECT_TOKEN,
      scope: 'openid offline_access',
    });
    const google = await auth.exchangeToken({
      connection: 'google-oauth2',
      subjectToken: login.refreshToken ?? '',
      subjectTokenType: REFRESH_TOKEN_TYPE,
    });
    expect(google).toMatchObject({ accessToken: 'ya29.alice', tokenType: 'Bearer' });
    const otherKey = new AuthClient({
      domain: issuer,
      clientId: 'exchange-spa',
      dpop: await generateDpopKeyPair(),
      timeoutMs: 5_000,
    });
    await expectError(
      otherKey.exchangeToken({
        connection: 'google-oauth2',
        subjectToken: login.accessToken,
      }),
      OAuthError,
      { error: 'invalid_grant' },
    );
  });

  it('refuses a revoked subject token', async () => {
    await adminPost(issuer, 'connected-accounts', GOOGLE);
    const { refreshToken } = await aliceTokens();
    const auth = sampleServer();
    await auth.revokeToken({ token: refreshToken ?? '' });
    await expectError(
      auth.getTokenForConnection({ connection: 'google-oauth2', refreshToken: refreshToken ?? '' }),
      OAuthError,
      { error: 'invalid_grant', status: 400 },
    );
  });

  it('refuses caller mistakes with TypeErrors naming the option', async () => {
    const auth = sampleServer();
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () =>
          auth.exchangeToken({
            connection: 'google-oauth2',
            subjectToken: 'x',
            audience: API,
          } as never),
        /options\.audience/,
      ],
      [() => auth.exchangeToken({ connection: '', subjectToken: 'x' }), /options\.connection/],
      [
        () =>
          auth.exchangeToken({
            connection: 'google-oauth2',
            subjectToken: 'x',
            subjectTokenType: 'urn:acme:x' as never,
          }),
        /options\.subjectTokenType/,
      ],
      [
        () =>
          auth.getTokenForConnection({
            connection: 'google-oauth2',
            accessToken: 'a',
            refreshToken: 'r',
          }),
        /exactly one/,
      ],
      [() => auth.getTokenForConnection({ connection: 'google-oauth2' }), /exactly one/],
    ];
    for (const [call, message] of cases) {
      await expect((async () => call())()).rejects.toThrow(message);
    }
    expect((await adminGet(issuer, 'requests?path=/oauth/token')).body).toEqual([]);
  });
});

describe('the ID token of an exchange is verified like a login', () => {
  it('refuses an ID token with a wrong audience', async () => {
    await adminPost(issuer, 'faults', {
      path: '/oauth/token',
      times: 1,
      idTokenClaims: { aud: 'someone-else' },
    });
    await expectError(
      sampleServer().exchangeToken({
        subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
        subjectToken: SAMPLE_SUBJECT_TOKEN,
      }),
      IdTokenValidationError,
    );
  });
});
