import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '../../src/core/errors.js';
import {
  type ApiRoute,
  isAmbiguousPath,
  matchRoute,
  parseApiRoute,
} from '../../worker/allowlist.js';

const DEFAULTS = { audience: 'https://default/', scope: 'openid' };

function route(url: string, audience = url): ApiRoute {
  return parseApiRoute({ url, audience }, 0, DEFAULTS);
}

/** The audience of the entry `requestUrl` falls under, or undefined (no credentials). */
function audienceFor(routes: ApiRoute[], requestUrl: string): string | undefined {
  return matchRoute(routes, requestUrl)?.audience;
}

describe('parseApiRoute', () => {
  it('keeps the origin as URL spells it and the path without trailing slashes', () => {
    expect(parseApiRoute({ url: 'https://API.Example.com:443/v1///' }, 0, DEFAULTS)).toEqual({
      origin: 'https://api.example.com',
      path: '/v1',
      audience: 'https://default/',
      scope: 'openid',
      url: 'https://API.Example.com:443/v1///',
    });
    expect(route('https://api.example.com').path).toBe('');
    expect(route('https://api.example.com/').path).toBe('');
    expect(route('http://localhost:8080/api').origin).toBe('http://localhost:8080');
  });

  it('takes the entry audience and scope over the defaults', () => {
    const parsed = parseApiRoute(
      { url: 'https://a.example/x', audience: 'https://a/', scope: 'openid read' },
      3,
      DEFAULTS,
    );
    expect(parsed.audience).toBe('https://a/');
    expect(parsed.scope).toBe('openid read');
  });

  it.each([
    ['not a url', /apis\[2\]\.url.*absolute/],
    ['/api', /apis\[2\]\.url.*absolute/],
    ['api.example.com/v1', /apis\[2\]\.url.*absolute/],
    ['ftp://api.example.com/v1', /apis\[2\]\.url.*http/],
    ['javascript:alert(1)//', /apis\[2\]\.url.*http/],
    ['blob:https://api.example.com/uuid', /apis\[2\]\.url.*http/],
    ['wss://api.example.com/v1', /apis\[2\]\.url.*http/],
    ['https://api.example.com/v1?tenant=a', /apis\[2\]\.url.*query/],
    ['https://api.example.com/v1#frag', /apis\[2\]\.url.*fragment/],
    ['https://user@api.example.com/v1', /apis\[2\]\.url.*credentials/],
    ['https://user:pw@api.example.com/v1', /apis\[2\]\.url.*credentials/],
    ['https://:pw@api.example.com/v1', /apis\[2\]\.url.*credentials/],
  ])('refuses %s with an InvalidConfigurationError naming the entry', (url, message) => {
    const attempt = () => parseApiRoute({ url }, 2, DEFAULTS);
    expect(attempt).toThrow(InvalidConfigurationError);
    expect(attempt).toThrow(message);
  });

  it.each([
    [null, /apis\[1\]/],
    ['https://api.example.com/v1', /apis\[1\]/],
    [{ url: 42 }, /apis\[1\]\.url/],
    [{ url: 'https://api.example.com/v1', audience: 7 }, /apis\[1\]\.audience/],
    [{ url: 'https://api.example.com/v1', scope: ['read'] }, /apis\[1\]\.scope/],
    [{ url: 'https://api.example.com/v1', scope: '' }, /apis\[1\]\.scope/],
  ])('refuses a malformed entry %j with an InvalidConfigurationError', (entry, message) => {
    const attempt = () => parseApiRoute(entry as never, 1, DEFAULTS);
    expect(attempt).toThrow(InvalidConfigurationError);
    expect(attempt).toThrow(message);
  });
});

