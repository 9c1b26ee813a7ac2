// The worker's policy (worker/policy.ts), decision by decision: each table is what one decision
// answers for the requests a page can make. Pure functions of the config, so no tenant is needed;
// the entry points that call them are tested against the real tenant in the other files here.
import { describe, expect, it } from 'vitest';
import { NotAllowedError } from '../../src/core/errors.js';
import { type AuthWorkerConfig, resolveConfig } from '../../worker/config.js';
import {
  anonymousTokenKey,
  apiTokenKey,
  credentialsFor,
  isAuthorizationServer,
  isCallback,
  isRedirectUri,
  isWorkerOnlyEndpoint,
  MY_ACCOUNT_SCOPES,
  myAccountTokenKey,
  newSessionGrant,
  type PageRequest,
  tokenAudience,
  tokenKey,
} from '../../worker/policy.js';
import { scopeKey, scopeList } from '../../worker/scope.js';

const APP = 'https://app.example.com';
const API = 'https://api.example.com/';
const FILES = 'https://files.example.com/';
/** The config's login scope after resolution: `offline_access` is always added. */
const LOGIN_SCOPE = 'openid profile read:notes offline_access';
const FILES_SCOPE = 'openid read:files write:files';

function configWith(overrides: Partial<AuthWorkerConfig> = {}) {
  return resolveConfig(
    {
      domain: 'tenant.example.com',
      clientId: 'spa',
      authorizationParams: {
        redirect_uri: `${APP}/callback`,
        audience: API,
        scope: 'openid profile read:notes',
      },
      apis: [
        { url: 'https://api.example.com/v1' },
        { url: 'https://files.example.com/docs', audience: FILES, scope: FILES_SCOPE },
      ],
      // Most rows are about plain fetch() too, which is credentialed only with this off (the
      // default is on: only fetchWithAuth's requests get credentials).
      fetchWithAuthOnly: false,
      ...overrides,
    },
    APP,
  );
}

const config = configWith();
const filesRoute = config.routes[1];
if (!filesRoute) throw new Error('the files route is missing');
const marker = (options: unknown) => encodeURIComponent(JSON.stringify(options));

describe('the one scope rule', () => {
  it.each([
    ['openid profile', ['openid', 'profile']],
    ['  openid\tprofile\nemail  ', ['openid', 'profile', 'email']],
    ['openid openid profile', ['openid', 'profile']],
    ['', []],
    ['   ', []],
    ['read:a,read:b', ['read:a,read:b']],
  ])('scopeList(%j) is %j', (scope, list) => {
    expect(scopeList(scope)).toEqual(list);
  });

  it.each([
    ['profile openid', 'openid profile'],
    [' openid\tprofile openid ', 'openid profile'],
    ['', ''],
  ])('scopeKey(%j) is %j', (scope, key) => {
    expect(scopeKey(scope)).toBe(key);
  });

  it('the config permits the login’s and the entries’ audiences and scopes, and OIDC’s', () => {
    expect([...config.allowedAudiences]).toEqual([API, FILES]);
    for (const scope of ['openid', 'profile', 'email', 'offline_access', 'address', 'phone'])
      expect(config.allowedScopes.has(scope)).toBe(true);
    for (const scope of ['read:notes', 'read:files', 'write:files'])
      expect(config.allowedScopes.has(scope)).toBe(true);
    expect(config.allowedScopes.has('admin')).toBe(false);
    expect(config.allowedScopes.has('')).toBe(false);
  });

  it('every entry point reads a scope value the same way', () => {
    // An entry scope written with a tab and doubled spaces: once split three ways, so fetch()
    // refused a scope that getTokenSilently allowed. Now each entry point agrees.
    const odd = configWith({
      apis: [{ url: 'https://files.example.com', audience: FILES, scope: 'openid\tread:files  x' }],
    });
    const route = odd.routes[0];
    if (!route) throw new Error('no route');
    const asked = 'read:files\tx';
    expect(newSessionGrant(odd, { audience: FILES, scope: asked }).scope).toContain('read:files');
    expect(tokenKey(odd, { audience: FILES, scope: asked })).toEqual({
      audience: FILES,
      scope: asked,
    });
    expect(apiTokenKey(route, marker({ scope: asked }))).toEqual({
      audience: FILES,
      scope: 'openid read:files x',
    });
    const comma = 'read:files,x';
    expect(() => newSessionGrant(odd, { scope: comma })).toThrow(NotAllowedError);
    expect(() => tokenKey(odd, { audience: FILES, scope: comma })).toThrow(NotAllowedError);
    expect(() => apiTokenKey(route, marker({ scope: comma }))).toThrow(NotAllowedError);
  });
});

