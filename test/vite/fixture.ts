// A throwaway Vite app for the plugin's tests: an index.html and a page that calls
// createAuth0Client() with no arguments, `auth0-enclave` resolved to this repository's sources
// (as dev/app/build.ts does), in a temp directory each test removes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlineConfig, Logger } from 'vite';
import type { AuthWorkerConfig } from '../../worker/config.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const APP_ORIGIN = 'http://localhost:5173';

/** A worker config that passes the worker's validator. */
export function workerConfig(overrides: Partial<AuthWorkerConfig> = {}): AuthWorkerConfig {
  return {
    domain: 'https://tenant.example',
    clientId: 'vite-app',
    authorizationParams: {
      redirect_uri: `${APP_ORIGIN}/callback`,
      audience: 'https://api.example/',
    },
    apis: [{ url: 'https://api.example/v1' }],
    ...overrides,
  };
}

/** A temp app directory with index.html and main.ts; `cleanup` removes it. */
export async function tempApp(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'auth0-enclave-vite-'));
  await writeFile(
    join(root, 'index.html'),
    '<!doctype html><html><head><script type="module" src="./main.ts"></script></head><body></body></html>\n',
  );
  await writeFile(
    join(root, 'main.ts'),
    "import { createAuth0Client } from 'auth0-enclave';\nconst auth0 = await createAuth0Client();\nObject.assign(window, { auth0 });\n",
  );
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Vite config for the temp app: the package by name means this repository's sources. */
export function appConfig(root: string, extra: InlineConfig = {}): InlineConfig {
  return {
    configFile: false,
    envDir: false,
    root,
    logLevel: 'silent',
    ...extra,
    resolve: {
      alias: [{ find: /^auth0-enclave$/, replacement: `${REPO}src/client/index.ts` }],
    },
  };
}

/** A logger that keeps what it is given, to assert on the printed advice. */
export function recordingLogger(): Logger & { infos: string[] } {
  const infos: string[] = [];
  const ignore = () => {};
  return {
    infos,
    info: (message) => {
      infos.push(message);
    },
    warn: ignore,
    warnOnce: ignore,
    error: ignore,
    clearScreen: ignore,
    hasErrorLogged: () => false,
    hasWarned: false,
  };
}
