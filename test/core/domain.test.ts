import { describe, expect, test } from 'vitest';
import { assertSecureUrl, isLoopback, resolveDomain } from '../../src/core/domain.js';

describe('resolveDomain', () => {
  test('a host becomes an https base URL with a trailing slash', () => {
    expect(resolveDomain('tenant.eu.auth0.com').href).toBe('https://tenant.eu.auth0.com/');
    expect(resolveDomain('https://tenant.eu.auth0.com').href).toBe('https://tenant.eu.auth0.com/');
    expect(resolveDomain('https://tenant.eu.auth0.com/').href).toBe('https://tenant.eu.auth0.com/');
  });

  test('a path is kept and gets a trailing slash', () => {
    expect(resolveDomain('https://op.example/tenant').href).toBe('https://op.example/tenant/');
  });

  test.each([
    ['http://localhost:4000', 'http://localhost:4000/'],
    ['http://127.0.0.1:1', 'http://127.0.0.1:1/'],
    ['http://[::1]:1', 'http://[::1]:1/'],
    ['http://LOCALHOST:4000/', 'http://localhost:4000/'],
  ])('plain http is accepted for the loopback host %s', (domain, expected) => {
    expect(resolveDomain(domain).href).toBe(expected);
  });

  test.each([
    'http://example.com',
    'http://localhost.example.com',
    'http://127.0.0.1.example.com',
    'ftp://example.com',
  ])('%s is refused with a TypeError naming the option', (domain) => {
    expect(() => resolveDomain(domain, 'options.domain')).toThrow(TypeError);
    expect(() => resolveDomain(domain, 'options.domain')).toThrow('"options.domain"');
  });

  test.each([
    'https://user:pass@example.com',
    'user@example.com',
    'https://example.com/?x=1',
    'example.com?x=1',
    'https://example.com/#frag',
  ])('credentials, a query or a fragment (%s) are refused', (domain) => {
    expect(() => resolveDomain(domain)).toThrow(TypeError);
    expect(() => resolveDomain(domain)).toThrow('"domain"');
  });

  test('a string that is not a host is refused', () => {
    expect(() => resolveDomain('')).toThrow(TypeError);
    expect(() => resolveDomain('exa mple.com')).toThrow(TypeError);
  });
});

describe('isLoopback', () => {
  test.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  test.each(['example.com', '10.0.0.1', '::1x', 'localhost.example.com', '1127.0.0.1'])(
    '%s is not loopback',
    (host) => {
      expect(isLoopback(host)).toBe(false);
    },
  );
});

describe('assertSecureUrl', () => {
  test('accepts https and loopback http', () => {
    expect(assertSecureUrl('https://a.example/x', 'x').href).toBe('https://a.example/x');
    expect(assertSecureUrl('http://localhost:3000/x', 'x').href).toBe('http://localhost:3000/x');
  });
  test('refuses http for other hosts, and non-URLs', () => {
    expect(() => assertSecureUrl('http://a.example/x', 'x')).toThrow(TypeError);
    expect(() => assertSecureUrl('/relative', 'x')).toThrow(TypeError);
  });
});
