// The core's My Account API functions (connect, complete, list) and the Token Vault grant against
// the real local tenant over HTTP, as the service worker will run them: a public client, a
// DPoP-bound token for `<issuer>me/`, the consent page followed like a browser would.

import { defaultTenantOptions } from 'auth0-enclave-tenant';
import { adminGet, REDIRECT_URI, TEST_SPA, useTenant } from 'auth0-enclave-tenant/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  type ClientContext,
  ConnectError,
  completeAccount,
  connectAccount,
  connectUrl,
  createClientContext,
  createPkce,
  DEFAULT_MAX_RESPONSE_BYTES,
  type DpopKeyPair,
  federatedConnectionGrant,
  generateDpopKeyPair,
  InvalidStateError,
  listConnectedAccounts,
  myAccountApiBase,
  OAuthError,
  publicClient,
  REFRESH_TOKEN_TYPE,
  readConnectCallback,
  type TokenResponse,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { loginAt } from '../helpers/tenant-login.js';

const VAULT = 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
const ME_SCOPES = 'create:me:connected_accounts read:me:connected_accounts';

const server = await useTenant(
  { afterAll, beforeEach },
  {
    clients: [
      ...defaultTenantOptions().clients,
      { ...TEST_SPA, grantTypes: ['authorization_code', 'refresh_token', VAULT] },
    ],
  },
);
const { issuer } = server;

function context(dpop?: DpopKeyPair): ClientContext {
  return createClientContext({
    clientId: 'test-spa',
    base: new URL(issuer),
    http: {
      fetch: (input, init) => fetch(input, init),
      timeoutMs: 5_000,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
    },
    authenticate: publicClient(),
    dpop,
  });
}

/** Logs alice in for the My Account API (and offline access) through the tenant's form. */
async function login(ctx: ClientContext, scope = `openid offline_access ${ME_SCOPES}`) {
  const request = await buildAuthorizationUrl(ctx, {
    defaults: { redirect_uri: REDIRECT_URI, scope, audience: await myAccountApiBase(ctx) },
  });
  const { callbackUrl } = await loginAt(request.authorizationUrl);
  return authorizationCodeGrant(ctx, {
    callbackUrl,
    codeVerifier: request.codeVerifier,
    state: request.state,
    nonce: request.nonce,
    redirectUri: REDIRECT_URI,
  });
}

/** Follows a connect URL like a browser: the consent page, then its form. */
async function consentAt(url: URL, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(url);
  const ticket = /name="ticket" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const answer = await fetch(new URL('connect', issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket, decision }),
  });
  return answer.headers.get('location') ?? '';
}

async function startFlow(ctx: ClientContext, tokens: TokenResponse) {
  const pkce = await createPkce();
  const state = crypto.randomUUID();
  const started = await connectAccount(ctx, {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    connection: 'google-oauth2',
    redirectUri: REDIRECT_URI,
    state,
    codeChallenge: pkce.codeChallenge,
    scopes: ['openid', 'https://www.googleapis.com/auth/calendar.readonly'],
  });
  return { started, state, codeVerifier: pkce.codeVerifier };
}

describe('connect → consent → complete, then Token Vault', () => {
  it('runs the round trip with a DPoP-bound token', async () => {
    const dpop = await generateDpopKeyPair();
    const ctx = context(dpop);
    const tokens = await login(ctx);
    expect(tokens.tokenType).toBe('DPoP');
    await expectError(
      federatedConnectionGrant(ctx, {
        connection: 'google-oauth2',
        subjectToken: tokens.refreshToken ?? '',
        subjectTokenType: REFRESH_TOKEN_TYPE,
      }),
      OAuthError,
      { error: 'federated_connection_refresh_token_not_found', status: 401 },
    );

    const { started, state, codeVerifier } = await startFlow(ctx, tokens);
    expect(started).toMatchObject({ connect_uri: `${issuer}connect`, expires_in: 300 });
    const url = connectUrl(started);
    expect(url.searchParams.get('ticket')).toBe(started.connect_params.ticket);
    const callback = await consentAt(url);
    const connectCode = readConnectCallback(callback, { state });
    const account = await completeAccount(ctx, {
      accessToken: tokens.accessToken,
      authSession: started.auth_session,
      connectCode,
      redirectUri: REDIRECT_URI,
      codeVerifier,
    });
    expect(account).toEqual({
      id: expect.stringMatching(/^cac_/),
      connection: 'google-oauth2',
      access_type: 'offline',
      scopes: ['openid', 'https://www.googleapis.com/auth/calendar.readonly'],
      created_at: expect.any(String),
    });
    // Every My Account call carried a proof (the token is DPoP-bound) and the tenant took it.
    const calls = (await adminGet(issuer, 'requests')).body.filter((entry: { path: string }) =>
      entry.path.startsWith('/me/'),
    );
    expect(calls.map((entry: { dpopJkt?: string }) => entry.dpopJkt)).toEqual([
      dpop.thumbprint,
      dpop.thumbprint,
    ]);

    expect(await listConnectedAccounts(ctx, { accessToken: tokens.accessToken })).toEqual([
      account,
    ]);
    const google = await federatedConnectionGrant(ctx, {
      connection: 'google-oauth2',
      subjectToken: tokens.refreshToken ?? '',
      subjectTokenType: REFRESH_TOKEN_TYPE,
    });
    expect(google).toMatchObject({
      tokenType: 'Bearer',
      scope: 'openid https://www.googleapis.com/auth/calendar.readonly',
      issuedTokenType: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    });
  });

  it('works with a Bearer token too', async () => {
    const ctx = context();
    const tokens = await login(ctx);
    expect(tokens.tokenType).toBe('Bearer');
    const { started, state, codeVerifier } = await startFlow(ctx, tokens);
    const connectCode = readConnectCallback(await consentAt(connectUrl(started)), { state });
    const account = await completeAccount(ctx, {
      accessToken: tokens.accessToken,
      authSession: started.auth_session,
      connectCode,
      redirectUri: REDIRECT_URI,
      codeVerifier,
    });
    expect(account.connection).toBe('google-oauth2');
  });
});

