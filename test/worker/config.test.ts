import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '../../src/core/errors.js';
import { type AuthWorkerConfig, resolveConfig } from '../../worker/config.js';

const ORIGIN = 'https://app.example.com';

function config(overrides: Partial<AuthWorkerConfig> = {}): AuthWorkerConfig {
  return {
    domain: 'tenant.eu.auth0.com',
    clientId: 'client-abc',
    authorizationParams: { redirect_uri: `${ORIGIN}/callback` },
    ...overrides,
  };
}

/** Resolves a config given as arbitrary data (what a worker script could be built with). */
function resolveLoose(value: unknown, origin = ORIGIN) {
  return resolveConfig(value as AuthWorkerConfig, origin);
}

function expectConfigError(attempt: () => unknown, field: RegExp): void {
  let thrown: unknown;
  try {
    attempt();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InvalidConfigurationError);
  expect((thrown as InvalidConfigurationError).code).toBe('invalid_configuration');
  expect((thrown as Error).message).toMatch(field);
}

describe('resolveConfig: resource indicators and telemetry', () => {
  it("names the resource of each audience: the login's own and each apis entry's", () => {
    const resolved = resolveConfig(
      {
        ...config(),
        authorizationParams: {
          ...config().authorizationParams,
          audience: 'https://main/',
          resource: 'https://main/',
        },
        apis: [
          {
            url: 'https://other.example/api',
            audience: 'https://other/',
            resource: 'https://other/',
          },
          { url: 'https://plain.example/api', audience: 'https://plain/' },
        ],
        telemetry: false,
      },
      ORIGIN,
    );
    expect(resolved.resourceFor('https://main/')).toBe('https://main/');
    expect(resolved.resourceFor('https://other/')).toBe('https://other/');
    expect(resolved.resourceFor('https://plain/')).toBeUndefined();
    expect(resolved.telemetry).toBe(false);
  });

  it('refuses a non-boolean telemetry and an empty apis resource', () => {
    expect(() => resolveConfig({ ...config(), telemetry: 'no' as never }, ORIGIN)).toThrow(
      /telemetry/,
    );
    expect(() =>
      resolveConfig({ ...config(), apis: [{ url: 'https://a.example/', resource: '' }] }, ORIGIN),
    ).toThrow(/resource/);
  });
});

describe('resolveConfig: defaults', () => {
  it('binds tokens to DPoP, keeps refresh tokens by "auto", exposes nothing, adds offline_access', () => {
    const resolved = resolveConfig(config(), ORIGIN);
    expect(resolved.useDpop).toBe(true);
    expect(resolved.refreshTokenStorage).toBe('auto');
    expect(resolved.exposeAccessTokens).toBe(false);
    expect(resolved.exposeDpopProofs).toBe(false);
    // Secure by default (THREATS 21): only fetchWithAuth() requests get credentials.
    expect(resolved.fetchWithAuthOnly).toBe(true);
    expect(resolved.authorizationParams.scope).toBe('openid profile email offline_access');
    // A normalised URL (origin + '/'): servers that match post_logout_redirect_uri exactly
    // see one spelling, the one URL parsing gives.
    expect(resolved.returnTo).toBe(`${ORIGIN}/`);
    expect(resolved.returnTo).toBe(new URL(ORIGIN).href);
    expect(resolved.telemetry).toBe(true);
    expect(resolved.httpTimeoutMs).toBe(10_000);
    expect(resolved.leeway).toBe(60);
    expect(resolved.routes).toEqual([]);
    expect(resolved.domain).toBe('tenant.eu.auth0.com');
    expect(resolved.base.href).toBe('https://tenant.eu.auth0.com/');
    expect(resolved.redirectUri.href).toBe(`${ORIGIN}/callback`);
  });

  it('adds openid and offline_access to a configured scope, once', () => {
    const scoped = (scope: string) =>
      resolveConfig(
        config({ authorizationParams: { redirect_uri: `${ORIGIN}/callback`, scope } }),
        ORIGIN,
      ).authorizationParams.scope;
    expect(scoped('read:notes')).toBe('openid read:notes offline_access');
    expect(scoped('openid offline_access email')).toBe('openid offline_access email');
  });

  it('keeps explicit switches and does not share state with the input', () => {
    const input = config({
      useDpop: false,
      refreshTokenStorage: 'memory',
      exposeAccessTokens: true,
      exposeDpopProofs: true,
      logoutParams: { returnTo: `${ORIGIN}/bye` },
      httpTimeoutMs: 5000,
      leeway: 30,
    });
    const resolved = resolveConfig(input, ORIGIN);
    expect(resolved).toMatchObject({
      useDpop: false,
      refreshTokenStorage: 'memory',
      exposeAccessTokens: true,
      exposeDpopProofs: true,
      returnTo: `${ORIGIN}/bye`,
      httpTimeoutMs: 5000,
      leeway: 30,
    });
    expect(resolved.authorizationParams).not.toBe(input.authorizationParams);
    expect(input.authorizationParams.scope).toBeUndefined();
  });

  it('accepts the local tenant over http on loopback', () => {
    const resolved = resolveConfig(
      config({
        domain: 'http://localhost:4000',
        authorizationParams: { redirect_uri: 'http://localhost:3000/callback' },
      }),
      'http://localhost:3000',
    );
    expect(resolved.base.href).toBe('http://localhost:4000/');
  });
});

