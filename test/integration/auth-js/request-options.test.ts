// Per-call requestOptions, fullResponse, telemetry, the error classes, TokenResponse as a class,
// RFC 8707 resource, discoveryCache and useMtls — AuthClient options that change what goes over
// the wire, checked on the wire (the tenant's request log, or a scripted server's recording).

import type { ClientConfig, StartedTenant } from 'auth0-enclave-tenant';
import { defaultTenantOptions } from 'auth0-enclave-tenant';
import { API, adminGet, adminPost, startTestTenant, TEST_SPA } from 'auth0-enclave-tenant/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  type FetchLike,
  MfaError,
  MfaListAuthenticatorsError,
  OAuthError,
  TokenByClientCredentialsError,
  TokenByPasswordError,
  TokenByRefreshTokenError,
  TokenResponse,
  TokenRevocationError,
  UserInfoError,
} from '../../../src/core/index.js';
import { expectError } from '../../helpers/expect-error.js';
import { type HostileServer, sendJson, startHostileServer } from '../../helpers/hostile-server.js';

let server: StartedTenant;
let issuer: string;

const PASSWORD_APP: ClientConfig = {
  clientId: 'password-app',
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecret: 'password-app-secret',
  grantTypes: ['password', 'refresh_token', 'client_credentials'],
};

beforeAll(async () => {
  server = await startTestTenant({
    clients: [...defaultTenantOptions().clients, TEST_SPA, PASSWORD_APP],
  });
  issuer = server.issuer;
});
afterAll(() => server.close());
beforeEach(async () => {
  await adminPost(issuer, 'reset');
});

/** Records the headers of every request sent through it. */
function recordingFetch(): { fetch: FetchLike; headers: Headers[]; urls: string[] } {
  const headers: Headers[] = [];
  const urls: string[] = [];
  return {
    headers,
    urls,
    fetch: (input, init) => {
      headers.push(new Headers(init?.headers));
      urls.push(String(input));
      return fetch(input, init);
    },
  };
}

function passwordApp(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'password-app',
    clientSecret: 'password-app-secret',
    timeoutMs: 3_000,
    ...options,
  });
}

function decodeTelemetry(value: string | null): unknown {
  return value === null ? null : JSON.parse(atob(value));
}

describe('telemetry', () => {
  it('is sent by default, can be renamed, and can be turned off', async () => {
    for (const [telemetry, expected] of [
      [undefined, { name: 'auth0-enclave', version: expect.any(String) }],
      [
        { name: 'my-sdk', version: '9.9.9' },
        { name: 'my-sdk', version: '9.9.9' },
      ],
      [{ enabled: false }, null],
      [false, null],
    ] as const) {
      const recorder = recordingFetch();
      await passwordApp({
        customFetch: recorder.fetch,
        ...(telemetry === undefined ? {} : { telemetry }),
      }).getTokenByClientCredentials({ audience: API });
      expect(recorder.headers.length).toBeGreaterThan(0);
      for (const sent of recorder.headers) {
        expect(decodeTelemetry(sent.get('auth0-client'))).toEqual(expected);
      }
    }
  });

  it('a malformed telemetry option is a TypeError naming it', () => {
    expect(() => passwordApp({ telemetry: { name: 'x' } as never })).toThrow(
      '"options.telemetry.version"',
    );
    expect(() => passwordApp({ telemetry: { enabled: false, name: 'x' } as never })).toThrow(
      TypeError,
    );
  });
});

describe('requestOptions', () => {
  it('headers are added to this call only; the SDK headers cannot be overridden', async () => {
    const recorder = recordingFetch();
    const auth = passwordApp({ customFetch: recorder.fetch });
    await auth.getTokenByClientCredentials(
      { audience: API },
      { headers: { 'x-trace': 'abc', 'Auth0-Client': 'forged', 'Content-Type': 'text/plain' } },
    );
    const sent = recorder.headers.at(-1) as Headers;
    expect(sent.get('x-trace')).toBe('abc');
    expect(decodeTelemetry(sent.get('auth0-client'))).toMatchObject({ name: 'auth0-enclave' });
    expect(sent.get('content-type')).toBe('application/x-www-form-urlencoded');
    await auth.getTokenByClientCredentials({ audience: API });
    expect(recorder.headers.at(-1)?.get('x-trace')).toBeNull();
  });

  it('customFetch replaces the transport for this call only', async () => {
    const base = recordingFetch();
    const once = recordingFetch();
    const auth = passwordApp({ customFetch: base.fetch });
    await auth.getTokenByClientCredentials({ audience: API }, { customFetch: once.fetch });
    expect(once.urls).toEqual([`${issuer}oauth/token`]);
    expect(base.urls).toEqual([`${issuer}.well-known/openid-configuration`]);
  });

  it('signal aborts the call; unknown keys are TypeErrors', async () => {
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(
      passwordApp().getTokenByClientCredentials({ audience: API }, { signal: controller.signal }),
    ).rejects.toThrow('caller gave up');
    await expect(
      passwordApp().getTokenByClientCredentials({ audience: API }, { timeout: 5 } as never),
    ).rejects.toThrow('"requestOptions.timeout" is not a supported option');
  });
});

