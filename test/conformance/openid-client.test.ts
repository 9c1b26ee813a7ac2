// The local tenant against a standards client that is not ours: openid-client (panva), strict
// by design, over real HTTP, for every capability the tenant's discovery document advertises
// (authorization code + PKCE with `iss` in the response, refresh, client credentials with each
// client authentication method, DPoP, revocation, introspection, userinfo, logout) and the
// RFC 9068 shape of its JWT access tokens; and once over HTTPS with openid-client at its
// https-only defaults. Where openid-client refuses something, the tenant is wrong: fix the
// tenant, not this test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  type ClientConfig,
  defaultTenantOptions,
  type StartedTenant,
  startTenant,
} from 'auth0-enclave-tenant';
import {
  ALICE,
  API,
  APP_ORIGIN,
  adminPost,
  REDIRECT_URI,
  startTestTenant,
  submitLogin,
  TEST_SPA,
  transactionIdOf,
} from 'auth0-enclave-tenant/testing';
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WEB_SECRET = 'conformance-web-secret';
/** A confidential web app: authorization code with client_secret_basic, openid-client's default. */
const WEB_APP: ClientConfig = {
  clientId: 'conformance-web',
  tokenEndpointAuthMethod: 'client_secret_basic',
  clientSecret: WEB_SECRET,
  redirectUris: [REDIRECT_URI],
  allowedLogoutUrls: [`${APP_ORIGIN}/`],
  grantTypes: [
    'authorization_code',
    'refresh_token',
    'client_credentials',
    'urn:openid:params:grant-type:ciba',
  ],
};
/** A public client that must use DPoP with server nonces, like the demo's sample-spa. */
const DPOP_SPA: ClientConfig = {
  ...TEST_SPA,
  clientId: 'conformance-dpop-spa',
  dpop: 'required',
  dpopNonce: true,
};

let server: StartedTenant;
let issuer: string;
let keyClientKey: CryptoKey;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  keyClientKey = privateKey;
  const keyClient: ClientConfig = {
    clientId: 'conformance-key',
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'conformance-1', alg: 'ES256' }] },
    grantTypes: ['client_credentials'],
  };
  server = await startTestTenant({
    clients: [...defaultTenantOptions().clients, TEST_SPA, WEB_APP, DPOP_SPA, keyClient],
  });
  issuer = server.issuer;
});
afterAll(() => server.close());

/** openid-client configured from the tenant's discovery document (http: loopback only). */
function configure(clientId: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, undefined, auth, {
    execute: [oidc.allowInsecureRequests],
  });
}

const webApp = () => configure(WEB_APP.clientId, oidc.ClientSecretBasic(WEB_SECRET));
const sampleServer = (auth: (secret: string) => oidc.ClientAuth) =>
  configure('sample-server', auth('sample-server-secret'));

/**
 * Builds the authorization URL with openid-client, logs alice in through the tenant's login
 * form, and returns the callback URL the browser would land on with the checks to redeem it.
 */
async function logIn(
  config: oidc.Configuration,
): Promise<{ callback: URL; checks: oidc.AuthorizationCodeGrantChecks }> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access read:notes',
    audience: API,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const page = await fetch(url, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const landed = await submitLogin(issuer, transactionIdOf(await page.text()), ALICE);
  const location = landed.headers.get('location');
  if (!location) throw new Error(`the login form answered ${landed.status}, not a redirect`);
  return {
    callback: new URL(location),
    checks: {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    },
  };
}

/** Validates a JWT access token as RFC 9068 §4 asks a resource server to. */
async function expectRfc9068(
  token: string,
  expected: { clientId: string; audience: string; sub?: string },
) {
  const jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', issuer));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer,
    audience: expected.audience,
    typ: 'at+jwt',
    algorithms: ['RS256'],
    requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'],
  });
  expect(protectedHeader.typ).toBe('at+jwt');
  expect(payload.client_id).toBe(expected.clientId);
  if (expected.sub !== undefined) expect(payload.sub).toBe(expected.sub);
  return payload;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
}

/**
 * The error code openid-client reports for an OAuth error answer. A 401 with a challenge comes as
 * a WWWAuthenticateChallengeError (the JSON body stays readable on its response).
 */