describe('resolveConfig: allowed audiences and scopes', () => {
  it('derives them from authorizationParams and every apis entry', () => {
    const resolved = resolveConfig(
      config({
        authorizationParams: {
          redirect_uri: `${ORIGIN}/callback`,
          audience: 'https://main/',
          scope: 'read:main',
        },
        apis: [
          { url: 'https://main.example.com/api' },
          { url: 'https://notes.example.com', audience: 'https://notes/', scope: 'read:notes' },
          { url: 'https://files.example.com/v2', audience: 'https://files/' },
        ],
      }),
      ORIGIN,
    );
    expect([...resolved.allowedAudiences].sort()).toEqual([
      'https://files/',
      'https://main/',
      'https://notes/',
    ]);
    expect(resolved.allowedScopes).toEqual(
      new Set([
        'openid',
        'profile',
        'email',
        'offline_access',
        'address',
        'phone',
        'read:main',
        'read:notes',
      ]),
    );
    // An entry without audience or scope inherits the login's.
    expect(resolved.routes[0]).toMatchObject({
      origin: 'https://main.example.com',
      path: '/api',
      audience: 'https://main/',
      scope: 'openid read:main offline_access',
    });
    expect(resolved.routes[1]).toMatchObject({ audience: 'https://notes/', scope: 'read:notes' });
    expect(resolved.routes[2]).toMatchObject({
      audience: 'https://files/',
      scope: 'openid read:main offline_access',
    });
  });

  it('without any audience, "no audience" is the one allowed', () => {
    const resolved = resolveConfig(config(), ORIGIN);
    expect([...resolved.allowedAudiences]).toEqual([undefined]);
  });

  it('a scope that no entry names is not allowed', () => {
    const resolved = resolveConfig(
      config({ apis: [{ url: 'https://a.example.com', scope: 'read:a' }] }),
      ORIGIN,
    );
    expect(resolved.allowedScopes.has('read:a')).toBe(true);
    expect(resolved.allowedScopes.has('write:a')).toBe(false);
    expect(resolved.allowedScopes.has('read:a write:a')).toBe(false);
  });
});