describe('fullResponse, TokenResponse and the error classes', () => {
  it('returns { data, response } with the token endpoint response; data is a TokenResponse', async () => {
    const { data, response } = await passwordApp().getTokenByPassword({
      username: 'alice@example.com',
      password: 'wonderland',
      scope: 'openid offline_access',
      fullResponse: true,
    });
    expect(data).toBeInstanceOf(TokenResponse);
    expect(data.claims?.sub).toBe('auth0|alice');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await response.json()).access_token).toBe(data.accessToken);

    const refreshed = await passwordApp().getTokenByRefreshToken({
      refreshToken: data.refreshToken as string,
      fullResponse: true,
    });
    expect(refreshed.data).toBeInstanceOf(TokenResponse);
    expect(refreshed.response.ok).toBe(true);
  });

  it("server refusals are the operation's class, an OAuthError, with auth-js's cause", async () => {
    const wrong = await expectError(
      passwordApp().getTokenByPassword({ username: 'alice@example.com', password: 'nope' }),
      TokenByPasswordError,
      { code: 'oauth_error', error: 'invalid_grant', status: 403 },
    );
    expect(wrong).toBeInstanceOf(OAuthError);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.cause).toMatchObject({
      error: 'invalid_grant',
      error_description: 'Wrong email or password.',
      statusCode: 403,
    });
    await expectError(
      passwordApp().getTokenByRefreshToken({ refreshToken: 'unknown' }),
      TokenByRefreshTokenError,
      { error: 'invalid_grant' },
    );
    await expectError(
      passwordApp().getTokenByClientCredentials({ audience: 'https://unknown.example/' }),
      TokenByClientCredentialsError,
      { error: 'access_denied' },
    );
    await expectError(
      passwordApp({ clientSecret: 'wrong' }).revokeToken({ token: 'x' }),
      TokenRevocationError,
      { error: 'invalid_client', status: 401 },
    );
    await expectError(passwordApp().getUserInfo({ accessToken: 'nope' }), UserInfoError, {
      status: 401,
    });
  });

  it('the MFA sub-client maps refusals to its per-method classes, still MfaErrors', async () => {
    const error = await expectError(
      passwordApp().mfa.listAuthenticators({ mfaToken: 'bogus' }, { headers: { 'x-a': 'b' } }),
      MfaListAuthenticatorsError,
      { code: 'mfa_error' },
    );
    expect(error).toBeInstanceOf(MfaError);
    expect(error.cause).toMatchObject({ error: error.error, statusCode: error.status });
  });

  it('TokenResponse is auth-js-shaped: constructor and fromTokenEndpointResponse', () => {
    const built = new TokenResponse('at', 1000, 'id', 'rt', 'openid');
    expect(built).toMatchObject({
      accessToken: 'at',
      expiresAt: 1000,
      idToken: 'id',
      refreshToken: 'rt',
      scope: 'openid',
    });
    const parsed = TokenResponse.fromTokenEndpointResponse(
      {
        access_token: 'a',
        token_type: 'DPoP',
        expires_in: 60,
        authorization_details: [{ type: 't' }],
      },
      () => 1_000_000,
    );
    expect(parsed).toMatchObject({
      tokenType: 'DPoP',
      expiresAt: 1060,
      authorizationDetails: [{ type: 't' }],
    });
    expect('idToken' in parsed).toBe(false);
  });
});

describe('resource (RFC 8707)', () => {
  it('a resource that is not an absolute URI is a TypeError, nothing sent', async () => {
    await expect(
      passwordApp().getTokenByClientCredentials({ audience: API, resource: 'not a uri' }),
    ).rejects.toThrow('"options.resource" must be an absolute URI');
    await expect(
      passwordApp().getTokenByRefreshToken({ refreshToken: 'x', resource: 'https://a/#f' }),
    ).rejects.toThrow('must not have a fragment');
    expect((await adminGet(issuer, 'requests?path=/oauth/token')).body).toHaveLength(0);
  });
});