async function oauthErrorOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  if (error instanceof oidc.ResponseBodyError) return error.error;
  if (error instanceof oidc.WWWAuthenticateChallengeError) {
    expect(error.cause.map((challenge) => challenge.scheme)).toEqual(['basic']);
    return ((await error.response.json()) as { error: string }).error;
  }
  throw new Error(`expected an OAuth error answer, got ${String(error)}`);
}

/** openid-client refuses an authorization response for its `iss` (RFC 9207 §2.4). */
async function expectInvalidIss(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error & { code?: string }).code).toBe('OAUTH_INVALID_RESPONSE');
  expect(String((error as Error).cause)).toMatch(/"iss"/);
}

describe('discovery', () => {
  // Each endpoint the document names is exercised below; a new one must get its test here.
  const COVERED_ENDPOINTS = [
    'authorization_endpoint',
    'token_endpoint',
    'userinfo_endpoint',
    'revocation_endpoint',
    'introspection_endpoint',
    'end_session_endpoint',
    // Auth0's MFA API: no standard client speaks it; covered by the tenant's own MFA tests.
    'mfa_challenge_endpoint',
    'backchannel_authentication_endpoint',
  ];
  // Covered below once the tenant advertises it.
  const COVERED_WHEN_ADVERTISED = ['pushed_authorization_request_endpoint'];

  it('openid-client accepts the document, and every advertised endpoint is covered here', async () => {
    const metadata = (await webApp()).serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.supportsPKCE()).toBe(true);
    const endpoints = Object.keys(metadata).filter(
      (name) => name.endsWith('_endpoint') && !COVERED_WHEN_ADVERTISED.includes(name),
    );
    expect(endpoints.sort()).toEqual([...COVERED_ENDPOINTS].sort());
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.request_parameter_supported).toBe(false);
    expect(metadata.request_uri_parameter_supported).toBe(false);
  });
});

describe('authorization code + PKCE', () => {
  it('a public client (none): tokens, a verified ID token, an RFC 9068 access token', async () => {
    const config = await configure(TEST_SPA.clientId, oidc.None());
    const { callback, checks } = await logIn(config);
    // RFC 9207: the tenant names itself in the response; openid-client checks it.
    expect(callback.searchParams.get('iss')).toBe(issuer);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.claims()).toMatchObject({ sub: ALICE.sub, aud: TEST_SPA.clientId });
    expect(tokens.refresh_token).toBeTruthy();
    await expectRfc9068(tokens.access_token, {
      clientId: TEST_SPA.clientId,
      audience: API,
      sub: ALICE.sub,
    });
  });

  it('openid-client refuses a response whose iss is wrong or missing (RFC 9207)', async () => {
    const config = await configure(TEST_SPA.clientId, oidc.None());
    const { callback, checks } = await logIn(config);
    const forged = new URL(callback);
    forged.searchParams.set('iss', 'https://attacker.example/');
    await expectInvalidIss(oidc.authorizationCodeGrant(config, forged, checks));
    const stripped = new URL(callback);
    stripped.searchParams.delete('iss');
    await expectInvalidIss(oidc.authorizationCodeGrant(config, stripped, checks));
  });

  it('a confidential client (client_secret_basic): code, refresh, then revocation ends it', async () => {
    const config = await webApp();
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    await expectRfc9068(tokens.access_token, { clientId: WEB_APP.clientId, audience: API });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(ALICE.sub);

    await oidc.tokenRevocation(config, refreshed.refresh_token ?? '', {
      token_type_hint: 'refresh_token',
    });
    expect(await oauthErrorOf(oidc.refreshTokenGrant(config, refreshed.refresh_token ?? ''))).toBe(
      'invalid_grant',
    );
  });

  it('pushed authorization requests (RFC 9126), when advertised: the pushed request_uri logs in', async (context) => {
    const config = await webApp();
    if (!config.serverMetadata().pushed_authorization_request_endpoint) context.skip();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(url.searchParams.get('redirect_uri')).toBeNull();
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const landed = await submitLogin(issuer, transactionIdOf(await page.text()), ALICE);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(landed.headers.get('location') ?? ''),
      { pkceCodeVerifier: verifier, expectedState: state },
    );
    expect(tokens.claims()?.sub).toBe(ALICE.sub);
  });

  it('a request object (JAR) is refused: discovery says request_parameter_supported false', async () => {
    const config = await webApp();
    const { privateKey } = await generateKeyPair('ES256');
    const url = await oidc.buildAuthorizationUrlWithJAR(
      config,
      { redirect_uri: REDIRECT_URI, scope: 'openid', state: oidc.randomState() },
      privateKey,
    );
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('request objects');
  });
});

