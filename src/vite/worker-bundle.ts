import { isAbsolute } from 'node:path';
import { build, type Plugin, type Rolldown } from 'vite';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { WORKER_FEATURES, type WorkerFeatureOption } from './options.js';
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
  /** The optional worker features the script imports and installs. */
  features: readonly WorkerFeatureOption[];
  mode: string;
  minify: boolean;
}

const ENTRY = '\0auth0-enclave:worker-entry';

/**
 * The worker script's source: `installAuthWorker` with the config as JSON and, when the app
 * lists any, the features it uses — imported, so the script carries their code, and only theirs.
 */
export function workerEntry(options: {
  /** What `auth0-enclave/worker` resolves to. */
  workerIndex: string;
  config: AuthWorkerConfig;
  features: readonly WorkerFeatureOption[];
}): string {
  const features = options.features.map((feature) => WORKER_FEATURES[feature]);
  const config = JSON.stringify(options.config);
  return (
    `import { ${['installAuthWorker', ...features].join(', ')} } from ${JSON.stringify(options.workerIndex)};\n` +
    (features.length
      ? `installAuthWorker(${config}, { features: [${features.join(', ')}] });\n`
      : `installAuthWorker(${config});\n`)
  );
}

/**
 * Builds the worker script: one self-contained ES file (no imports, so it runs as a module or a
 * classic worker) that calls `installAuthWorker` with the config. It is a separate Vite build,
 * not a chunk of the app's: nothing of the page reaches it and nothing of it reaches the page.
 * The config is part of the script — never of its URL — so page script cannot widen it.
 */
export async function buildWorker(options: WorkerBuildOptions): Promise<WorkerBundle> {
  const source = workerEntry({
    workerIndex: packageFile('worker/index'),
    config: options.config,
    features: options.features,
  });
  const entry: Plugin = {
    name: 'auth0-enclave:worker-entry',
    resolveId: (id) => (id === ENTRY ? ENTRY : undefined),
    load: (id) => (id === ENTRY ? source : undefined),
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
