import { describe, expect, test } from 'vitest';
import { createPkce, s256 } from '../../src/core/pkce.js';

describe('s256', () => {
  test('matches the RFC 7636 Appendix B vector', async () => {
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('createPkce', () => {
  test('returns a 43-character unreserved verifier and its S256 challenge', async () => {
    const pkce = await createPkce();
    // RFC 7636 §4.1: 43..128 characters from [A-Z] [a-z] [0-9] - . _ ~
    expect(pkce.codeVerifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(pkce.codeVerifier).toHaveLength(43);
    expect(pkce.codeChallengeMethod).toBe('S256');
    expect(pkce.codeChallenge).toBe(await s256(pkce.codeVerifier));
    expect(pkce.codeChallenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('is fresh on every call', async () => {
    const pairs = await Promise.all(Array.from({ length: 20 }, () => createPkce()));
    expect(new Set(pairs.map((pair) => pair.codeVerifier)).size).toBe(20);
    expect(new Set(pairs.map((pair) => pair.codeChallenge)).size).toBe(20);
  });
});
