// Bundle sizes, measured one way for every SDK: esbuild `--bundle --minify --splitting
// --format=esm --target=es2022` of a one-line entry, then gzip level 9 of each chunk. Shared with
// the CI budget check.
//
// With splitting, a feature reached through `import()` is its own chunk, loaded when first used.
// So there are two sizes:
// - `initial`: the entry chunk and every chunk it imports statically — what a page downloads
//   before its code runs — joined, then gzipped. Joined because in an app they are one chunk:
//   the app's bundler puts what its entry imports statically into its entry chunk (esbuild, given
//   our entry alone, splits off the modules the lazy chunks share as well, e.g. the error classes).
// - `all`: `initial` plus every `import()` chunk gzipped on its own, as a browser fetches each —
//   what a page has downloaded once it has used every feature. Small files gzip worse, so this
//   is what splitting costs a page that uses everything.
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The esbuild flags every case is built with (as a command line, for reports). */
export const ESBUILD_FLAGS = '--bundle --minify --splitting --format=esm --target=es2022';

/**
 * What gets bundled: a one-line entry module, or a file as it ships (a service-worker script).
 * `external`: packages left out, as an app's own copy of them (React, Vue for the bindings).
 */
export type BundleEntry = ({ source: string } | { file: string }) & { external?: string[] };

/** Which chunks count: the {@link Bundle.initial} ones, or {@link Bundle.all}. */
export type BundleMeasure = 'initial' | 'all';

export interface BundleCase {
  id: string;
  sdk: string;
  /** What the entry imports. */
  label: string;
  entry: BundleEntry;
  /** `initial` for "what importing this costs up front", `all` for a whole API. */
  measure: BundleMeasure;
}

export interface BundleSize {
  /** Minified bytes. */
  minified: number;
  /** Bytes after `gzip -9` of the minified output. */
  gzip: number;
}

/**
 * gzip -9 as the command does it (GNU gzip's deflate, not zlib's: they differ by ~0.5 %); zlib at
 * level 9 only where no `gzip` command exists.
 */