describe('errors', () => {
  it('a denied consent is a ConnectError with error access_denied; a foreign state is refused', async () => {
    const ctx = context();
    const tokens = await login(ctx);
    const { started, state } = await startFlow(ctx, tokens);
    const callback = await consentAt(connectUrl(started), 'deny');
    const error = await expectError(
      (async () => readConnectCallback(callback, { state }))(),
      ConnectError,
      { code: 'connect_error', error: 'access_denied' },
    );
    expect(error.name).toBe('ConnectError');
    expect(() => readConnectCallback(callback, { state: 'another' })).toThrow(InvalidStateError);
  });

  it('a wrong verifier and a reused connect_code are ConnectErrors with the problem details', async () => {
    const ctx = context();
    const tokens = await login(ctx);
    const { started, state, codeVerifier } = await startFlow(ctx, tokens);
    const connectCode = readConnectCallback(await consentAt(connectUrl(started)), { state });
    const complete = (verifier: string) =>
      completeAccount(ctx, {
        accessToken: tokens.accessToken,
        authSession: started.auth_session,
        connectCode,
        redirectUri: REDIRECT_URI,
        codeVerifier: verifier,
      });
    await expectError(complete((await createPkce()).codeVerifier), ConnectError, {
      status: 400,
      type: 'urn:auth0-enclave:problem:invalid-code-verifier',
      title: 'Bad Request',
      detail: expect.stringContaining('code_verifier'),
    });
    await expectError(complete(codeVerifier), ConnectError, {
      status: 400,
      type: 'urn:auth0-enclave:problem:invalid-connect-code',
    });
  });

  it('a token without the scope is a 403 ConnectError', async () => {
    const ctx = context();
    const tokens = await login(ctx, 'openid read:me:connected_accounts');
    await expectError(startFlow(ctx, tokens), ConnectError, {
      status: 403,
      type: 'urn:auth0-enclave:problem:insufficient-scope',
      title: 'Forbidden',
    });
  });

  it('invalid input is a ConnectError carrying validation_errors', async () => {
    const ctx = context();
    const tokens = await login(ctx);
    const error = await expectError(
      connectAccount(ctx, {
        accessToken: tokens.accessToken,
        connection: 'github',
        redirectUri: 'https://evil.example/callback',
        state: 's',
        codeChallenge: (await createPkce()).codeChallenge,
      }),
      ConnectError,
      { status: 400, title: 'Bad Request' },
    );
    expect(error.validation_errors?.map((item) => item.field).sort()).toEqual([
      'connection',
      'redirect_uri',
    ]);
  });

  it('a token for another audience is a 401 ConnectError', async () => {
    const ctx = context();
    const request = await buildAuthorizationUrl(ctx, {
      defaults: { redirect_uri: REDIRECT_URI, scope: 'openid' },
    });
    const { callbackUrl } = await loginAt(request.authorizationUrl);
    const tokens = await authorizationCodeGrant(ctx, {
      callbackUrl,
      codeVerifier: request.codeVerifier,
      state: request.state,
      nonce: request.nonce,
      redirectUri: REDIRECT_URI,
    });
    await expectError(startFlow(ctx, tokens), ConnectError, {
      status: 401,
      type: 'https://auth0.com/api-errors/A0E-401-0003',
      title: 'Invalid Token',
    });
  });
});
