// AuthClient.getTokenByRefreshToken against the real local tenant over HTTP: rotation, reuse
// detection, the reuse interval, DPoP binding, audience switch and narrower scopes.

import { defaultTenantOptions, type TokenSnapshot } from 'auth0-enclave-tenant';
import {
  ALICE,
  API,
  adminGet,
  adminPost,
  REDIRECT_URI,
  TEST_SPA,
  useTenant,
} from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  generateDpopKeyPair,
  OAuthError,
  type TokenResponse,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { loginAt } from '../helpers/tenant-login.js';

const REUSE_INTERVAL_SECONDS = 30;

const server = await useTenant(
  { afterAll, beforeEach },
  {
    clients: [
      ...defaultTenantOptions().clients,
      TEST_SPA,
      {
        ...TEST_SPA,
        clientId: 'reuse-spa',
        refreshTokenReuseIntervalSeconds: REUSE_INTERVAL_SECONDS,
      },
    ],
  },
);
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

/** Logs alice in with `auth` and redeems the code. */
async function signIn(auth: AuthClient): Promise<TokenResponse & { refreshToken: string }> {
  const { authorizationUrl, codeVerifier, state, nonce } = await auth.buildAuthorizationUrl();
  const { callbackUrl } = await loginAt(authorizationUrl);
  const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
  if (!tokens.refreshToken) throw new Error('no refresh token (offline_access not granted?)');
  return { ...tokens, refreshToken: tokens.refreshToken };
}

async function refreshStatuses(): Promise<TokenSnapshot['refreshTokens'][number]['status'][]> {
  const snapshot: TokenSnapshot = (await adminGet(issuer, 'tokens')).body;
  return snapshot.refreshTokens.map((token) => token.status);
}

describe('refresh token rotation', () => {
  it('returns a new refresh token every time, with a verified ID token', async () => {
    const auth = client();
    const { refreshToken: first } = await signIn(auth);
    const a = await auth.getTokenByRefreshToken({ refreshToken: first });
    expect(a.refreshToken).toEqual(expect.any(String));
    expect(a.refreshToken).not.toBe(first);
    expect(a.claims).toMatchObject({ iss: issuer, aud: 'test-spa', sub: ALICE.sub });
    expect(a.tokenType).toBe('Bearer');
    const b = await auth.getTokenByRefreshToken({ refreshToken: a.refreshToken ?? '' });
    expect(b.refreshToken).not.toBe(a.refreshToken);
    expect(b.refreshToken).not.toBe(first);
    expect(await refreshStatuses()).toEqual(['rotated', 'rotated', 'active']);
  });

  it('reusing a rotated token is invalid_grant and revokes the whole family, newest token included', async () => {
    const auth = client();
    const { refreshToken: first } = await signIn(auth);
    const rotated = await auth.getTokenByRefreshToken({ refreshToken: first });
    await expectError(auth.getTokenByRefreshToken({ refreshToken: first }), OAuthError, {
      code: 'oauth_error',
      error: 'invalid_grant',
      status: 400,
    });
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: rotated.refreshToken ?? '' }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
    expect(await refreshStatuses()).toEqual(['revoked', 'revoked']);
    // The access tokens of the family are gone too.
    await expectError(auth.getUserInfo({ accessToken: rotated.accessToken }), OAuthError, {
      error: 'invalid_token',
      status: 401,
    });
  });

  it('inside the reuse interval a rotated token still works; after it, reuse revokes the family', async () => {
    const auth = client({ clientId: 'reuse-spa' });
    const { refreshToken: first } = await signIn(auth);
    const a = await auth.getTokenByRefreshToken({ refreshToken: first });
    const again = await auth.getTokenByRefreshToken({ refreshToken: first });
    expect(again.refreshToken).toEqual(expect.any(String));
    expect(again.refreshToken).not.toBe(a.refreshToken);

    await adminPost(issuer, 'clock', { advance: REUSE_INTERVAL_SECONDS + 1 });
    await expectError(auth.getTokenByRefreshToken({ refreshToken: first }), OAuthError, {
      code: 'oauth_error',
      error: 'invalid_grant',
      status: 400,
    });
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: again.refreshToken ?? '' }),
      OAuthError,
      { error: 'invalid_grant', status: 400 },
    );
    expect(new Set(await refreshStatuses())).toEqual(new Set(['revoked']));
  });
});

describe('DPoP-bound refresh tokens', () => {
  it('are refused with another key (or none), and the family is NOT revoked', async () => {
    const key = await generateDpopKeyPair();
    const owner = client({ dpop: key });
    const tokens = await signIn(owner);
    expect(tokens.tokenType).toBe('DPoP');

    const thief = client({ dpop: await generateDpopKeyPair() });
    await expectError(
      thief.getTokenByRefreshToken({ refreshToken: tokens.refreshToken }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
    await expectError(
      client().getTokenByRefreshToken({ refreshToken: tokens.refreshToken }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_grant', status: 400 },
    );
    expect(await refreshStatuses()).toEqual(['active']);

    // The owner's token still works, and stays bound to its key.
    const refreshed = await owner.getTokenByRefreshToken({ refreshToken: tokens.refreshToken });
    expect(refreshed.tokenType).toBe('DPoP');
    expect(decodeJwt(refreshed.accessToken).cnf).toEqual({ jkt: key.thumbprint });
    expect(await refreshStatuses()).toEqual(['rotated', 'active']);
  });
});

describe('refresh with audience and scope', () => {
  it('switches the audience to another API', async () => {
    const auth = client();
    const { refreshToken, accessToken } = await signIn(auth);
    expect(decodeJwt(accessToken).aud).toBe(`${issuer}userinfo`);
    const tokens = await auth.getTokenByRefreshToken({
      refreshToken,
      audience: API,
      scope: 'openid read:notes',
    });
    const claims = decodeJwt(tokens.accessToken);
    expect(claims.aud).toEqual([API, `${issuer}userinfo`]);
    expect(claims.scope).toBe('openid read:notes');
    expect(tokens.scope).toBe('openid read:notes');
  });

  it('narrows the scope, and refuses a wider one with invalid_scope', async () => {
    const auth = client();
    const { refreshToken } = await signIn(auth);
    const narrow = await auth.getTokenByRefreshToken({ refreshToken, scope: 'openid' });
    expect(narrow.scope).toBe('openid');
    expect(narrow.claims?.sub).toBe(ALICE.sub);
    expect(narrow.claims?.email).toBeUndefined();
    await expectError(
      auth.getTokenByRefreshToken({
        refreshToken: narrow.refreshToken ?? '',
        scope: 'openid address',
      }),
      OAuthError,
      { code: 'oauth_error', error: 'invalid_scope', status: 400 },
    );
  });
});