describe('client credentials, with each advertised client authentication method', () => {
  const methods: [string, () => Promise<oidc.Configuration>, string][] = [
    ['client_secret_post', () => sampleServer(oidc.ClientSecretPost), 'sample-server'],
    ['client_secret_basic', () => sampleServer(oidc.ClientSecretBasic), 'sample-server'],
    [
      'private_key_jwt',
      () => configure('conformance-key', oidc.PrivateKeyJwt(keyClientKey)),
      'conformance-key',
    ],
  ];
  for (const [method, config, clientId] of methods) {
    it(`${method}: an RFC 9068 access token for the API`, async () => {
      const tokens = await oidc.clientCredentialsGrant(await config(), { audience: API });
      expect(tokens.scope).toBe('read:notes write:notes');
      await expectRfc9068(tokens.access_token, {
        clientId,
        audience: API,
        sub: `${clientId}@clients`,
      });
    });
  }

  it('a wrong secret is invalid_client, by Basic and by post', async () => {
    for (const auth of [oidc.ClientSecretBasic, oidc.ClientSecretPost]) {
      const config = await configure('sample-server', auth('wrong'));
      expect(await oauthErrorOf(oidc.clientCredentialsGrant(config, { audience: API }))).toBe(
        'invalid_client',
      );
    }
  });
});

describe('DPoP (RFC 9449)', () => {
  it('code, refresh and userinfo with a key, through use_dpop_nonce', async () => {
    const config = await configure(DPOP_SPA.clientId, oidc.None());
    const keyPair = await oidc.randomDPoPKeyPair('ES256');
    const DPoP = oidc.getDPoPHandle(config, keyPair);
    const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks, undefined, {
      DPoP,
    });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    expect(
      (await expectRfc9068(tokens.access_token, { clientId: DPOP_SPA.clientId, audience: API }))
        .cnf,
    ).toEqual({ jkt });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '', undefined, {
      DPoP,
    });
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
    const user = await oidc.fetchUserInfo(config, refreshed.access_token, ALICE.sub, { DPoP });
    expect(user.email).toBe(ALICE.email);
  });

  it('a refresh token bound to a key cannot be used with another', async () => {
    const config = await configure(DPOP_SPA.clientId, oidc.None());
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const other = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks, undefined, {
      DPoP,
    });
    expect(
      await oauthErrorOf(
        oidc.refreshTokenGrant(config, tokens.refresh_token ?? '', undefined, { DPoP: other }),
      ),
    ).toBe('invalid_grant');
  });

  it('client credentials bound to a key', async () => {
    const config = await sampleServer(oidc.ClientSecretBasic);
    const keyPair = await oidc.randomDPoPKeyPair('ES256');
    const tokens = await oidc.clientCredentialsGrant(
      config,
      { audience: API },
      { DPoP: oidc.getDPoPHandle(config, keyPair) },
    );
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
  });
});

describe('CIBA (OpenID Connect Client-Initiated Backchannel Authentication, poll mode)', () => {
  it('openid-client starts a backchannel authentication, polls through authorization_pending, and gets tokens once the user approves', async () => {
    const config = await webApp();
    const started = await oidc.initiateBackchannelAuthentication(config, {
      scope: 'openid',
      binding_message: 'Conformance',
      // Auth0's login_hint for CIBA: the user as an iss_sub JSON object.
      login_hint: JSON.stringify({ format: 'iss_sub', iss: issuer, sub: ALICE.sub }),
    });
    expect(started.auth_req_id).toBeTruthy();
    // The user decides on their device; the admin surface stands in for it after a moment.
    const decided = new Promise((resolve) => setTimeout(resolve, 1_500)).then(() =>
      adminPost(issuer, 'ciba/decide', { authReqId: started.auth_req_id, approve: true }),
    );
    const tokens = await oidc.pollBackchannelAuthenticationGrant(config, {
      ...started,
      interval: 1,
    });
    await decided;
    expect(tokens.claims()?.sub).toBe(ALICE.sub);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
  });
});