describe('matchRoute: the origin must be exactly the entry origin', () => {
  const routes = [route('https://api.example.com/api', 'api')];

  it.each([
    ['https://api.example.com/api', 'api'],
    ['https://API.EXAMPLE.COM/api', 'api'],
    ['https://api.example.com:443/api', 'api'],
    ['https://api.example.com./api', undefined],
    ['http://api.example.com/api', undefined],
    ['http://api.example.com:443/api', undefined],
    ['https://api.example.com:8443/api', undefined],
    ['wss://api.example.com/api', undefined],
    ['https://api.example.com.evil.com/api', undefined],
    ['https://evil.com/https://api.example.com/api', undefined],
    ['https://api.example.com@evil.com/api', undefined],
    ['https://evilapi.example.com/api', undefined],
    ['https://sub.api.example.com/api', undefined],
  ])('%s → %s', (url, expected) => {
    expect(audienceFor(routes, url)).toBe(expected);
  });

  it('an explicit default port in the entry is the same origin as none', () => {
    const explicit = [route('https://api.example.com:443/api', 'api')];
    expect(audienceFor(explicit, 'https://api.example.com/api/x')).toBe('api');
    const http = [route('http://api.example.com:80/api', 'api')];
    expect(audienceFor(http, 'http://api.example.com/api')).toBe('api');
    expect(audienceFor(http, 'http://api.example.com:8080/api')).toBeUndefined();
  });

  it('localhost, 127.0.0.1 and [::1] are different origins', () => {
    const local = [route('http://localhost:4000/api', 'local')];
    expect(audienceFor(local, 'http://localhost:4000/api')).toBe('local');
    expect(audienceFor(local, 'http://LocalHost:4000/api')).toBe('local');
    expect(audienceFor(local, 'http://127.0.0.1:4000/api')).toBeUndefined();
    expect(audienceFor(local, 'http://[::1]:4000/api')).toBeUndefined();
    expect(audienceFor(local, 'http://localhost:4001/api')).toBeUndefined();
    expect(audienceFor(local, 'http://localhost/api')).toBeUndefined();
    const loopback = [route('http://127.0.0.1:4000/api', 'ip')];
    expect(audienceFor(loopback, 'http://localhost:4000/api')).toBeUndefined();
    // URL normalises IPv4 spellings: these are the same host, so the same origin.
    expect(audienceFor(loopback, 'http://2130706433:4000/api')).toBe('ip');
    expect(audienceFor(loopback, 'http://0x7f.0.0.1:4000/api')).toBe('ip');
  });

  it('a request with userinfo never gets credentials, even on the right origin', () => {
    expect(audienceFor(routes, 'https://user@api.example.com/api')).toBeUndefined();
    expect(audienceFor(routes, 'https://user:pw@api.example.com/api')).toBeUndefined();
    expect(audienceFor(routes, 'https://:pw@api.example.com/api')).toBeUndefined();
  });

  it('IDN hosts compare as punycode; a look-alike host is another origin', () => {
    const idn = [route('https://bücher.example/api', 'idn')];
    expect(idn[0]?.origin).toBe('https://xn--bcher-kva.example');
    expect(audienceFor(idn, 'https://xn--bcher-kva.example/api')).toBe('idn');
    expect(audienceFor(idn, 'https://BÜCHER.example/api')).toBe('idn');
    expect(audienceFor(idn, 'https://bucher.example/api')).toBeUndefined();
    // "аpi" with a Cyrillic а.
    expect(audienceFor(routes, 'https://\u0430pi.example.com/api')).toBeUndefined();
  });

  it('non-http(s) URLs never match, even when their origin is the entry origin', () => {
    const everything = [route('https://api.example.com', 'all')];
    expect(audienceFor(everything, 'https://api.example.com/anything')).toBe('all');
    expect(new URL('blob:https://api.example.com/uuid').origin).toBe('https://api.example.com');
    expect(audienceFor(everything, 'blob:https://api.example.com/uuid')).toBeUndefined();
    expect(audienceFor(everything, 'ws://api.example.com/x')).toBeUndefined();
  });

  it('a relative or unparsable URL matches nothing', () => {
    expect(audienceFor(routes, '/api')).toBeUndefined();
    expect(audienceFor(routes, 'api')).toBeUndefined();
    expect(audienceFor(routes, 'https://')).toBeUndefined();
    expect(audienceFor(routes, '')).toBeUndefined();
  });
});

