// Pushed authorization requests (RFC 9126) with AuthClient against the real local tenant:
// buildAuthorizationUrl({ pushedAuthorizationRequests: true }) pushes the parameters over the
// back channel and returns a request_uri URL; the tenant's request_uri is single-use, bound to
// the client that pushed it, and short-lived. A server without PAR makes the call throw.

import type { ClientConfig, StartedTenant } from 'auth0-enclave-tenant';
import { defaultTenantOptions } from 'auth0-enclave-tenant';
import {
  adminGet,
  adminPost,
  REDIRECT_URI,
  startTestTenant,
  TEST_SPA,
} from 'auth0-enclave-tenant/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  BuildAuthorizationUrlError,
  NotSupportedError,
  OAuthError,
} from '../../../src/core/index.js';
import { expectError } from '../../helpers/expect-error.js';
import { type HostileServer, startHostileServer } from '../../helpers/hostile-server.js';
import { loginAt } from '../../helpers/tenant-login.js';

const WEB_APP: ClientConfig = {
  clientId: 'web-app',
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecret: 'web-app-secret',
  redirectUris: [REDIRECT_URI],
  grantTypes: ['authorization_code', 'refresh_token'],
};

let server: StartedTenant;
let issuer: string;

beforeAll(async () => {
  server = await startTestTenant({
    clients: [...defaultTenantOptions().clients, TEST_SPA, WEB_APP],
  });
  issuer = server.issuer;
});
afterAll(() => server.close());
beforeEach(async () => {
  await adminPost(issuer, 'reset');
});

function webApp(): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'web-app',
    clientSecret: 'web-app-secret',
    authorizationParams: { redirect_uri: REDIRECT_URI },
    timeoutMs: 2_000,
  });
}

describe('pushed authorization requests', () => {
  it('pushes the request, returns a request_uri URL, and the login completes through it', async () => {
    const auth = webApp();
    const request = await auth.buildAuthorizationUrl({ pushedAuthorizationRequests: true });
    const url = request.authorizationUrl;
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}authorize`);
    // Nothing but the client and the reference travels through the browser.
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);

    const pushes = (await adminGet(issuer, 'requests?path=/oauth/par')).body;
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ method: 'POST', status: 201, clientId: 'web-app' });

    const { callbackUrl } = await loginAt(url);
    const tokens = await auth.getTokenByCode(new URL(callbackUrl), {
      codeVerifier: request.codeVerifier,
      state: request.state,
      nonce: request.nonce,
    });
    expect(tokens.claims?.sub).toBe('auth0|alice');
    // auth-js's default scope for a server app includes offline_access.
    expect(tokens.refreshToken).toEqual(expect.any(String));
  });

  it('a request_uri is single-use', async () => {
    const { authorizationUrl } = await webApp().buildAuthorizationUrl({
      pushedAuthorizationRequests: true,
    });
    expect((await fetch(authorizationUrl, { redirect: 'manual' })).status).toBe(200);
    const again = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('unknown or was already used');
  });

  it('a request_uri is bound to the client that pushed it', async () => {
    const { authorizationUrl } = await webApp().buildAuthorizationUrl({
      pushedAuthorizationRequests: true,
    });
    authorizationUrl.searchParams.set('client_id', 'test-spa');
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('pushed by another client');
  });

  it('a request_uri expires after 60 seconds', async () => {
    const { authorizationUrl } = await webApp().buildAuthorizationUrl({
      pushedAuthorizationRequests: true,
    });
    await adminPost(issuer, 'clock', { advance: 61 });
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('expired');
  });

  it('the tenant checks a pushed request as /authorize would, and answers in JSON', async () => {
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'web-app',
      clientSecret: 'web-app-secret',
      authorizationParams: { redirect_uri: 'https://evil.example/callback' },
    });
    const error = await expectError(
      auth.buildAuthorizationUrl({ pushedAuthorizationRequests: true }),
      BuildAuthorizationUrlError,
    );
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'oauth_error', error: 'invalid_request', status: 400 });
    expect(error.cause).toMatchObject({ error: 'invalid_request', statusCode: 400 });
  });

  it('a wrong client secret is invalid_client at the PAR endpoint', async () => {
    const auth = new AuthClient({
      domain: issuer,
      clientId: 'web-app',
      clientSecret: 'wrong',
      authorizationParams: { redirect_uri: REDIRECT_URI },
    });
    await expect(
      auth.buildAuthorizationUrl({ pushedAuthorizationRequests: true }),
    ).rejects.toMatchObject({ name: 'BuildAuthorizationUrlError', error: 'invalid_client' });
  });

  it('without pushedAuthorizationRequests the URL carries the parameters, as before', async () => {
    const { authorizationUrl } = await webApp().buildAuthorizationUrl();
    expect(authorizationUrl.searchParams.get('request_uri')).toBeNull();
    expect(authorizationUrl.searchParams.get('scope')).toBe('openid profile email offline_access');
    expect((await adminGet(issuer, 'requests?path=/oauth/par')).body).toHaveLength(0);
  });

  it('a misspelt option is a TypeError, never a silent front-channel request', async () => {
    await expect(
      webApp().buildAuthorizationUrl({
        pushedAuthorizationRequest: true,
      } as unknown as { pushedAuthorizationRequests: boolean }),
    ).rejects.toThrow('"options.pushedAuthorizationRequest" is not a supported option');
  });
});

describe('a server without PAR', () => {
  let hostile: HostileServer;
  beforeAll(async () => {
    hostile = await startHostileServer();
  });
  afterAll(() => hostile.close());

  it('throws NotSupportedError and sends nothing but discovery', async () => {
    hostile.discovery = { pushed_authorization_request_endpoint: undefined };
    const auth = new AuthClient({
      domain: hostile.issuer,
      clientId: 'web-app',
      clientSecret: 'secret',
      authorizationParams: { redirect_uri: REDIRECT_URI },
    });
    const error = await expectError(
      auth.buildAuthorizationUrl({ pushedAuthorizationRequests: true }),
      NotSupportedError,
    );
    expect(error.message).toContain('pushed_authorization_request_endpoint');
    expect(hostile.requests.map((r) => r.path)).toEqual(['/.well-known/openid-configuration']);
  });
});
