// AuthClient's authorization-code flow against the real local tenant over HTTP: the URL it
// builds is followed through the tenant's login form, and the callback is redeemed.

import type { RequestLogEntry } from 'auth0-enclave-tenant';
import {
  ALICE,
  adminGet,
  adminPost,
  nowSeconds,
  REDIRECT_URI,
  useTenant,
} from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  AuthenticationError,
  type DpopKeyPair,
  type FetchLike,
  generateDpopKeyPair,
  InvalidStateError,
  OAuthError,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { loginAt } from '../helpers/tenant-login.js';

const SCOPE = 'openid profile email offline_access';

const server = await useTenant(
  { afterAll, beforeEach },
  {
    organizations: [
      { id: 'org_wonderland', name: 'wonderland' },
      { id: 'org_closed', name: 'closed', members: [] },
    ],
  },
);
const { issuer } = server;

/** `test-spa`: public, DPoP allowed without nonces. `sample-spa`: DPoP required, with nonces. */
function client(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'test-spa',
    authorizationParams: { redirect_uri: REDIRECT_URI, scope: SCOPE },
    timeoutMs: 2_000,
    ...options,
  });
}

async function tokenRequests(): Promise<RequestLogEntry[]> {
  return (await adminGet(issuer, 'requests?path=/oauth/token')).body;
}

/** Starts a login with `auth`, completes it in the login form; returns what the callback needs. */
async function login(auth: AuthClient, authorizationParams?: Record<string, string>) {
  const request = await auth.buildAuthorizationUrl(
    authorizationParams ? { authorizationParams } : {},
  );
  const { callbackUrl, cookie } = await loginAt(request.authorizationUrl);
  return { ...request, callbackUrl, cookie };
}

describe('code flow with PKCE', () => {
  it('builds the /authorize URL, logs in through the form, redeems the code and verifies the ID token', async () => {
    const auth = client();
    const { authorizationUrl, callbackUrl, codeVerifier, state, nonce } = await login(auth);
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(`${issuer}authorize`);
    const sent = authorizationUrl.searchParams;
    expect(Object.fromEntries(sent)).toMatchObject({
      client_id: 'test-spa',
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    expect(sent.has('dpop_jkt')).toBe(false);
    expect(new URL(callbackUrl).searchParams.get('state')).toBe(state);

    const before = nowSeconds();
    const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
    const after = nowSeconds();

    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.idToken).toEqual(expect.any(String));
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.scope?.split(' ')).toEqual(expect.arrayContaining(SCOPE.split(' ')));
    expect(tokens.claims).toMatchObject({
      iss: issuer,
      aud: 'test-spa',
      sub: ALICE.sub,
      nonce,
      email: ALICE.email,
    });
    expect(tokens.claims?.sid).toEqual(expect.any(String));
    // The tenant's default access-token lifetime is 3600 s.
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(tokens.expiresAt).toBeLessThanOrEqual(after + 3600);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ sub: ALICE.sub, azp: 'test-spa' });
  });

  it('with DPoP against a client that requires nonces: dpop_jkt, DPoP-bound tokens, one nonce round trip', async () => {
    const dpop = await generateDpopKeyPair();
    const auth = client({ clientId: 'sample-spa', dpop });
    const { authorizationUrl, callbackUrl, codeVerifier, state, nonce } = await login(auth);
    expect(authorizationUrl.searchParams.get('dpop_jkt')).toBe(dpop.thumbprint);

    const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
    expect(tokens.tokenType).toBe('DPoP');
    expect(decodeJwt(tokens.accessToken).cnf).toEqual({ jkt: dpop.thumbprint });
    expect(tokens.claims).toMatchObject({ sub: ALICE.sub, nonce });

    // 400 use_dpop_nonce, then a retry with a fresh proof (new jti, same key) that succeeded.
    const log = await tokenRequests();
    expect(log.map((entry) => entry.status)).toEqual([400, 200]);
    expect(log.map((entry) => entry.dpopJkt)).toEqual([dpop.thumbprint, dpop.thumbprint]);
    expect(log[0]?.dpopJti).not.toBe(log[1]?.dpopJti);

    // The nonce is kept: the next token request needs no round trip.
    const refreshed = await auth.getTokenByRefreshToken({
      refreshToken: tokens.refreshToken ?? '',
    });
    expect(refreshed.tokenType).toBe('DPoP');
    expect((await tokenRequests()).map((entry) => entry.status)).toEqual([400, 200, 200]);
  });
});