export function gzip9(data: Uint8Array): { bytes: number; tool: 'gzip -9 -n' | 'zlib level 9' } {
  const cli = spawnSync('gzip', ['-9', '-n', '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 });
  if (cli.status === 0 && cli.stdout.byteLength > 0) {
    return { bytes: cli.stdout.byteLength, tool: 'gzip -9 -n' };
  }
  return {
    bytes: gzipSync(data, { level: constants.Z_BEST_COMPRESSION }).byteLength,
    tool: 'zlib level 9',
  };
}

/** The package's entries as this repository's sources. */
const ENCLAVE_SOURCES: Record<string, string> = {
  'auth0-enclave': '../src/client/index.ts',
  'auth0-enclave/worker': '../worker/index.ts',
  'auth0-enclave/react': '../src/react/index.ts',
  'auth0-enclave/vue': '../src/vue/index.ts',
};

/** `auth0-enclave` and its subpaths resolve to this repository's sources. */
const enclaveSources: Plugin = {
  name: 'auth0-enclave-sources',
  setup(builder) {
    builder.onResolve({ filter: /^auth0-enclave(\/(worker|react|vue))?$/ }, (args) => ({
      path: fileURLToPath(new URL(ENCLAVE_SOURCES[args.path] ?? '', import.meta.url)),
    }));
  },
};

/** Bundles one entry the shared way and measures it. Rejects when esbuild cannot build it. */
export async function bundleSize(
  entry: BundleEntry,
  measure: BundleMeasure = 'initial',
): Promise<BundleSize> {
  return (await bundle(entry))[measure];
}

/** One output file of a split bundle. */
export interface Chunk {
  /** Output name, e.g. `stdin.js`, `chunk-3QJ5ZK2A.js`, `popup-run-XYZ.js`. */
  name: string;
  /** Whether it loads with the entry (the entry, or imported statically by an initial chunk). */
  initial: boolean;
  size: BundleSize;
  /** Source files in it, relative to the repository root (`src/client/popup-run.ts`, `node_modules/…`). */
  inputs: string[];
}

/** A bundle, measured, with its text and the source files that went into it (for purity checks). */
export interface Bundle {
  /** The entry chunk plus every chunk it imports statically, joined: what loads before the page runs. */
  initial: BundleSize;
  /** {@link initial} plus each chunk loaded by `import()`, gzipped on its own. */
  all: BundleSize;
  chunks: Chunk[];
  /** The text of every chunk: purity holds for code loaded later too. */
  text: string;
  /** Source files of every chunk, relative to the repository root, e.g. `src/core/errors.ts`. */
  inputs: string[];
}

/** What esbuild calls a one-line entry (`stdin`), in the metafile and in error messages. */
const STDIN_NAME = 'bundle-entry.ts';

/** Like {@link bundleSize}, also returning every chunk, its text and its inputs. */
export async function bundle(entry: BundleEntry): Promise<Bundle> {
  const result = await build({
    ...('source' in entry
      ? {
          stdin: {
            contents: entry.source,
            resolveDir: ROOT,
            sourcefile: STDIN_NAME,
            loader: 'ts' as const,
          },
        }
      : { entryPoints: [entry.file] }),
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    // Nothing is written: the directory only names the chunks (and lets them import each other).
    outdir: 'bundle-size.out',
    write: false,
    logLevel: 'silent',
    metafile: true,
    external: entry.external ?? [],
    // The bindings' JSX compiles for React's automatic runtime, as in the package's build.
    jsx: 'automatic',
    plugins: [enclaveSources],
  });
  const outputs = result.metafile.outputs;
  const entryPoint = 'source' in entry ? STDIN_NAME : relative(ROOT, entry.file);
  const entryName = Object.keys(outputs).find((name) => outputs[name]?.entryPoint === entryPoint);
  if (!entryName) throw new Error('esbuild produced no output');
  // The initial chunks: the entry and, transitively, what it imports statically.
  const initial = new Set<string>();
  const queue = [entryName];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (initial.has(name)) continue;
    initial.add(name);
    for (const { path, kind } of outputs[name]?.imports ?? []) {
      if (kind === 'import-statement' && path in outputs) queue.push(path);
    }
  }
  const outputName = (path: string) =>
    Object.keys(outputs).find((key) => path.endsWith(`/${key}`)) ?? path;
  const chunks = result.outputFiles.map((file): Chunk => {
    const name = outputName(file.path);
    return {
      name: name.replace(/^bundle-size\.out\//, ''),
      initial: initial.has(name),
      size: { minified: file.contents.byteLength, gzip: gzip9(file.contents).bytes },
      inputs: Object.keys(outputs[name]?.inputs ?? {}).map(repositoryPath),
    };
  });
  const first = result.outputFiles.filter((file) => initial.has(outputName(file.path)));
  const joined = Buffer.concat(first.map((file) => file.contents));
  const lazy = chunks.filter((chunk) => !chunk.initial);
  const initialSize = { minified: joined.byteLength, gzip: gzip9(joined).bytes };
  return {
    initial: initialSize,
    all: {
      minified:
        initialSize.minified + lazy.reduce((total, chunk) => total + chunk.size.minified, 0),
      gzip: initialSize.gzip + lazy.reduce((total, chunk) => total + chunk.size.gzip, 0),
    },
    chunks,
    text: result.outputFiles.map((file) => file.text).join('\n'),
    inputs: [...new Set(chunks.flatMap((chunk) => chunk.inputs))],
  };
}

/** `node_modules/jose/…` wherever the package was installed from; repository files as they are. */
function repositoryPath(path: string): string {
  return path.replace(/^.*?node_modules\//, 'node_modules/');
}

const axaServiceWorker = fileURLToPath(
  new URL(
    '../node_modules/@axa-fr/oidc-client-service-worker/dist/OidcServiceWorker.js',
    import.meta.url,
  ),
);

/** The app's own React and Vue (and router): not counted against a binding. */
const REACT = ['react', 'react/jsx-runtime', 'react-dom'];
const VUE = ['vue', 'vue-router'];

/**
 * Every case the bench reports. `fetchWithAuth` is a method of the client `createAuth0Client`
 * returns (auth0-enclave and auth0-spa-js alike), so exporting `createAuth0Client` keeps it.
 */
export const BUNDLE_CASES: readonly BundleCase[] = [
  {
    id: 'enclave-page',
    sdk: 'auth0-enclave',
    label: 'page: `createAuth0Client` (+ `fetchWithAuth`)',
    entry: { source: "export { createAuth0Client } from 'auth0-enclave';" },
    measure: 'initial',
  },
  {
    id: 'enclave-page-all',
    sdk: 'auth0-enclave',
    label: "page: whole API (`export * from 'auth0-enclave'`)",
    entry: { source: "export * from 'auth0-enclave';" },
    measure: 'all',
  },
  {
    id: 'enclave-worker',
    sdk: 'auth0-enclave',
    label: 'service worker: `installAuthWorker`',
    entry: { source: "export { installAuthWorker } from 'auth0-enclave/worker';" },
    measure: 'all',
  },
  {
    id: 'enclave-worker-features',
    sdk: 'auth0-enclave',
    label:
      'service worker with its optional features: `installAuthWorker`, `myAccountApi`, `anonymousSessions`',
    entry: {
      source:
        "export { installAuthWorker, myAccountApi, anonymousSessions } from 'auth0-enclave/worker';",
    },
    measure: 'all',
  },
  {
    id: 'enclave-react',
    sdk: 'auth0-enclave',
    label:
      '`auth0-enclave/react`: `Auth0Provider`, `useAuth0`, `withAuthenticationRequired`, `useFetchWithAuth` (+ the page client; react external)',
    entry: {
      source:
        "export { Auth0Provider, useAuth0, withAuthenticationRequired, useFetchWithAuth } from 'auth0-enclave/react';",
      external: REACT,
    },
    measure: 'initial',
  },
  {
    id: 'enclave-vue',
    sdk: 'auth0-enclave',
    label:
      '`auth0-enclave/vue`: `createAuth0`, `useAuth0`, `createAuthGuard` (+ the page client; vue external)',
    entry: {
      source: "export { createAuth0, useAuth0, createAuthGuard } from 'auth0-enclave/vue';",
      external: VUE,
    },
    measure: 'initial',
  },
  {
    id: 'spa-js',
    sdk: '@auth0/auth0-spa-js 2.27',
    label: '`createAuth0Client` (+ `createFetcher`)',
    entry: { source: "export { createAuth0Client } from '@auth0/auth0-spa-js';" },
    measure: 'initial',
  },
  {
    id: 'spa-js-all',
    sdk: '@auth0/auth0-spa-js 2.27',
    label: 'whole API',
    entry: { source: "export * from '@auth0/auth0-spa-js';" },
    measure: 'all',
  },
  {
    id: 'auth0-react',
    sdk: '@auth0/auth0-react 2.27',
    label: '`Auth0Provider`, `useAuth0`, `withAuthenticationRequired` (+ spa-js; react external)',
    entry: {
      source:
        "export { Auth0Provider, useAuth0, withAuthenticationRequired } from '@auth0/auth0-react';",
      external: REACT,
    },
    measure: 'initial',
  },
  {
    id: 'auth0-vue',
    sdk: '@auth0/auth0-vue 2.10',
    label: '`createAuth0`, `useAuth0`, `createAuthGuard` (+ spa-js; vue external)',
    entry: {
      source: "export { createAuth0, useAuth0, createAuthGuard } from '@auth0/auth0-vue';",
      external: VUE,
    },
    measure: 'initial',
  },
  {
    id: 'axa',
    sdk: '@axa-fr/oidc-client 7.29',
    label: 'page: `OidcClient`',
    entry: { source: "export { OidcClient } from '@axa-fr/oidc-client';" },
    measure: 'initial',
  },
  {
    id: 'axa-all',
    sdk: '@axa-fr/oidc-client 7.29',
    label: 'page: whole API',
    entry: { source: "export * from '@axa-fr/oidc-client';" },
    measure: 'all',
  },
  {
    id: 'axa-worker',
    sdk: '@axa-fr/oidc-client 7.29',
    label:
      'service worker: `OidcServiceWorker.js` (without the app-written `OidcTrustedDomains.js`)',
    entry: { file: axaServiceWorker },
    measure: 'all',
  },
  {
    id: 'oidc-client-ts',
    sdk: 'oidc-client-ts 3.5',
    label: '`UserManager`',
    entry: { source: "export { UserManager } from 'oidc-client-ts';" },
    measure: 'initial',
  },
  {
    id: 'oidc-client-ts-all',
    sdk: 'oidc-client-ts 3.5',
    label: 'whole API',
    entry: { source: "export * from 'oidc-client-ts';" },
    measure: 'all',
  },
];

export type BundleResult = BundleCase & ({ size: BundleSize } | { error: string });

/** Measures every case; a case that does not build is reported with its reason, not thrown. */
export async function measureBundles(
  cases: readonly BundleCase[] = BUNDLE_CASES,
): Promise<BundleResult[]> {
  return Promise.all(
    cases.map(async (bundleCase): Promise<BundleResult> => {
      try {
        return { ...bundleCase, size: await bundleSize(bundleCase.entry, bundleCase.measure) };
      } catch (error) {
        return { ...bundleCase, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
