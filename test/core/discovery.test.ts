import { describe, expect, test } from 'vitest';
import { publicClient } from '../../src/core/client-auth.js';
import { createClientContext } from '../../src/core/context.js';
import { auth0Metadata, discover } from '../../src/core/discovery.js';
import {
  HttpError,
  InvalidConfigurationError,
  NetworkError,
  ResponseError,
} from '../../src/core/errors.js';
import type { FetchLike, HttpConfig } from '../../src/core/http.js';
import { createFetchStub, jsonResponse } from '../helpers/fetch-stub.js';
import { createSigner } from '../helpers/jwt-factory.js';

const BASE = new URL('https://tenant.example.com/');
const LOCAL = new URL('http://localhost:4000/');

function http(fetch: FetchLike): HttpConfig {
  return { fetch, timeoutMs: 2_000, maxResponseBytes: 64 * 1024 };
}

function document(base: URL, overrides: Record<string, unknown> = {}) {
  const at = (path: string) => new URL(path, base).href;
  return {
    issuer: base.href,
    authorization_endpoint: at('authorize'),
    token_endpoint: at('oauth/token'),
    userinfo_endpoint: at('userinfo'),
    jwks_uri: at('.well-known/jwks.json'),
    revocation_endpoint: at('oauth/revoke'),
    end_session_endpoint: at('oidc/logout'),
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    ...overrides,
  };
}

describe('discover', () => {
  test('GETs the well-known document and returns it', async () => {
    const stub = createFetchStub(jsonResponse(document(BASE)));
    const metadata = await discover(http(stub.fetch), BASE);
    expect(stub.requests[0]?.url).toBe(
      'https://tenant.example.com/.well-known/openid-configuration',
    );
    expect(stub.requests[0]?.method).toBe('GET');
    expect(metadata).toEqual(document(BASE));
  });

  test('an issuer without the trailing slash is accepted and kept as published', async () => {
    const issuer = 'https://tenant.example.com';
    const stub = createFetchStub(jsonResponse(document(BASE, { issuer })));
    expect((await discover(http(stub.fetch), BASE)).issuer).toBe(issuer);
  });

  test.each([
    ['another issuer', 'https://evil.example/'],
    ['a sub-path issuer', 'https://tenant.example.com/other/'],
    ['an http issuer', 'http://tenant.example.com/'],
    ['no issuer', undefined],
    ['a non-string issuer', 42],
  ])('%s is an InvalidConfigurationError', async (_label, issuer) => {
    const stub = createFetchStub(jsonResponse(document(BASE, { issuer })));
    const error = await discover(http(stub.fetch), BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error).toMatchObject({ code: 'invalid_configuration' });
  });

  test.each([
    ['a 404', () => new Response('Not found', { status: 404 })],
    ['a 410', () => new Response('Gone', { status: 410 })],
    ['a non-JSON 200', () => new Response('<html>hello</html>', { status: 200 })],
    ['a JSON array', () => jsonResponse([1, 2])],
  ])('%s falls back to the Auth0 paths', async (_label, reply) => {
    const stub = createFetchStub(reply());
    const metadata = await discover(http(stub.fetch), BASE);
    expect(metadata).toEqual(auth0Metadata(BASE));
    expect(metadata).toMatchObject({
      issuer: 'https://tenant.example.com/',
      authorization_endpoint: 'https://tenant.example.com/authorize',
      token_endpoint: 'https://tenant.example.com/oauth/token',
      jwks_uri: 'https://tenant.example.com/.well-known/jwks.json',
      userinfo_endpoint: 'https://tenant.example.com/userinfo',
      revocation_endpoint: 'https://tenant.example.com/oauth/revoke',
    });
    expect(metadata.end_session_endpoint).toBeUndefined();
  });

  test.each([
    [500, 'http_error'],
    [503, 'http_error'],
    [429, 'http_error'],
  ])(
    'a %i is an outage, not a missing document: typed error, no fallback',
    async (status, code) => {
      const stub = createFetchStub(new Response('<html>oops</html>', { status }));
      const error = await discover(http(stub.fetch), BASE).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ code, status });
    },
  );

  test.each([
    'token_endpoint',
    'authorization_endpoint',
    'jwks_uri',
    'userinfo_endpoint',
    'revocation_endpoint',
    'end_session_endpoint',
  ])('an http:// %s for a non-loopback issuer is an InvalidConfigurationError', async (name) => {
    const stub = createFetchStub(
      jsonResponse(document(BASE, { [name]: 'http://tenant.example.com/x' })),
    );
    const error = await discover(http(stub.fetch), BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error).toMatchObject({ code: 'invalid_configuration' });
  });

  test('a non-string or non-URL endpoint is an InvalidConfigurationError', async () => {
    for (const value of [42, 'not a url']) {
      const stub = createFetchStub(jsonResponse(document(BASE, { token_endpoint: value })));
      await expect(discover(http(stub.fetch), BASE)).rejects.toBeInstanceOf(
        InvalidConfigurationError,
      );
    }
  });

  test('http endpoints are accepted for a loopback issuer', async () => {
    const stub = createFetchStub(jsonResponse(document(LOCAL)));
    const metadata = await discover(http(stub.fetch), LOCAL);
    expect(metadata.token_endpoint).toBe('http://localhost:4000/oauth/token');
  });

  test('missing required endpoints are filled with the Auth0 paths', async () => {
    const stub = createFetchStub(jsonResponse({ issuer: BASE.href }));
    const metadata = await discover(http(stub.fetch), BASE);
    expect(metadata.token_endpoint).toBe('https://tenant.example.com/oauth/token');
    expect(metadata.authorization_endpoint).toBe('https://tenant.example.com/authorize');
    expect(metadata.jwks_uri).toBe('https://tenant.example.com/.well-known/jwks.json');
  });

  test('a network failure is a NetworkError, not a fallback', async () => {
    const stub = createFetchStub(new TypeError('fetch failed'));
    await expect(discover(http(stub.fetch), BASE)).rejects.toBeInstanceOf(NetworkError);
  });

  test('a redirect is an HttpError and is not followed', async () => {
    const stub = createFetchStub(
      new Response(null, { status: 302, headers: { location: 'https://evil.example/' } }),
    );
    await expect(discover(http(stub.fetch), BASE)).rejects.toBeInstanceOf(HttpError);
    expect(stub.requests).toHaveLength(1);
  });

  test('an oversized document is a ResponseError', async () => {
    const stub = createFetchStub(jsonResponse(document(BASE, { padding: 'x'.repeat(100 * 1024) })));
    await expect(discover(http(stub.fetch), BASE)).rejects.toBeInstanceOf(ResponseError);
  });
});

