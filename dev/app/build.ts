import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { auth0Enclave, type WorkerFeatureOption } from '../../src/vite/index.js';
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
  /** Minify page and worker (default true); tests read the output more easily without. */
  minify?: boolean;
  /**
   * The optional worker features compiled in; default both, since the sample app shows
   * auth0.myAccount and auth0.anonymous (tests build it without them, too).
   */
  workerFeatures?: WorkerFeatureOption[];
}

/**
 * Builds the sample app with Vite and the SDK's own plugin (`auth0-enclave/vite`), as an app
 * would: the page (index.html → main.ts) and the worker script as one self-contained file at
 * `/auth-worker.js`, with the worker config compiled in and checked by the worker's validator.
 * Imports of `auth0-enclave` resolve to this repository's sources.
 */
export async function buildApp(options: AppBuildOptions): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    resolve: {
      alias: [{ find: /^auth0-enclave$/, replacement: `${repo}src/client/index.ts` }],
    },
    plugins: [
      auth0Enclave({
        worker: options.worker,
        workerFeatures: options.workerFeatures ?? ['myAccount', 'anonymous'],
      }),
    ],
    define: { __SAMPLE_API_URL__: JSON.stringify(options.apiUrl) },
    build: { outDir: options.outDir, emptyOutDir: true, minify: options.minify ?? true },
  });
}
