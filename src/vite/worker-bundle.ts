import { isAbsolute } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { packageFile } from './package-files.js';

/** The worker script as built. */
export interface WorkerBundle {
  code: string;
  /** The files it was built from, to rebuild when one changes. */
  inputs: string[];
}

/** Options of {@link buildWorker}. */
export interface WorkerBuildOptions {
  /** The app's root (where `auth0-enclave`'s own dependencies resolve from). */
  root: string;
  /** The checked worker config, compiled in. */
  config: AuthWorkerConfig;
  mode: string;
  minify: boolean;
}

const ENTRY = '\0auth0-enclave:worker-entry';

/**
 * Builds the worker script: one self-contained ES file (no imports, so it runs as a module or a
 * classic worker) that calls `installAuthWorker` with the config. It is a separate Vite build,
 * not a chunk of the app's: nothing of the page reaches it and nothing of it reaches the page.
 * The config is part of the script — never of its URL — so page script cannot widen it.
 */
export async function buildWorker(options: WorkerBuildOptions): Promise<WorkerBundle> {
  const workerIndex = packageFile('worker/index');
  const entry: Plugin = {
    name: 'auth0-enclave:worker-entry',
    resolveId: (id) => (id === ENTRY ? ENTRY : undefined),
    load: (id) =>
      id === ENTRY
        ? `import { installAuthWorker } from ${JSON.stringify(workerIndex)};\ninstallAuthWorker(${JSON.stringify(options.config)});\n`
        : undefined,
  };
  const result = await build({
    configFile: false,
    envDir: false,
    root: options.root,
    mode: options.mode,
    logLevel: 'warn',
    publicDir: false,
    plugins: [entry],
    build: {
      write: false,
      minify: options.minify,
      copyPublicDir: false,
      modulePreload: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: ENTRY,
        output: { format: 'es', entryFileNames: 'auth-worker.js', codeSplitting: false },
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunks = outputs.flatMap((output) =>
    output.output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk'),
  );
  const [chunk] = chunks;
  if (chunks.length !== 1 || !chunk) {
    throw new Error(`auth0-enclave/vite: the worker built into ${chunks.length} chunks, not one`);
  }
  return { code: chunk.code, inputs: chunk.moduleIds.filter((id) => isAbsolute(id)) };
}