describe('resolveConfig: refusals are InvalidConfigurationErrors naming the field', () => {
  it.each([
    ['not an object', null, /"config" must be an object/],
    ['an array', [], /"config" must be an object/],
    ['no domain', { ...config(), domain: undefined }, /config\.domain/],
    ['an empty domain', { ...config(), domain: '' }, /config\.domain/],
    ['a numeric clientId', { ...config(), clientId: 42 }, /config\.clientId/],
    [
      'no authorizationParams',
      { ...config(), authorizationParams: undefined },
      /authorizationParams/,
    ],
    [
      'no redirect_uri',
      { ...config(), authorizationParams: {} },
      /authorizationParams\.redirect_uri/,
    ],
    [
      'a numeric audience',
      { ...config(), authorizationParams: { redirect_uri: `${ORIGIN}/cb`, audience: 1 } },
      /authorizationParams\.audience/,
    ],
    [
      'a scope array',
      { ...config(), authorizationParams: { redirect_uri: `${ORIGIN}/cb`, scope: ['openid'] } },
      /authorizationParams\.scope/,
    ],
    ['apis as an object', { ...config(), apis: { url: 'https://a' } }, /config\.apis/],
    ['useDpop as a string', { ...config(), useDpop: 'false' }, /config\.useDpop/],
    [
      'exposeAccessTokens as 1',
      { ...config(), exposeAccessTokens: 1 },
      /config\.exposeAccessTokens/,
    ],
    ['exposeDpopProofs as "yes"', { ...config(), exposeDpopProofs: 'yes' }, /exposeDpopProofs/],
    [
      'an unknown storage',
      { ...config(), refreshTokenStorage: 'localStorage' },
      /refreshTokenStorage/,
    ],
    [
      'an http domain off loopback',
      { ...config(), domain: 'http://tenant.example.com' },
      /config\.domain/,
    ],
    [
      'a domain with a query',
      { ...config(), domain: 'https://tenant.example.com/?x=1' },
      /config\.domain/,
    ],
    [
      'a domain with credentials',
      { ...config(), domain: 'https://u:p@tenant.example.com' },
      /config\.domain/,
    ],
    [
      'a redirect_uri that is not a URL',
      { ...config(), authorizationParams: { redirect_uri: '/callback' } },
      /authorizationParams\.redirect_uri/,
    ],
    ['a malformed apis entry', { ...config(), apis: [null] }, /apis\[0\]/],
    [
      'an apis entry with a query',
      { ...config(), apis: [{ url: 'https://a.example/x?y' }] },
      /apis\[0\]\.url/,
    ],
    [
      'an apis entry with a numeric scope',
      {
        ...config(),
        apis: [{ url: 'https://a.example/x' }, { url: 'https://b.example', scope: 5 }],
      },
      /apis\[1\]\.scope/,
    ],
    ['a string httpTimeoutMs', { ...config(), httpTimeoutMs: '1000' }, /config\.httpTimeoutMs/],
    ['a negative leeway', { ...config(), leeway: -1 }, /config\.leeway/],
    ['a numeric logoutParams.returnTo', { ...config(), logoutParams: { returnTo: 1 } }, /returnTo/],
  ])('%s', (_, value, field) => {
    expectConfigError(() => resolveLoose(value), field);
  });

  it('keeps the TypeError it wrapped as the cause', () => {
    try {
      resolveLoose({ ...config(), clientId: '' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigurationError);
      expect((error as Error).cause).toBeInstanceOf(TypeError);
    }
  });

  it.each([
    ['another host', 'https://evil.example.com/callback'],
    ['another scheme', 'http://app.example.com/callback'],
    ['another port', 'https://app.example.com:8443/callback'],
    ['a look-alike host', 'https://app.example.com.evil.com/callback'],
    ['userinfo tricks', 'https://app.example.com@evil.com/callback'],
  ])('refuses a redirect_uri on %s: the worker could not intercept it', (_, redirect_uri) => {
    expectConfigError(
      () => resolveConfig(config({ authorizationParams: { redirect_uri } }), ORIGIN),
      /redirect_uri.*origin/,
    );
  });

  it('accepts a redirect_uri that differs from the origin only in spelling', () => {
    const resolved = resolveConfig(
      config({ authorizationParams: { redirect_uri: 'https://APP.example.com:443/callback' } }),
      ORIGIN,
    );
    expect(resolved.redirectUri.origin).toBe(ORIGIN);
  });
});

describe('resolveConfig: response_mode (THREATS 19)', () => {
  it('accepts "query" or none', () => {
    expect(() => resolveConfig(config(), ORIGIN)).not.toThrow();
    expect(() =>
      resolveConfig(
        config({
          authorizationParams: { redirect_uri: `${ORIGIN}/callback`, response_mode: 'query' },
        }),
        ORIGIN,
      ),
    ).not.toThrow();
  });

  it.each(['web_message', 'fragment', 'form_post', 'QUERY', ''])(
    'refuses response_mode %j, naming the option',
    (mode) => {
      expectConfigError(
        () =>
          resolveLoose({
            ...config(),
            authorizationParams: { redirect_uri: `${ORIGIN}/callback`, response_mode: mode },
          }),
        /"config\.authorizationParams\.response_mode" must be "query"/,
      );
    },
  );
});

describe('resolveConfig: authorizationServerAliases (THREATS 20)', () => {
  it('normalises the domain and every alias: case, trailing dot, IDN, default port', () => {
    const resolved = resolveConfig(
      config({
        domain: 'Tenant.EU.auth0.com.',
        authorizationServerAliases: [
          'LOGIN.example.com.',
          'https://bücher.example:443',
          'http://localhost:4400',
        ],
      }),
      ORIGIN,
    );
    expect([...resolved.authorizationServerOrigins]).toEqual([
      'https://tenant.eu.auth0.com',
      'https://login.example.com',
      'https://xn--bcher-kva.example',
      'http://localhost:4400',
    ]);
  });

  it('defaults to the domain alone', () => {
    expect([...resolveConfig(config(), ORIGIN).authorizationServerOrigins]).toEqual([
      'https://tenant.eu.auth0.com',
    ]);
  });

  it.each([
    ['not an array', 'login.example.com', /authorizationServerAliases" must be an array/],
    ['a non-string entry', [5], /authorizationServerAliases\[0\]/],
    ['an empty entry', ['a.example', ''], /authorizationServerAliases\[1\]/],
    ['plain http off loopback', ['http://login.example.com'], /authorizationServerAliases\[0\]/],
    ['a query', ['https://login.example.com/?x'], /authorizationServerAliases\[0\]/],
  ])('refuses %s, naming the entry', (_label, aliases, field) => {
    expectConfigError(
      () => resolveLoose({ ...config(), authorizationServerAliases: aliases }),
      field,
    );
  });
});