describe('userinfo, introspection, revocation, logout', () => {
  it('userinfo answers for the subject of a Bearer token', async () => {
    const config = await webApp();
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    const user = await oidc.fetchUserInfo(config, tokens.access_token, ALICE.sub);
    expect(user).toMatchObject({ sub: ALICE.sub, email: ALICE.email, name: 'Alice Liddell' });
  });

  it('introspection (RFC 7662) with each confidential method; revoked tokens go inactive', async () => {
    const config = await webApp();
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    const access = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(access).toMatchObject({
      active: true,
      client_id: WEB_APP.clientId,
      sub: ALICE.sub,
      token_type: 'Bearer',
      iss: issuer,
    });
    const refresh = await oidc.tokenIntrospection(config, tokens.refresh_token ?? '', {
      token_type_hint: 'refresh_token',
    });
    expect(refresh).toMatchObject({ active: true, client_id: WEB_APP.clientId });

    // Another client learns nothing about this client's tokens.
    const other = await sampleServer(oidc.ClientSecretPost);
    expect(await oidc.tokenIntrospection(other, tokens.access_token)).toEqual({ active: false });

    await oidc.tokenRevocation(config, tokens.refresh_token ?? '');
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    expect((await oidc.tokenIntrospection(config, tokens.refresh_token ?? '')).active).toBe(false);

    const keyConfig = await configure('conformance-key', oidc.PrivateKeyJwt(keyClientKey));
    const m2m = await oidc.clientCredentialsGrant(keyConfig, { audience: API });
    expect(await oidc.tokenIntrospection(keyConfig, m2m.access_token)).toMatchObject({
      active: true,
      client_id: 'conformance-key',
    });
  });

  it('revocation of an access token: userinfo stops answering for it', async () => {
    const config = await webApp();
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, ALICE.sub)).rejects.toThrow();
  });

  it('a public client may revoke its own refresh token (none)', async () => {
    const config = await configure(TEST_SPA.clientId, oidc.None());
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    await oidc.tokenRevocation(config, tokens.refresh_token ?? '');
    expect(await oauthErrorOf(oidc.refreshTokenGrant(config, tokens.refresh_token ?? ''))).toBe(
      'invalid_grant',
    );
  });

  it('RP-initiated logout: the end-session URL redirects to the registered URL', async () => {
    const config = await webApp();
    const { callback, checks } = await logIn(config);
    const tokens = await oidc.authorizationCodeGrant(config, callback, checks);
    const state = oidc.randomState();
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: `${APP_ORIGIN}/`,
      state,
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`${APP_ORIGIN}/`);
    expect(location.searchParams.get('state')).toBe(state);
  });
});

describe('over HTTPS, with openid-client at its defaults (https only)', () => {
  it('discovery, client_secret_basic and introspection against the tenant served with --https', async () => {
    const tls = await startTenant({ ...defaultTenantOptions(), port: 0, https: true });
    try {
      // NODE_EXTRA_CA_CERTS is read at process start: a fresh Node process, trusting the CA the
      // way the tenant's banner says, and no allowInsecureRequests.
      const script = `
        const oidc = await import('openid-client');
        const config = await oidc.discovery(new URL(process.argv[1]), 'sample-server', undefined,
          oidc.ClientSecretBasic('sample-server-secret'));
        const tokens = await oidc.clientCredentialsGrant(config, { audience: '${API}' });
        const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
        console.log(JSON.stringify({ issuer: config.serverMetadata().issuer, active: introspection.active }));`;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', script, tls.issuer],
        { env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caCertPath ?? '' }, timeout: 15_000 },
      );
      expect(JSON.parse(stdout)).toEqual({ issuer: tls.issuer, active: true });
    } finally {
      await tls.close();
    }
  });
});