describe('newSessionGrant: what a login, passkey login or token exchange is for', () => {
  it.each([
    ['nothing asked', {}, { audience: API, scope: LOGIN_SCOPE }],
    ['an entry’s audience', { audience: FILES }, { audience: FILES, scope: LOGIN_SCOPE }],
    [
      'a scope, added',
      { scope: 'read:files' },
      { audience: API, scope: `${LOGIN_SCOPE} read:files` },
    ],
    [
      'scopes with odd spacing and repeats',
      { scope: ' email\tread:files  email ' },
      { audience: API, scope: `${LOGIN_SCOPE} email read:files` },
    ],
    ['an undefined audience', { audience: undefined }, { audience: API, scope: LOGIN_SCOPE }],
  ])('%s', (_, requested, grant) => {
    expect(newSessionGrant(config, requested)).toEqual(grant);
  });

  it.each([
    ['an unknown audience', { audience: 'https://evil.example.com/' }],
    ['an audience that differs by a slash', { audience: 'https://api.example.com' }],
    ['an empty audience', { audience: '' }],
    ['an unknown scope', { scope: 'openid admin' }],
  ])('refuses %s with NotAllowedError', (_, requested) => {
    expect(() => newSessionGrant(config, requested)).toThrow(NotAllowedError);
  });

  it('without a configured audience, a grant is for none', () => {
    const bare = configWith({
      authorizationParams: { redirect_uri: `${APP}/callback` },
      apis: [],
    });
    expect(newSessionGrant(bare, {})).toEqual({
      audience: undefined,
      scope: 'openid profile email offline_access',
    });
    expect(() => newSessionGrant(bare, { audience: API })).toThrow(NotAllowedError);
  });
});

describe('tokenKey and tokenAudience: what a page’s token call is for', () => {
  it.each([
    ['no options', undefined, { audience: API, scope: LOGIN_SCOPE }],
    [
      'an entry’s audience: its scope',
      { audience: FILES },
      { audience: FILES, scope: FILES_SCOPE },
    ],
    ['a scope, as given', { scope: 'openid email' }, { audience: API, scope: 'openid email' }],
    [
      'an audience and a narrower scope',
      { audience: FILES, scope: 'read:files' },
      { audience: FILES, scope: 'read:files' },
    ],
  ])('%s', (_, options, key) => {
    expect(tokenKey(config, options)).toEqual(key);
  });

  it.each([
    ['an unknown audience', { audience: 'https://evil.example.com/' }, NotAllowedError],
    ['an unknown scope', { scope: 'openid admin:all' }, NotAllowedError],
    ['an empty audience', { audience: '' }, TypeError],
    ['an empty scope', { scope: '' }, TypeError],
    ['null options', null, TypeError],
  ])('refuses %s', (_, options, type) => {
    expect(() => tokenKey(config, options as never)).toThrow(type);
  });

  it.each([
    [undefined, API],
    [FILES, FILES],
    [null, API],
  ])('tokenAudience(%j) is %j', (requested, audience) => {
    expect(tokenAudience(config, requested)).toBe(audience);
  });

  it.each([
    ['https://evil.example.com/', NotAllowedError],
    ['', TypeError],
    [7, TypeError],
  ])('tokenAudience refuses %j', (requested, type) => {
    expect(() => tokenAudience(config, requested)).toThrow(type);
  });
});