describe('a scripted server: resource on the wire, discoveryCache, useMtls', () => {
  let hostile: HostileServer;
  const bodies: URLSearchParams[] = [];
  beforeAll(async () => {
    hostile = await startHostileServer();
  });
  afterAll(() => hostile.close());
  beforeEach(() => {
    hostile.reset();
    bodies.length = 0;
    const token = ({
      body,
      response,
    }: {
      body: string;
      response: import('node:http').ServerResponse;
    }) => {
      bodies.push(new URLSearchParams(body));
      sendJson(response, 200, { access_token: 'at', token_type: 'Bearer', expires_in: 60 });
    };
    hostile.route('/oauth/token', token);
    hostile.route('/mtls/oauth/token', token);
  });

  it('resource is repeated once per indicator on the token request', async () => {
    const auth = new AuthClient({ domain: hostile.issuer, clientId: 'c', clientSecret: 's' });
    await auth.getTokenByClientCredentials({
      audience: 'https://api/',
      resource: ['https://a.example/', 'https://b.example/'],
    });
    expect(bodies[0]?.getAll('resource')).toEqual(['https://a.example/', 'https://b.example/']);
  });

  it('discoveryCache.ttl: 0 discovers on every call; the default reuses the document', async () => {
    const fresh = new AuthClient({
      domain: hostile.issuer,
      clientId: 'c',
      clientSecret: 's',
      discoveryCache: { ttl: 0 },
    });
    await fresh.getTokenByClientCredentials({ audience: 'https://api/' });
    await fresh.getTokenByClientCredentials({ audience: 'https://api/' });
    expect(hostile.requestsTo('/.well-known/openid-configuration')).toHaveLength(2);
    const cached = new AuthClient({ domain: hostile.issuer, clientId: 'c', clientSecret: 's' });
    await cached.getTokenByClientCredentials({ audience: 'https://api/' });
    await cached.getTokenByClientCredentials({ audience: 'https://api/' });
    expect(hostile.requestsTo('/.well-known/openid-configuration')).toHaveLength(3);
    expect(
      () =>
        new AuthClient({
          domain: hostile.issuer,
          clientId: 'c',
          discoveryCache: { max: 1 } as never,
        }),
    ).toThrow('"options.discoveryCache.max" is not a supported option');
  });

  // No client certificate can be presented from this test process: what is tested is that
  // useMtls routes every request to the server's mtls_endpoint_aliases through the given fetch
  // (which is where a real mTLS agent would present the certificate) and authenticates with
  // client_id only (tls_client_auth), never a secret.
  it('useMtls sends to mtls_endpoint_aliases through customFetch, with client_id only', async () => {
    hostile.discovery = {
      mtls_endpoint_aliases: { token_endpoint: `${hostile.issuer}mtls/oauth/token` },
    };
    const recorder = recordingFetch();
    const auth = new AuthClient({
      domain: hostile.issuer,
      clientId: 'mtls-client',
      useMtls: true,
      customFetch: recorder.fetch,
    });
    await auth.getTokenByClientCredentials({ audience: 'https://api/' });
    expect(recorder.urls.at(-1)).toBe(`${hostile.issuer}mtls/oauth/token`);
    expect(hostile.requestsTo('/oauth/token')).toHaveLength(0);
    expect(Object.fromEntries(bodies[0] as URLSearchParams)).toEqual({
      grant_type: 'client_credentials',
      audience: 'https://api/',
      client_id: 'mtls-client',
    });
    expect(() => new AuthClient({ domain: hostile.issuer, clientId: 'c', useMtls: true })).toThrow(
      '"options.useMtls" needs "options.customFetch"',
    );
    expect(
      () =>
        new AuthClient({
          domain: hostile.issuer,
          clientId: 'c',
          clientSecret: 's',
          useMtls: true,
          customFetch: fetch,
        }),
    ).toThrow(TypeError);
  });

  it('an mtls alias that is not https (or loopback http) is refused', async () => {
    hostile.discovery = { mtls_endpoint_aliases: { token_endpoint: 'http://evil.example/token' } };
    const auth = new AuthClient({
      domain: hostile.issuer,
      clientId: 'c',
      useMtls: true,
      customFetch: fetch,
    });
    await expect(
      auth.getTokenByClientCredentials({ audience: 'https://api/' }),
    ).rejects.toMatchObject({
      code: 'invalid_configuration',
    });
    expect(bodies).toHaveLength(0);
  });
});
