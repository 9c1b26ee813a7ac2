// The oidc-provider harness itself: what it advertises, that its login page checks passwords,
// that it prints nothing, and that both issuer forms work with the SDK.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AuthClient } from '../../src/core/index.js';
import { OIDC_ALICE, type RunningOidcProvider, startOidcProvider } from './provider.js';
import { API_IDENTIFIER, APP_ORIGIN, CLIENT_ID, newBrowser, REDIRECT_URI } from './servers.js';

let running: RunningOidcProvider | undefined;
afterEach(async () => {
  await running?.close();
  expect(running?.serverErrors).toEqual([]);
  running = undefined;
  vi.restoreAllMocks();
});

function start(options: { issuerTrailingSlash?: boolean } = {}) {
  return startOidcProvider({
    clients: [{ clientId: CLIENT_ID, redirectUris: [REDIRECT_URI] }],
    apiIdentifier: API_IDENTIFIER,
    ...options,
  });
}

function client(provider: RunningOidcProvider): AuthClient {
  return new AuthClient({
    domain: provider.url,
    clientId: CLIENT_ID,
    authorizationParams: { redirect_uri: REDIRECT_URI },
  });
}

describe('oidc-provider harness', () => {
  // First, so that the import of oidc-provider happens under the spies too.
  test('is quiet: starting, logging in, refusing and stopping print nothing', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method),
    );
    running = await start();
    const auth = client(running);
    const request = await auth.buildAuthorizationUrl();
    const browser = newBrowser();
    const page = await browser.navigate(request.authorizationUrl);
    const callback = await browser.submit(page, {
      email: OIDC_ALICE.email,
      password: OIDC_ALICE.password,
    });
    await auth.getTokenByCode(callback.url, request);
    await expect(auth.getTokenByRefreshToken({ refreshToken: 'unknown' })).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // A request from an origin the client does not allow is refused (CORS), quietly.
    const token = await fetch(`${running.url}/token`, {
      method: 'POST',
      headers: {
        origin: 'http://localhost:9999',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: CLIENT_ID,
      }),
    });
    expect(token.status).toBe(400);
    expect(token.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${running.url}/token`, {
      method: 'POST',
      headers: { origin: APP_ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: CLIENT_ID,
      }),
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  test('advertises what the SDK relies on, under a bare-origin issuer', async () => {
    running = await start();
    expect(running.issuer).toBe(running.url);
    const metadata = await client(running).getServerMetadata();
    expect(metadata).toMatchObject({
      issuer: running.url,
      end_session_endpoint: `${running.url}/session/end`,
      revocation_endpoint: `${running.url}/token/revocation`,
      userinfo_endpoint: `${running.url}/me`,
      authorization_response_iss_parameter_supported: true,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    expect(metadata.dpop_signing_alg_values_supported).toContain('ES256');
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
  });

  test('with issuerTrailingSlash the issuer is origin + "/" everywhere, and the SDK accepts it', async () => {
    running = await start({ issuerTrailingSlash: true });
    expect(running.issuer).toBe(`${running.url}/`);
    const auth = client(running);
    expect((await auth.getServerMetadata()).issuer).toBe(`${running.url}/`);
    const request = await auth.buildAuthorizationUrl();
    const browser = newBrowser();
    const page = await browser.navigate(request.authorizationUrl);
    const callback = await browser.submit(page, {
      email: OIDC_ALICE.email,
      password: OIDC_ALICE.password,
    });
    expect(callback.kind).toBe('app');
    const tokens = await auth.getTokenByCode(callback.url, request);
    expect(tokens.claims?.iss).toBe(`${running.url}/`);
  });

  test('the login page refuses a wrong password and issues no code', async () => {
    running = await start();
    const request = await client(running).buildAuthorizationUrl();
    const browser = newBrowser();
    const page = await browser.navigate(request.authorizationUrl);
    expect(page).toMatchObject({ kind: 'page', status: 200 });
    const refused = await browser.submit(page, { email: OIDC_ALICE.email, password: 'nope' });
    expect(refused).toMatchObject({ kind: 'page', status: 401 });
    expect(refused.kind === 'page' && refused.html).toContain('Wrong email or password.');
    // The form is shown again, and the right password still works.
    const accepted = await browser.submit(refused, { password: OIDC_ALICE.password });
    expect(accepted.kind).toBe('app');
    expect(new URL(accepted.url).searchParams.get('code')).toEqual(expect.any(String));
  });
});