describe('apiTokenKey: the token an allow-listed request gets', () => {
  it.each([
    ['plain fetch() (no marker)', null, { audience: FILES, scope: FILES_SCOPE }],
    ['fetchWithAuth without options', marker({}), { audience: FILES, scope: FILES_SCOPE }],
    [
      'the entry’s own audience',
      marker({ audience: FILES }),
      { audience: FILES, scope: FILES_SCOPE },
    ],
    [
      'a narrower scope (openid kept)',
      marker({ scope: 'read:files' }),
      { audience: FILES, scope: 'openid read:files' },
    ],
    [
      'a narrower scope with odd spacing',
      marker({ scope: ' write:files\tread:files ' }),
      { audience: FILES, scope: 'openid write:files read:files' },
    ],
  ])('%s', (_, header, key) => {
    expect(apiTokenKey(filesRoute, header)).toEqual(key);
  });

  it.each([
    ['another audience', marker({ audience: API })],
    ['a scope the entry does not have', marker({ scope: 'read:notes' })],
    ['a scope that is not a string', marker({ scope: ['read:files'] })],
    ['options that are not JSON', 'scope=read:files'],
    ['a malformed escape', '%E0%A4%A'],
  ])('refuses %s with NotAllowedError', (_, header) => {
    expect(() => apiTokenKey(filesRoute, header)).toThrow(NotAllowedError);
  });

  it('the worker’s own My Account token is for the connect scope only', () => {
    expect(myAccountTokenKey('https://tenant.example.com/me/')).toEqual({
      audience: 'https://tenant.example.com/me/',
      scope: 'create:me:connected_accounts',
    });
  });

  it('each auth0.myAccount call asks for one My Account scope, spa-js’s', () => {
    expect(MY_ACCOUNT_SCOPES).toEqual({
      getFactors: 'read:me:factors',
      getAuthenticationMethods: 'read:me:authentication_methods',
      getAuthenticationMethod: 'read:me:authentication_methods',
      updateAuthenticationMethod: 'update:me:authentication_methods',
      deleteAuthenticationMethod: 'delete:me:authentication_methods',
      enrollmentChallenge: 'create:me:authentication_methods',
      enrollmentVerify: 'create:me:authentication_methods',
    });
  });
});

describe('anonymousTokenKey: what an anonymous session’s token is for', () => {
  it.each([
    ['nothing: the login’s audience, no scope', undefined, { audience: API, scope: '' }],
    ['an allow-listed audience', { audience: FILES }, { audience: FILES, scope: '' }],
    ['a configured scope', { scope: 'read:files' }, { audience: API, scope: 'read:files' }],
  ])('takes %s', (_, options, expected) => {
    expect(anonymousTokenKey(config, options)).toEqual(expected);
  });

  it.each([
    ['an audience the config does not name', { audience: 'https://other.example/' }],
    ['a scope the config does not name', { scope: 'admin' }],
  ])('refuses %s with NotAllowedError', (_, options) => {
    expect(() => anonymousTokenKey(config, options)).toThrow(NotAllowedError);
  });

  it('refuses a scope that is not a string with a TypeError', () => {
    expect(() => anonymousTokenKey(config, { scope: 7 })).toThrow(TypeError);
  });
});

describe('isRedirectUri and isCallback: the navigation the worker redeems', () => {
  it.each([
    [`${APP}/callback`, true, false],
    [`${APP}/callback?code=c&state=s`, true, true],
    [`${APP}:443/callback?state=s`, true, true],
    [`${APP}/callback#state=s`, true, false],
    [`${APP}/callback/?state=s`, false, false],
    [`${APP}/Callback?state=s`, false, false],
    [`${APP}/callback/x?state=s`, false, false],
    ['http://app.example.com/callback?state=s', false, false],
    ['https://evil.example.com/callback?state=s', false, false],
    ['https://app.example.com.evil.example/callback?state=s', false, false],
  ])('%s: redirect_uri %s, callback %s', (url, redirectUri, callback) => {
    expect(isRedirectUri(config, new URL(url))).toBe(redirectUri);
    expect(isCallback(config, new URL(url))).toBe(callback);
  });
});

