// `vite build` with the plugin, on a throwaway app: the worker is emitted with its config compiled
// in, the page gets the worker's URL and public identity (and nothing else of its config), the
// headers advice is printed once, and a broken config fails the build from vite.config itself.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { auth0Enclave } from '../../src/vite/index.js';
import { appConfig, recordingLogger, tempApp, workerConfig } from './fixture.js';

const PLUGIN = fileURLToPath(new URL('../../src/vite/index.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function app(): Promise<string> {
  const { root, cleanup } = await tempApp();
  cleanups.push(cleanup);
  return root;
}

/** Every JavaScript file the page build wrote under assets/, joined. */
async function pageScripts(root: string): Promise<string> {
  const assets = join(root, 'dist', 'assets');
  const names = (await readdir(assets)).filter((name) => name.endsWith('.js'));
  const texts = await Promise.all(names.map((name) => readFile(join(assets, name), 'utf8')));
  return texts.join('\n');
}

describe('vite build with auth0Enclave()', () => {
  it('emits the worker at workerUrl with its config compiled in, self-contained, and prints the headers advice once', async () => {
    const root = await app();
    const logger = recordingLogger();
    const config = workerConfig({ persistence: 'memory' });
    await build({
      ...appConfig(root, { customLogger: logger, logLevel: 'info' }),
      plugins: [auth0Enclave({ worker: config })],
    });
    const worker = await readFile(join(root, 'dist', 'auth-worker.js'), 'utf8');
    // The config, as JSON the worker reads at install, and the worker's own code around it.
    expect(worker).toContain('https://api.example/v1');
    expect(worker).toContain('vite-app');
    expect(worker).toContain('memory');
    expect(worker).not.toMatch(/^\s*(?:import|export)\b/m);
    expect(worker).not.toContain('/@vite/');
    // No workerFeatures: neither optional feature's code (enrollment handles, the anonymous grant).
    expect(worker).not.toContain('enclave-enroll:');
    expect(worker).not.toContain('anonymous/token');
    const advice = logger.infos.filter((line) => line.includes('serve these response headers'));
    expect(advice).toHaveLength(1);
    expect(advice[0]).toContain(
      "/auth-worker.js   Cache-Control: no-cache\n                    Content-Security-Policy: default-src 'none'; script-src 'self'; connect-src 'self' https://tenant.example https://api.example",
    );
    // The page talks to the APIs; only the worker talks to the authorization server.
    expect(advice[0]).toContain("connect-src 'self' https://api.example;");
    expect(advice[0]).toContain('Referrer-Policy: no-referrer');
  });

  it('compiles in the workerFeatures listed, and only those', async () => {
    const root = await app();
    await build({
      ...appConfig(root),
      plugins: [auth0Enclave({ worker: workerConfig(), workerFeatures: ['myAccount'] })],
    });
    const worker = await readFile(join(root, 'dist', 'auth-worker.js'), 'utf8');
    expect(worker).toContain('enclave-enroll:');
    expect(worker).not.toContain('anonymous/token');
  });

  it('compiles the worker URL and the public domain and clientId into the page, and nothing else of the config', async () => {
    const root = await app();
    await build({
      ...appConfig(root),
      plugins: [
        auth0Enclave({
          worker: workerConfig({
            apis: [{ url: 'https://api.example/v1', scope: 'read:secret-plans' }],
          }),
          workerUrl: '/enclave.js',
        }),
      ],
    });
    expect(await readdir(join(root, 'dist'))).toContain('enclave.js');
    const page = await pageScripts(root);
    expect(page.includes('/enclave.js')).toBe(true);
    expect(page.includes('vite-app')).toBe(true);
    expect(page.includes('https://tenant.example')).toBe(true);
    for (const secretless of ['https://api.example/v1', 'read:secret-plans', '5173/callback']) {
      expect(page.includes(secretless), secretless).toBe(false);
    }
  });

  it("emits the worker under Vite's base, and refuses a workerUrl outside it", async () => {
    const root = await app();
    await build({
      ...appConfig(root, { base: '/app/' }),
      plugins: [
        auth0Enclave({
          worker: workerConfig({
            authorizationParams: { redirect_uri: 'http://localhost:5173/app/callback' },
          }),
          workerUrl: '/app/auth-worker.js',
        }),
      ],
    });
    expect(await readdir(join(root, 'dist'))).toContain('auth-worker.js');
    await expect(
      build({
        ...appConfig(root, { base: '/app/' }),
        plugins: [auth0Enclave({ worker: workerConfig() })],
      }),
    ).rejects.toMatchObject({
      code: 'invalid_configuration',
      message: expect.stringContaining("must be under Vite's base (/app/)"),
    });
  });

  it('fails the build from vite.config with the message the worker would give for a bad apis entry', async () => {
    const root = await app();
    const config = workerConfig({ apis: [{ url: 'https://api.example/v1#frag' }] });
    await writeFile(
      join(root, 'vite.config.ts'),
      `import { auth0Enclave } from ${JSON.stringify(PLUGIN)};\nexport default { logLevel: 'silent', plugins: [auth0Enclave({ worker: ${JSON.stringify(config)} })] };\n`,
    );
    await expect(build({ root, logLevel: 'silent' })).rejects.toThrow(
      'Auth worker: "apis[0].url" must not contain credentials, a query or a fragment.',
    );
    await expect(readdir(join(root, 'dist'))).rejects.toThrow();
  });
});
