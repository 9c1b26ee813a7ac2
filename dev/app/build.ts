import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';
import type { AuthWorkerConfig } from '../../worker/config.js';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Options of {@link buildApp}. */
export interface AppBuildOptions {
  /** Baked into the worker script. */
  worker: AuthWorkerConfig;
  /** Origin of the sample API, for the page's buttons. */
  apiUrl: string;
  outDir: string;
  /** Minify (default true); tests read the output more easily without. */
  minify?: boolean;
}

/**
 * Builds the sample app with Vite: the page (index.html → main.ts) and, separately, the worker
 * script as one self-contained file at `/auth-worker.js`, with the worker config compiled in.
 * Imports of `auth0-enclave` resolve to this repository's sources.
 */
export async function buildApp(options: AppBuildOptions): Promise<void> {
  const shared: InlineConfig = {
    configFile: false,
    logLevel: 'warn',
    resolve: {
      alias: [
        { find: /^auth0-enclave\/worker$/, replacement: `${repo}worker/index.ts` },
        { find: /^auth0-enclave$/, replacement: `${repo}src/client/index.ts` },
      ],
    },
  };
  await build({
    ...shared,
    root,
    define: { __SAMPLE_API_URL__: JSON.stringify(options.apiUrl) },
    build: { outDir: options.outDir, emptyOutDir: true, minify: options.minify ?? true },
  });
  await build({
    ...shared,
    root,
    define: { __AUTH_WORKER_CONFIG__: JSON.stringify(options.worker) },
    build: {
      outDir: options.outDir,
      emptyOutDir: false,
      minify: options.minify ?? true,
      lib: { entry: `${root}auth-worker.ts`, formats: ['es'], fileName: () => 'auth-worker.js' },
    },
  });
}