describe('ClientContext discovery cache', () => {
  function context(fetch: FetchLike) {
    return createClientContext({
      clientId: 'c',
      base: BASE,
      http: http(fetch),
      authenticate: publicClient(),
    });
  }

  test('a successful discovery is fetched once', async () => {
    const stub = createFetchStub(jsonResponse(document(BASE)));
    const ctx = context(stub.fetch);
    await Promise.all([ctx.metadata(), ctx.metadata()]);
    await ctx.metadata();
    expect(stub.requests).toHaveLength(1);
  });

  test('a failed discovery is not cached: the next call retries', async () => {
    const stub = createFetchStub(
      new TypeError('fetch failed'),
      jsonResponse(document(BASE, { issuer: 'https://evil.example/' })),
      jsonResponse(document(BASE)),
    );
    const ctx = context(stub.fetch);
    await expect(ctx.metadata()).rejects.toBeInstanceOf(NetworkError);
    await expect(ctx.metadata()).rejects.toBeInstanceOf(InvalidConfigurationError);
    await expect(ctx.metadata()).resolves.toMatchObject({ issuer: BASE.href });
    await ctx.metadata();
    expect(stub.requests).toHaveLength(3);
  });

  test('a failed discovery does not poison the key set either', async () => {
    const signer = await createSigner();
    const stub = createFetchStub(
      new TypeError('fetch failed'),
      jsonResponse(document(BASE)),
      jsonResponse(signer.jwks),
    );
    const ctx = context(stub.fetch);
    await expect(ctx.jwks()).rejects.toBeInstanceOf(NetworkError);
    const keys = await ctx.jwks();
    const key = await keys({ alg: 'RS256', kid: signer.kid }, { payload: '', signature: '' });
    expect(key).toBeDefined();
    expect(stub.requests.map((request) => request.url)).toEqual([
      'https://tenant.example.com/.well-known/openid-configuration',
      'https://tenant.example.com/.well-known/openid-configuration',
      'https://tenant.example.com/.well-known/jwks.json',
    ]);
  });

  test('algorithms() intersects the advertised list with the asymmetric ones', async () => {
    const stub = createFetchStub(
      jsonResponse(document(BASE, { id_token_signing_alg_values_supported: ['HS256', 'PS256'] })),
    );
    expect(await context(stub.fetch).algorithms()).toEqual(['PS256']);
  });
});