describe('code flow: bad input', () => {
  it('a redirect_uri other than the one sent to /authorize is invalid_grant', async () => {
    const auth = client();
    const { callbackUrl, codeVerifier, state, nonce } = await login(auth);
    await expectError(
      auth.getTokenByCode(callbackUrl, {
        codeVerifier,
        state,
        nonce,
        redirectUri: 'http://localhost:3000/elsewhere',
      }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
  });

  it('a missing PKCE verifier is a caller mistake: TypeError, nothing sent', async () => {
    const auth = client();
    const { callbackUrl, state, nonce } = await login(auth);
    await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier: '', state, nonce }),
      TypeError,
    );
    expect(await tokenRequests()).toEqual([]);
  });

  it('a verifier dropped on the way (a rewriting proxy) is invalid_grant at the tenant', async () => {
    // A pass-through fetch that strips code_verifier from the body: the request is still real.
    const stripVerifier: FetchLike = (input, init) => {
      if (typeof init?.body !== 'string' || !init.body.includes('code_verifier')) {
        return fetch(input, init);
      }
      const body = new URLSearchParams(init.body);
      body.delete('code_verifier');
      return fetch(input, { ...init, body: body.toString() });
    };
    const auth = client({ customFetch: stripVerifier });
    const { callbackUrl, codeVerifier, state, nonce } = await login(auth);
    await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
    expect((await tokenRequests()).map((entry) => entry.status)).toEqual([400]);
  });

  it('a wrong PKCE verifier is invalid_grant', async () => {
    const auth = client();
    const { callbackUrl, state, nonce } = await login(auth);
    const other = await auth.buildAuthorizationUrl();
    await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier: other.codeVerifier, state, nonce }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
  });

  it('a reused code is invalid_grant, and what its first redemption issued is revoked', async () => {
    const auth = client();
    const { callbackUrl, codeVerifier, state, nonce } = await login(auth);
    const first = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
    await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
    await expectError(auth.getUserInfo({ accessToken: first.accessToken }), OAuthError, {
      error: 'invalid_token',
      status: 401,
    });
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: first.refreshToken ?? '' }),
      OAuthError,
      { error: 'invalid_grant', status: 400 },
    );
  });

  it('an expired code is invalid_grant (tenant clock moved past the 60 s code lifetime)', async () => {
    const auth = client();
    const { callbackUrl, codeVerifier, state, nonce } = await login(auth);
    expect((await adminPost(issuer, 'clock', { advance: 61 })).status).toBe(200);
    await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
  });

  it('a callback with another state is InvalidStateError and no token request is made', async () => {
    const auth = client();
    const { callbackUrl, codeVerifier, state, nonce } = await login(auth);
    await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier, state: 'someone-elses-state', nonce }),
      InvalidStateError,
      { code: 'invalid_state', error: 'invalid_state' },
    );
    expect(await tokenRequests()).toEqual([]);
    // The code was not spent either: the right state still redeems it.
    const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
    expect(tokens.claims?.sub).toBe(ALICE.sub);
  });

  it('a callback carrying error=access_denied is AuthenticationError, and nothing is redeemed', async () => {
    const auth = client();
    // Alice is not a member of org_closed: the tenant answers access_denied after the form.
    const { callbackUrl, codeVerifier, state, nonce } = await login(auth, {
      organization: 'org_closed',
    });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    const error = await expectError(
      auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce }),
      AuthenticationError,
      { code: 'authentication_error', error: 'access_denied' },
    );
    expect(error.state).toBe(state);
    expect(await tokenRequests()).toEqual([]);
  });

  describe('a DPoP-bound code', () => {
    async function boundLogin(): Promise<{
      key: DpopKeyPair;
      flow: Awaited<ReturnType<typeof login>>;
    }> {
      const key = await generateDpopKeyPair();
      const flow = await login(client({ clientId: 'sample-spa', dpop: key }));
      return { key, flow };
    }

    it('redeemed with another key is invalid_grant (after the nonce round trip)', async () => {
      const { flow } = await boundLogin();
      const otherKey = await generateDpopKeyPair();
      const thief = client({ clientId: 'sample-spa', dpop: otherKey });
      const { callbackUrl, codeVerifier, state, nonce } = flow;
      await expectError(
        thief.getTokenByCode(callbackUrl, { codeVerifier, state, nonce }),
        OAuthError,
        { code: 'oauth_error', error: 'invalid_grant', status: 400 },
      );
      const log = await tokenRequests();
      expect(log.map((entry) => entry.status)).toEqual([400, 400]);
      expect(log.every((entry) => entry.dpopJkt === otherKey.thumbprint)).toBe(true);
    });

    it('redeemed without a proof is invalid_grant, even for a client where DPoP is optional', async () => {
      const bound = await login(client({ dpop: await generateDpopKeyPair() }));
      await expectError(
        client().getTokenByCode(bound.callbackUrl, {
          codeVerifier: bound.codeVerifier,
          state: bound.state,
          nonce: bound.nonce,
        }),
        OAuthError,
        { code: 'oauth_error', error: 'invalid_grant', status: 400 },
      );
    });

    it('redeemed with the same key by another AuthClient instance works: the binding is the key', async () => {
      const { key, flow } = await boundLogin();
      const { callbackUrl, codeVerifier, state, nonce } = flow;
      const tokens = await client({ clientId: 'sample-spa', dpop: key }).getTokenByCode(
        callbackUrl,
        { codeVerifier, state, nonce },
      );
      expect(decodeJwt(tokens.accessToken).cnf).toEqual({ jkt: key.thumbprint });
    });
  });
});
