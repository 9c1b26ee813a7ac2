// The plugin's checks when vite.config loads: a broken worker config fails with the worker's own
// error and message (the same validator runs), and the plugin's own options are typed errors too.
import { describe, expect, it } from 'vitest';
import { InvalidConfigurationError } from '../../src/core/errors.js';
import { auth0Enclave } from '../../src/vite/index.js';
import { workerEntry } from '../../src/vite/worker-bundle.js';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { resolveConfig } from '../../worker/config.js';
import { APP_ORIGIN, workerConfig } from './fixture.js';

/** What the worker itself throws at install for `config`, on the app's origin. */
function workerError(config: AuthWorkerConfig): unknown {
  try {
    resolveConfig(config, APP_ORIGIN);
  } catch (error) {
    return error;
  }
  throw new Error('the worker accepted the config');
}

function pluginError(options: Parameters<typeof auth0Enclave>[0]): unknown {
  try {
    auth0Enclave(options);
  } catch (error) {
    return error;
  }
  throw new Error('the plugin accepted the options');
}

describe('auth0Enclave() checks the worker config with the worker’s own validator', () => {
  it.each([
    ['an apis entry that is not a URL', { apis: [{ url: 'api.example/v1' }] }],
    ['an apis entry with a query', { apis: [{ url: 'https://api.example/v1?x=1' }] }],
    [
      'an apis entry with an empty audience',
      { apis: [{ url: 'https://api.example', audience: '' }] },
    ],
    ['a non-boolean useDpop', { useDpop: 'yes' as unknown as boolean }],
    [
      'a response_mode the worker cannot intercept',
      {
        authorizationParams: {
          redirect_uri: `${APP_ORIGIN}/callback`,
          response_mode: 'web_message' as const,
        },
      },
    ],
    ['a redirect_uri that is not absolute', { authorizationParams: { redirect_uri: '/callback' } }],
    ['a missing clientId', { clientId: '' }],
  ])('%s: the same InvalidConfigurationError and message as the worker', (_, overrides) => {
    const config = workerConfig(overrides as Partial<AuthWorkerConfig>);
    const expected = workerError(config) as InvalidConfigurationError;
    const error = pluginError({ worker: config });
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error).toMatchObject({ code: 'invalid_configuration', message: expected.message });
    expect(expected.message).toMatch(/^Auth worker: /);
  });

  it('passes a config the worker accepts, and names the plugin', () => {
    const plugin = auth0Enclave({ worker: workerConfig() });
    expect(plugin.name).toBe('auth0-enclave');
  });

  it.each([
    ['not an object', null, '"options" must be an object'],
    [
      'a worker config that is not JSON data (a BigInt)',
      { worker: { ...workerConfig(), leeway: BigInt(60) } },
      '"options.worker" must be plain JSON data',
    ],
    [
      'a workerUrl that is relative',
      { worker: workerConfig(), workerUrl: 'auth-worker.js' },
      '"options.workerUrl" must be an absolute path to a .js file',
    ],
    [
      'a workerUrl with a query (the config is never read from the URL)',
      { worker: workerConfig(), workerUrl: '/auth-worker.js?config=1' },
      '"options.workerUrl" must be an absolute path',
    ],
    [
      'a workerUrl with a dot segment',
      { worker: workerConfig(), workerUrl: '/a/../auth-worker.js' },
      '"options.workerUrl" must be an absolute path',
    ],
    [
      'a worker whose scope does not cover redirect_uri',
      { worker: workerConfig(), workerUrl: '/auth/worker.js' },
      '"worker.authorizationParams.redirect_uri" must be under /auth/',
    ],
  ])('fails on %s with a typed error naming the option', (_, options, message) => {
    const error = pluginError(options as Parameters<typeof auth0Enclave>[0]);
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    expect(error).toMatchObject({ code: 'invalid_configuration' });
    expect((error as Error).message).toContain(message);
  });
});

describe('auth0Enclave({ workerFeatures })', () => {
  it.each([
    ['not an array', 'myAccount', '"options.workerFeatures" must be an array'],
    [
      'the worker export’s name instead of the option’s',
      ['anonymous', 'myAccountApi'],
      '"options.workerFeatures[1]" ("myAccountApi") is not a worker feature: use "myAccount" or "anonymous"',
    ],
    ['a non-string', [1], '"options.workerFeatures[0]" (number) is not a worker feature'],
  ])('fails on %s with a TypeError naming it', (_, workerFeatures, message) => {
    const error = pluginError({
      worker: workerConfig(),
      workerFeatures: workerFeatures as never,
    });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(`auth0Enclave(): ${message}`);
  });

  it('accepts the known names, repeated or not', () => {
    const plugin = auth0Enclave({
      worker: workerConfig(),
      workerFeatures: ['myAccount', 'anonymous', 'myAccount'],
    });
    expect(plugin.name).toBe('auth0-enclave');
  });

  it('generates a worker entry that imports and installs exactly the listed features', () => {
    const config = workerConfig();
    const json = JSON.stringify(config);
    const entry = (features: ('myAccount' | 'anonymous')[]) =>
      workerEntry({ workerIndex: '/sdk/worker/index.js', config, features });
    expect(entry([])).toBe(
      `import { installAuthWorker } from "/sdk/worker/index.js";\ninstallAuthWorker(${json});\n`,
    );
    expect(entry(['anonymous'])).toBe(
      `import { installAuthWorker, anonymousSessions } from "/sdk/worker/index.js";\ninstallAuthWorker(${json}, { features: [anonymousSessions] });\n`,
    );
    expect(entry(['myAccount', 'anonymous'])).toBe(
      `import { installAuthWorker, myAccountApi, anonymousSessions } from "/sdk/worker/index.js";\ninstallAuthWorker(${json}, { features: [myAccountApi, anonymousSessions] });\n`,
    );
  });
});
