// AuthClient.revokeToken, getUserInfo (Bearer and DPoP) and buildLogoutUrl against the real
// local tenant over HTTP.

import type { RequestLogEntry, TokenSnapshot } from 'auth0-enclave-tenant';
import { ALICE, APP_ORIGIN, adminGet, REDIRECT_URI, useTenant } from 'auth0-enclave-tenant/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  AuthenticationError,
  generateDpopKeyPair,
  OAuthError,
  ResponseError,
  type TokenResponse,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { loginAt } from '../helpers/tenant-login.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

function client(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'test-spa',
    authorizationParams: {
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile email offline_access',
    },
    timeoutMs: 2_000,
    ...options,
  });
}

/** Logs alice in with `auth`, redeems the code; returns the tokens and the session cookie. */
async function signIn(
  auth: AuthClient,
): Promise<{ tokens: TokenResponse & { refreshToken: string }; cookie: string }> {
  const { authorizationUrl, codeVerifier, state, nonce } = await auth.buildAuthorizationUrl();
  const { callbackUrl, cookie } = await loginAt(authorizationUrl);
  const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
  if (!tokens.refreshToken || !cookie) throw new Error('no refresh token or no session');
  return { tokens: { ...tokens, refreshToken: tokens.refreshToken }, cookie };
}

describe('revokeToken', () => {
  it('revokes a refresh token: refreshing with it then fails', async () => {
    const auth = client();
    const { tokens } = await signIn(auth);
    await auth.revokeToken({ token: tokens.refreshToken, tokenTypeHint: 'refresh_token' });
    const snapshot: TokenSnapshot = (await adminGet(issuer, 'tokens')).body;
    expect(snapshot.refreshTokens.map((token) => token.status)).toEqual(['revoked']);
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: tokens.refreshToken }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
  });

  it('revokes a DPoP-bound refresh token (the revocation request carries a proof)', async () => {
    const key = await generateDpopKeyPair();
    const auth = client({ dpop: key });
    const { tokens } = await signIn(auth);
    await auth.revokeToken({ token: tokens.refreshToken });
    const [revocation] = (await adminGet(issuer, 'requests?path=/oauth/revoke'))
      .body as RequestLogEntry[];
    expect(revocation).toMatchObject({ status: 200, clientId: 'test-spa' });
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: tokens.refreshToken }),
      OAuthError,
      { error: 'invalid_grant', status: 400 },
    );
  });

  it('revokes an access token: /userinfo then refuses it', async () => {
    const auth = client();
    const { tokens } = await signIn(auth);
    await auth.revokeToken({ token: tokens.accessToken, tokenTypeHint: 'access_token' });
    await expectError(auth.getUserInfo({ accessToken: tokens.accessToken }), OAuthError, {
      code: 'oauth_error',
      error: 'invalid_token',
      status: 401,
    });
  });

  it('with the wrong client secret is invalid_client (401)', async () => {
    const auth = new AuthClient({ domain: issuer, clientId: 'sample-server', clientSecret: 'no' });
    await expectError(auth.revokeToken({ token: 'anything' }), OAuthError, {
      code: 'oauth_error',
      error: 'invalid_client',
      status: 401,
    });
  });
});

describe('getUserInfo', () => {
  it('with a Bearer token returns the user claims', async () => {
    const auth = client();
    const { tokens } = await signIn(auth);
    const user = await auth.getUserInfo({
      accessToken: tokens.accessToken,
      expectedSubject: ALICE.sub,
    });
    expect(user).toMatchObject({ sub: ALICE.sub, email: ALICE.email, name: 'Alice Liddell' });
  });

  it('refuses an answer about another subject than expected', async () => {
    const auth = client();
    const { tokens } = await signIn(auth);
    await expectError(
      auth.getUserInfo({ accessToken: tokens.accessToken, expectedSubject: 'auth0|bob' }),
      ResponseError,
      { code: 'invalid_response' },
    );
  });

  it('with a DPoP-bound token sends a proof with ath, from the bound key', async () => {
    const key = await generateDpopKeyPair();
    const auth = client({ dpop: key });
    const { tokens } = await signIn(auth);
    expect(tokens.tokenType).toBe('DPoP');
    const user = await auth.getUserInfo({ accessToken: tokens.accessToken, tokenType: 'DPoP' });
    expect(user).toMatchObject({ sub: ALICE.sub, email: ALICE.email });
    // The tenant verified the proof (htm, htu, ath, jkt = cnf.jkt) and logged its key.
    const log: RequestLogEntry[] = (await adminGet(issuer, 'requests?path=/userinfo')).body;
    expect(log).toMatchObject([{ status: 200, dpopJkt: key.thumbprint }]);
  });

  it('a DPoP-bound token presented as Bearer, or with another key, is invalid_token', async () => {
    const auth = client({ dpop: await generateDpopKeyPair() });
    const { tokens } = await signIn(auth);
    await expectError(
      auth.getUserInfo({ accessToken: tokens.accessToken, tokenType: 'Bearer' }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_token', status: 401 },
    );
    const thief = client({ dpop: await generateDpopKeyPair() });
    await expectError(
      thief.getUserInfo({ accessToken: tokens.accessToken, tokenType: 'DPoP' }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_token', status: 401 },
    );
  });
});

describe('buildLogoutUrl', () => {
  const RETURN_TO = `${APP_ORIGIN}/logged-out`;

  it('uses the advertised end_session_endpoint with the OIDC parameters', async () => {
    const url = await client().buildLogoutUrl({
      returnTo: RETURN_TO,
      idTokenHint: 'id.token.hint',
      logoutHint: 'sid-1',
      state: 'st-1',
      federated: true,
    });
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}oidc/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'test-spa',
      post_logout_redirect_uri: RETURN_TO,
      id_token_hint: 'id.token.hint',
      logout_hint: 'sid-1',
      state: 'st-1',
      federated: 'true',
    });
  });

  it('followed by the browser: the tenant ends the session and redirects to an allowed returnTo', async () => {
    const auth = client();
    const { tokens, cookie } = await signIn(auth);
    const url = await auth.buildLogoutUrl({
      returnTo: RETURN_TO,
      idTokenHint: tokens.idToken,
      state: 'st-1',
    });
    const response = await fetch(url, { redirect: 'manual', headers: { cookie } });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${RETURN_TO}?state=st-1`);

    // The session is gone: a silent login now comes back with login_required.
    const silent = await auth.buildAuthorizationUrl({ authorizationParams: { prompt: 'none' } });
    const { callbackUrl } = await loginAt(silent.authorizationUrl, { cookie });
    await expectError(
      auth.getTokenByCode(callbackUrl, {
        codeVerifier: silent.codeVerifier,
        state: silent.state,
        nonce: silent.nonce,
      }),
      AuthenticationError,
      { code: 'authentication_error', error: 'login_required' },
    );
  });

  it('followed by the browser: the tenant refuses a returnTo that is not allowed and keeps the session', async () => {
    const auth = client();
    const { cookie } = await signIn(auth);
    const url = await auth.buildLogoutUrl({ returnTo: 'https://evil.example/' });
    const response = await fetch(url, { redirect: 'manual', headers: { cookie } });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();

    const silent = await auth.buildAuthorizationUrl({ authorizationParams: { prompt: 'none' } });
    const { callbackUrl } = await loginAt(silent.authorizationUrl, { cookie });
    const tokens = await auth.getTokenByCode(callbackUrl, {
      codeVerifier: silent.codeVerifier,
      state: silent.state,
      nonce: silent.nonce,
    });
    expect(tokens.claims?.sub).toBe(ALICE.sub);
  });
});