describe('matchRoute: the path is a prefix on a "/" boundary, after URL normalisation', () => {
  const routes = [route('https://api.example.com/api', 'api')];

  it.each([
    ['/api', 'api'],
    ['/api/', 'api'],
    ['/api/notes', 'api'],
    ['/api/notes/', 'api'],
    ['/api//notes', 'api'],
    ['/api/x/../y', 'api'],
    ['/apix', undefined],
    ['/api.evil', undefined],
    ['/api-v2', undefined],
    ['/API', undefined],
    ['/Api/notes', undefined],
    ['/', undefined],
    ['', undefined],
    ['/ap', undefined],
    ['//api', undefined],
    ['//api/notes', undefined],
    ['/v1/api', undefined],
    // Dot segments are resolved by URL parsing (as the browser has before the worker sees it),
    // percent-encoded ones too: none of these is under /api any more.
    ['/api/../admin', undefined],
    ['/api/./../admin', undefined],
    ['/api/%2e%2e/admin', undefined],
    ['/api/%2E%2E/admin', undefined],
    ['/api/.%2e/admin', undefined],
    ['/api/x/../../admin', undefined],
    // An encoded slash is part of its segment: "api%2Fx" is not the segment "api".
    ['/api%2Fx', undefined],
    ['/api%2fnotes', undefined],
    ['/api%2F', undefined],
    // A backslash is a slash in special-scheme URLs.
    ['\\api\\notes', 'api'],
    ['/api\\..\\admin', undefined],
    // Tabs and newlines are stripped by URL parsing.
    ['/a\tpi/notes', 'api'],
  ])('%s → %s', (path, expected) => {
    expect(audienceFor(routes, `https://api.example.com${path}`)).toBe(expected);
  });

  it('query and fragment are ignored for matching', () => {
    expect(audienceFor(routes, 'https://api.example.com/api?x=1')).toBe('api');
    expect(audienceFor(routes, 'https://api.example.com/api#x')).toBe('api');
    expect(audienceFor(routes, 'https://api.example.com/api/notes?next=/admin#/admin')).toBe('api');
    expect(audienceFor(routes, 'https://api.example.com/admin?/api/')).toBeUndefined();
    expect(audienceFor(routes, 'https://api.example.com/admin#/api/')).toBeUndefined();
    expect(audienceFor(routes, 'https://api.example.com/?u=https://api.example.com/api')).toBe(
      undefined,
    );
    expect(audienceFor(routes, 'https://api.example.com/apix?/api')).toBeUndefined();
  });

  it('trailing slashes of the entry do not change what it covers', () => {
    for (const url of ['https://api.example.com/api/', 'https://api.example.com/api///']) {
      const slashed = [route(url, 'api')];
      expect(audienceFor(slashed, 'https://api.example.com/api')).toBe('api');
      expect(audienceFor(slashed, 'https://api.example.com/api/x')).toBe('api');
      expect(audienceFor(slashed, 'https://api.example.com/apix')).toBeUndefined();
    }
  });

  it('an entry without a path covers every path of its origin, and only of its origin', () => {
    const all = [route('https://api.example.com', 'all')];
    expect(audienceFor(all, 'https://api.example.com/')).toBe('all');
    expect(audienceFor(all, 'https://api.example.com/deep/path?q')).toBe('all');
    expect(audienceFor(all, 'https://api.example.com:8443/')).toBeUndefined();
    expect(audienceFor(all, 'https://api.example.org/')).toBeUndefined();
  });

  it('an entry with a dot segment is resolved when parsed', () => {
    const dotted = [route('https://api.example.com/api/../admin', 'admin')];
    expect(dotted[0]?.path).toBe('/admin');
    expect(audienceFor(dotted, 'https://api.example.com/api/x')).toBeUndefined();
  });
});

describe('matchRoute: paths a decoding server would read differently get nothing (THREATS 24)', () => {
  const routes = [route('https://api.example.com/api', 'api')];

  // Each of these is under /api as the browser spells it, and outside it to a server that
  // decodes once more before routing, drops `;params` (Tomcat) or takes `\` for `/`.
  it.each([
    '/api/..%2Fadmin',
    '/api/..%2fadmin',
    '/api/%2e%2e%2Fadmin',
    '/api/..%5Cadmin',
    '/api/..%5cadmin',
    '/api/..;/admin',
    '/api;x=1/notes',
    '/api/notes;jsessionid=1',
    '/api/%2e%2e;/admin',
    '/api/x%2F..%2F..%2Fadmin',
    '/api/%252e%252e%252Fadmin',
    '/api/..%252Fadmin',
    '/api/%252e',
    '/api/%00admin',
    '/api/%0a',
    '/api/%zz',
    '/api/%',
  ])('%s → no credentials', (path) => {
    expect(audienceFor(routes, `https://api.example.com${path}`)).toBeUndefined();
  });

  it.each([
    '/api/notes',
    '/api/notes%20list',
    '/api/%E2%9C%93',
    '/api/a%2Bb',
    '/api/a.b',
    '/api/...',
    '/api/..a',
  ])('%s → still credentialed', (path) => {
    expect(audienceFor(routes, `https://api.example.com${path}`)).toBe('api');
  });

  it('isAmbiguousPath looks at decoded segments', () => {
    expect(isAmbiguousPath('/a/b')).toBe(false);
    expect(isAmbiguousPath('/a%2Fb')).toBe(true);
    expect(isAmbiguousPath('/a%3Bb')).toBe(true);
    expect(isAmbiguousPath('/a%5Cb')).toBe(true);
  });
});

describe('matchRoute: the most specific entry wins', () => {
  const entries = [
    route('https://api.example.com', 'origin'),
    route('https://api.example.com/api', 'api'),
    route('https://api.example.com/api/admin', 'admin'),
    route('https://api.example.com/api/admin/deep', 'deep'),
    route('https://other.example.com/api', 'other'),
  ];

  it.each([
    ['https://api.example.com/api/admin/deep/x', 'deep'],
    ['https://api.example.com/api/admin/deeper', 'admin'],
    ['https://api.example.com/api/admin', 'admin'],
    ['https://api.example.com/api/adminx', 'api'],
    ['https://api.example.com/api/x', 'api'],
    ['https://api.example.com/apix', 'origin'],
    ['https://api.example.com/', 'origin'],
    ['https://other.example.com/api/admin', 'other'],
    ['https://other.example.com/', undefined],
  ])('%s → %s, whatever the order of the entries', (url, expected) => {
    expect(audienceFor(entries, url)).toBe(expected);
    expect(audienceFor([...entries].reverse(), url)).toBe(expected);
  });

  it('matches nothing with no entries', () => {
    expect(matchRoute([], 'https://api.example.com/api')).toBeUndefined();
  });
});