describe('credentialsFor: which requests get credentials', () => {
  const fetchTo = (url: string, facts: Partial<PageRequest> = {}): PageRequest => ({
    url,
    mode: 'cors',
    destination: '',
    keepalive: false,
    marked: false,
    ...facts,
  });
  const strictConfig = configWith({ fetchWithAuthOnly: true });
  const notes = 'https://api.example.com/v1/notes';

  it.each([
    ['fetch() to an entry', config, fetchTo(notes), API],
    ['fetchWithAuth to an entry', config, fetchTo(notes, { marked: true }), API],
    ['same-origin mode', config, fetchTo(notes, { mode: 'same-origin' }), API],
    ['the most specific entry', config, fetchTo('https://files.example.com/docs/a'), FILES],
    ['fetchWithAuth, fetchWithAuthOnly', strictConfig, fetchTo(notes, { marked: true }), API],
  ])('%s: the entry’s token', (_, policyConfig, request, audience) => {
    const decision = credentialsFor(policyConfig, request);
    expect(decision && 'route' in decision ? decision.route.audience : decision).toBe(audience);
  });

  it.each([
    ['plain fetch(), fetchWithAuthOnly', strictConfig, fetchTo(notes)],
    ['fetch() outside the allow-list', config, fetchTo('https://other.example.com/x')],
    ['a path that only starts like an entry', config, fetchTo('https://api.example.com/v1x')],
    ['no-cors', config, fetchTo(notes, { mode: 'no-cors' })],
    ['an image', config, fetchTo(notes, { destination: 'image' })],
    ['a beacon (keepalive)', config, fetchTo(notes, { keepalive: true })],
  ])('%s: untouched', (_, policyConfig, request) => {
    expect(credentialsFor(policyConfig, request)).toBeUndefined();
  });

  it.each([
    [
      'outside the allow-list',
      fetchTo('https://other.example.com/x?y', { marked: true }),
      'https://other.example.com/x is not in the worker\'s "apis" allow-list, or its path is ambiguous (an encoded "/" or "\\", ";" or a dot segment).',
    ],
    [
      'keepalive',
      fetchTo(notes, { marked: true, keepalive: true }),
      'keepalive requests (and so navigator.sendBeacon) get no credentials.',
    ],
    [
      'no-cors',
      fetchTo(notes, { marked: true, mode: 'no-cors' }),
      'Only fetch() requests get credentials.',
    ],
  ])('fetchWithAuth %s: refused, saying why', (_, request, refused) => {
    expect(credentialsFor(config, request)).toEqual({ refused });
  });
});

describe('isAuthorizationServer and isWorkerOnlyEndpoint: what only the worker may call', () => {
  const server = 'https://tenant.example.com';

  it.each([
    [`${server}/authorize`, true],
    [`${server}:443/oauth/token`, true],
    ['http://tenant.example.com/oauth/token', false],
    ['https://tenant.example.com:8443/oauth/token', false],
    ['https://api.example.com/oauth/token', false],
  ])('isAuthorizationServer(%s) is %s', (url, expected) => {
    expect(isAuthorizationServer(config, new URL(url))).toBe(expected);
  });

  it.each([
    ['/oauth/token', true],
    ['/oauth/revoke', true],
    ['/oauth/par', true],
    ['/OAuth/Token/', true],
    ['/oauth/%74oken', true],
    ['/oauth//token', true],
    ['/oauth/./token', true],
    ['/oauth/x/../token', true],
    ['/oauth/token;x=1', true],
    ['/oauth%2Ftoken', true],
    ['/oauth/token?grant_type=refresh_token', true],
    ['/oauth/tokens', false],
    ['/authorize', false],
    ['/userinfo', false],
    ['/oauth/%E0%A4%A', false],
  ])('%s on the authorization server: %s', (path, expected) => {
    expect(isWorkerOnlyEndpoint(config, new URL(`${server}${path}`), [])).toBe(expected);
  });

  it('guards the endpoints discovery names, and skips what is not a URL', () => {
    const discovered = [`${server}/custom/token`, undefined, 'not a url'];
    expect(isWorkerOnlyEndpoint(config, new URL(`${server}/custom/token`), discovered)).toBe(true);
    expect(isWorkerOnlyEndpoint(config, new URL(`${server}/Custom/Token/`), discovered)).toBe(true);
    expect(isWorkerOnlyEndpoint(config, new URL(`${server}/custom/token`), [])).toBe(false);
    // Paths are compared on whichever origin of the authorization server the request went to
    // (isAuthorizationServer decides that, aliases included): another server's /oauth/token is
    // not asked about here.
    expect(isAuthorizationServer(config, new URL('https://other.example.com/oauth/token'))).toBe(
      false,
    );
  });
});
