import { describe, expect, it } from 'vitest';
import { PAGE_KIT, WORKER_OWNED_OPTIONS } from '../../src/client/page-kit.js';
import { checkPageOptions, checkSame } from '../../src/client/spa-options.js';
import { InvalidConfigurationError } from '../../src/core/errors.js';
import type { PublicConfiguration } from '../../src/rpc/protocol.js';

const worker: PublicConfiguration = {
  domain: 'https://tenant.example.com/',
  clientId: 'spa',
  issuer: 'https://tenant.example.com/',
  leeway: 60,
  authorizationParams: { redirect_uri: 'https://app.example.com/callback' },
  apis: [],
  useDpop: true,
  persistence: 'indexeddb',
  exposeAccessTokens: false,
  exposeDpopProofs: false,
  fetchWithAuthOnly: false,
  version: '0.1.0',
};

describe('checkPageOptions: spa-js options the worker owns', () => {
  it('accepts absent options and values equal to the worker config (domain and issuer as hosts)', () => {
    expect(() =>
      checkPageOptions(PAGE_KIT, WORKER_OWNED_OPTIONS, {}, worker, '/auth-worker.js'),
    ).not.toThrow();
    expect(() =>
      checkPageOptions(
        PAGE_KIT,
        WORKER_OWNED_OPTIONS,
        {
          domain: 'TENANT.example.com',
          clientId: 'spa',
          issuer: 'https://tenant.example.com',
          useDpop: true,
          leeway: 60,
        },
        worker,
        '/auth-worker.js',
      ),
    ).not.toThrow();
  });

  it.each([
    ['domain', 'other.example.com'],
    ['clientId', 'other'],
    ['issuer', 'https://evil.example.com/'],
    ['useDpop', false],
    ['leeway', 300],
  ] as const)(
    '%s that differs: InvalidConfigurationError naming the worker option',
    (name, value) => {
      let caught: unknown;
      try {
        checkPageOptions(PAGE_KIT, [name], { [name]: value }, worker, '/auth-worker.js');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidConfigurationError);
      const error = caught as InvalidConfigurationError;
      expect(error.code).toBe('invalid_configuration');
      expect(error.message).toContain(name);
      expect(error.message).toContain('/auth-worker.js');
      expect(error.suggestion).toContain(`\`${name}\` in the worker config`);
    },
  );
});

describe('checkSame: per-call values (logout clientId, connect redirectUri)', () => {
  it('passes equal values and refuses others with what to do about each', () => {
    expect(() => checkSame(PAGE_KIT, 'clientId', 'spa', 'spa')).not.toThrow();
    expect(() => checkSame(PAGE_KIT, 'clientId', 'other', 'spa')).toThrow(
      expect.objectContaining({
        code: 'invalid_configuration',
        suggestion: 'Drop clientId: the worker logs out its own client.',
      }),
    );
    expect(() => checkSame(PAGE_KIT, 'redirectUri', 'https://app/other', 'https://app/cb')).toThrow(
      expect.objectContaining({
        code: 'invalid_configuration',
        suggestion: expect.stringContaining('set it in the worker config'),
      }),
    );
  });
});
