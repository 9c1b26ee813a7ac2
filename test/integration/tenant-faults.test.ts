// AuthClient against the real local tenant with faults injected through its admin surface:
// 5xx answers and slow answers, on the token endpoint and on discovery.

import type { RequestLogEntry } from 'auth0-enclave-tenant';
import {
  ALICE,
  API,
  adminGet,
  adminPost,
  REDIRECT_URI,
  useTenant,
} from 'auth0-enclave-tenant/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  HttpError,
  OAuthError,
  TimeoutError,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { loginAt } from '../helpers/tenant-login.js';

const server = await useTenant({ afterAll, beforeEach });
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

const password = (auth: AuthClient) =>
  auth.getTokenByPassword({ username: ALICE.email, password: ALICE.password, scope: 'openid' });

async function addFault(fault: Record<string, unknown>): Promise<void> {
  const answer = await adminPost(issuer, 'faults', fault);
  expect(answer.status).toBe(200);
}

describe('5xx from the token endpoint', () => {
  it('an empty 503 is HttpError with the status; once the fault is spent the grant works', async () => {
    await addFault({ path: '/oauth/token', status: 503, times: 1 });
    const auth = sampleServer();
    await expectError(password(auth), HttpError, { code: 'http_error', status: 503 });
    const tokens = await password(auth);
    expect(tokens.claims?.sub).toBe(ALICE.sub);
  });

  it('a 503 with an OAuth error body is OAuthError with that error and status', async () => {
    await addFault({
      path: '/oauth/token',
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'try later' },
    });
    await expectError(sampleServer().getTokenByClientCredentials({ audience: API }), OAuthError, {
      code: 'oauth_error',
      error: 'temporarily_unavailable',
      status: 503,
    });
  });

  it('a 500 on the refresh grant only: the code exchange works, the refresh is HttpError', async () => {
    await addFault({ path: '/oauth/token', status: 500, when: { grantType: 'refresh_token' } });
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'test-spa',
      authorizationParams: { redirect_uri: REDIRECT_URI, scope: 'openid offline_access' },
    });
    const { authorizationUrl, codeVerifier, state, nonce } = await auth.buildAuthorizationUrl();
    const { callbackUrl } = await loginAt(authorizationUrl);
    const tokens = await auth.getTokenByCode(callbackUrl, { codeVerifier, state, nonce });
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: tokens.refreshToken ?? '' }),
      HttpError,
      { code: 'http_error', status: 500 },
    );
    // The refresh never reached the grant: the token is still active (not rotated, not revoked).
    const snapshot = (await adminGet(issuer, 'tokens')).body;
    expect(snapshot.refreshTokens).toMatchObject([{ status: 'active' }]);
  });
});

describe('slow answers', () => {
  it('a token endpoint slower than timeoutMs is TimeoutError', async () => {
    await addFault({ path: '/oauth/token', delayMs: 800, times: 1 });
    const auth = sampleServer({ timeoutMs: 300 });
    // Discovery first, so the time limit is measured on the token request alone.
    await auth.getServerMetadata();
    const started = Date.now();
    await expectError(password(auth), TimeoutError, { code: 'timeout', error: 'timeout' });
    expect(Date.now() - started).toBeLessThan(750);
  });

  it('a delay within timeoutMs is only a delay', async () => {
    await addFault({ path: '/oauth/token', delayMs: 100, times: 1 });
    const tokens = await password(sampleServer({ timeoutMs: 1_000 }));
    expect(tokens.claims?.sub).toBe(ALICE.sub);
  });
});

describe('faults on discovery', () => {
  it('a 503 discovery is HttpError and is not cached: the next call discovers again', async () => {
    await addFault({ path: '/.well-known/openid-configuration', status: 503, times: 1 });
    const auth = sampleServer();
    await expectError(password(auth), HttpError, { code: 'http_error', status: 503 });
    const tokens = await password(auth);
    expect(tokens.claims?.iss).toBe(issuer);
    const log: RequestLogEntry[] = (
      await adminGet(issuer, 'requests?path=/.well-known/openid-configuration')
    ).body;
    expect(log.map((entry) => entry.status)).toEqual([503, 200]);
  });

  it('a discovery slower than timeoutMs is TimeoutError', async () => {
    await addFault({ path: '/.well-known/openid-configuration', delayMs: 800, times: 1 });
    await expectError(password(sampleServer({ timeoutMs: 300 })), TimeoutError, {
      code: 'timeout',
    });
  });
});
