// AuthClient's grant-type methods as a server app against oidc-provider, a certified OpenID
// Provider, in its default resource-indicator setting (useGrantedResource: false): pushed
// authorization requests (on by default there), the code and refresh grants with RFC 8707
// `resource`, client credentials (feature flag), CIBA (feature flag, poll mode), revocation and
// userinfo. Nothing here is configured to make the SDK's life easier than a real OP would.

import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthClient, BackchannelAuthenticationError, OAuthError } from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import { Browser } from './browser.js';
import { OIDC_ALICE, type RunningOidcProvider, startOidcProvider } from './provider.js';

const APP = 'http://localhost:3000';
const REDIRECT_URI = `${APP}/callback`;
const API = 'https://api.example.com/';

let provider: RunningOidcProvider;
const backchannel: { id: string; bindingMessage?: string }[] = [];

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [
      {
        clientId: 'server-app',
        clientSecret: 'a-long-enough-server-app-secret-0123456789',
        redirectUris: [REDIRECT_URI],
        grantTypes: [
          'authorization_code',
          'refresh_token',
          'client_credentials',
          'urn:openid:params:grant-type:ciba',
        ],
      },
    ],
    apiIdentifier: API,
    onBackchannelRequest: (request) => backchannel.push(request),
  });
});
afterAll(async () => {
  await provider.close();
  expect(provider.serverErrors).toEqual([]);
});

function serverApp(): AuthClient {
  return new AuthClient({
    domain: provider.url,
    clientId: 'server-app',
    clientSecret: 'a-long-enough-server-app-secret-0123456789',
    authorizationParams: { redirect_uri: REDIRECT_URI },
    timeoutMs: 5_000,
  });
}

async function loginThrough(url: URL): Promise<string> {
  const browser = new Browser(APP);
  let stop = await browser.navigate(url);
  if (stop.kind === 'page') {
    stop = await browser.submit(stop, { email: OIDC_ALICE.email, password: OIDC_ALICE.password });
  }
  if (stop.kind !== 'app') throw new Error(`login ended at ${stop.url} (${stop.status})`);
  return stop.url;
}

describe('AuthClient against oidc-provider (useGrantedResource: false)', () => {
  it('PAR + code + resource: an API token; refresh with resource: another; userinfo; revoke', async () => {
    const auth = serverApp();
    expect((await auth.getServerMetadata()).pushed_authorization_request_endpoint).toEqual(
      expect.any(String),
    );
    const request = await auth.buildAuthorizationUrl({
      pushedAuthorizationRequests: true,
      authorizationParams: { scope: 'openid offline_access read:notes', resource: API },
    });
    expect([...request.authorizationUrl.searchParams.keys()].sort()).toEqual([
      'client_id',
      'request_uri',
    ]);
    const callbackUrl = await loginThrough(request.authorizationUrl);
    const tokens = await auth.getTokenByCode(callbackUrl, { ...request, resource: API });
    expect(tokens.claims?.sub).toBe(OIDC_ALICE.sub);
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ aud: API, scope: 'read:notes' });

    const refreshed = await auth.getTokenByRefreshToken({
      refreshToken: tokens.refreshToken as string,
      resource: API,
    });
    expect(decodeJwt(refreshed.accessToken).aud).toBe(API);

    await auth.revokeToken({ token: refreshed.refreshToken as string });
    await expectError(
      auth.getTokenByRefreshToken({ refreshToken: refreshed.refreshToken as string }),
      OAuthError,
      { error: 'invalid_grant' },
    );
  });

  it('without resource at the token endpoint the OP issues no API token: the SDK must send it', async () => {
    const auth = serverApp();
    const request = await auth.buildAuthorizationUrl({
      pushedAuthorizationRequests: true,
      authorizationParams: { scope: 'openid read:notes', resource: API },
    });
    const tokens = await auth.getTokenByCode(await loginThrough(request.authorizationUrl), request);
    // An opaque token for userinfo, not a JWT for the API.
    expect(() => decodeJwt(tokens.accessToken)).toThrow();
    const user = await auth.getUserInfo({ accessToken: tokens.accessToken });
    expect(user.sub).toBe(OIDC_ALICE.sub);
  });

  it('client credentials with resource', async () => {
    const tokens = await serverApp().getTokenByClientCredentials({
      audience: API,
      resource: API,
    });
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ aud: API, client_id: 'server-app' });
  });

  it('CIBA: initiate at the discovered endpoint, pending until the device approves, then tokens', async () => {
    const auth = serverApp();
    const started = await auth.initiateBackchannelAuthentication({
      bindingMessage: 'Approve-42',
      loginHint: { sub: OIDC_ALICE.sub },
      authorizationParams: { scope: 'openid' },
    });
    expect(started.authReqId).toEqual(expect.any(String));
    const device = backchannel.at(-1);
    expect(device?.bindingMessage).toBe('Approve-42');
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId: started.authReqId }),
      BackchannelAuthenticationError,
      { error: 'authorization_pending' },
    );
    await provider.decideBackchannel(device?.id as string, true);
    const tokens = await auth.backchannelAuthenticationGrant({ authReqId: started.authReqId });
    expect(tokens.claims?.sub).toBe(OIDC_ALICE.sub);
  });

  it('CIBA: a denied request is access_denied', async () => {
    const auth = serverApp();
    const { authReqId } = await auth.initiateBackchannelAuthentication({
      bindingMessage: 'Deny-me',
      loginHint: { sub: OIDC_ALICE.sub },
      authorizationParams: { scope: 'openid' },
    });
    await provider.decideBackchannel(backchannel.at(-1)?.id as string, false);
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId }),
      BackchannelAuthenticationError,
      { error: 'access_denied' },
    );
  });
});
