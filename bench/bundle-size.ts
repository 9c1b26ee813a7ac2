// Bundle sizes, measured one way for every SDK: esbuild `--bundle --minify --format=esm
// --target=es2022` of a one-line entry, then gzip level 9. Shared with the CI budget check.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The esbuild flags every case is built with (as a command line, for reports). */
export const ESBUILD_FLAGS = '--bundle --minify --format=esm --target=es2022';

/** What gets bundled: a one-line entry module, or a file as it ships (a service-worker script). */
export type BundleEntry = { source: string } | { file: string };

export interface BundleCase {
  id: string;
  sdk: string;
  /** What the entry imports. */
  label: string;
  entry: BundleEntry;
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

/** `auth0-enclave` and `auth0-enclave/worker` resolve to this repository's sources. */
const enclaveSources: Plugin = {
  name: 'auth0-enclave-sources',
  setup(builder) {
    builder.onResolve({ filter: /^auth0-enclave(\/worker)?$/ }, (args) => ({
      path: fileURLToPath(
        new URL(
          args.path === 'auth0-enclave' ? '../src/client/index.ts' : '../worker/index.ts',
          import.meta.url,
        ),
      ),
    }));
  },
};

/** Bundles one entry the shared way and measures it. Rejects when esbuild cannot build it. */
export async function bundleSize(entry: BundleEntry): Promise<BundleSize> {
  const { size } = await bundle(entry);
  return size;
}

/** A bundle, measured, with its text and the source files that went into it (for purity checks). */
export interface Bundle {
  size: BundleSize;
  text: string;
  /** Paths relative to the repository root, e.g. `src/core/errors.ts`, `node_modules/jose/…`. */
  inputs: string[];
}

/** Like {@link bundleSize}, also returning the output and its inputs. */
export async function bundle(entry: BundleEntry): Promise<Bundle> {
  const result = await build({
    ...('source' in entry
      ? {
          stdin: {
            contents: entry.source,
            resolveDir: ROOT,
            sourcefile: 'bundle-entry.ts',
            loader: 'ts' as const,
          },
        }
      : { entryPoints: [entry.file] }),
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    metafile: true,
    plugins: [enclaveSources],
  });
  const output = result.outputFiles[0]?.contents;
  if (!output) throw new Error('esbuild produced no output');
  const inputs = Object.keys(result.metafile.inputs).map((path) =>
    path.replace(/^(\.\.\/)+work\/main\//, '').replace(/^.*?node_modules\//, 'node_modules/'),
  );
  return {
    size: { minified: output.byteLength, gzip: gzip9(output).bytes },
    text: new TextDecoder().decode(output),
    inputs,
  };
}

const axaServiceWorker = fileURLToPath(
  new URL(
    '../node_modules/@axa-fr/oidc-client-service-worker/dist/OidcServiceWorker.js',
    import.meta.url,
  ),
);

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
  },
  {
    id: 'enclave-page-all',
    sdk: 'auth0-enclave',
    label: "page: whole API (`export * from 'auth0-enclave'`)",
    entry: { source: "export * from 'auth0-enclave';" },
  },
  {
    id: 'enclave-worker',
    sdk: 'auth0-enclave',
    label: 'service worker: `installAuthWorker`',
    entry: { source: "export { installAuthWorker } from 'auth0-enclave/worker';" },
  },
  {
    id: 'spa-js',
    sdk: '@auth0/auth0-spa-js 2.27',
    label: '`createAuth0Client` (+ `createFetcher`)',
    entry: { source: "export { createAuth0Client } from '@auth0/auth0-spa-js';" },
  },
  {
    id: 'spa-js-all',
    sdk: '@auth0/auth0-spa-js 2.27',
    label: 'whole API',
    entry: { source: "export * from '@auth0/auth0-spa-js';" },
  },
  {
    id: 'axa',
    sdk: '@axa-fr/oidc-client 7.29',
    label: 'page: `OidcClient`',
    entry: { source: "export { OidcClient } from '@axa-fr/oidc-client';" },
  },
  {
    id: 'axa-all',
    sdk: '@axa-fr/oidc-client 7.29',
    label: 'page: whole API',
    entry: { source: "export * from '@axa-fr/oidc-client';" },
  },
  {
    id: 'axa-worker',
    sdk: '@axa-fr/oidc-client 7.29',
    label:
      'service worker: `OidcServiceWorker.js` (without the app-written `OidcTrustedDomains.js`)',
    entry: { file: axaServiceWorker },
  },
  {
    id: 'oidc-client-ts',
    sdk: 'oidc-client-ts 3.5',
    label: '`UserManager`',
    entry: { source: "export { UserManager } from 'oidc-client-ts';" },
  },
  {
    id: 'oidc-client-ts-all',
    sdk: 'oidc-client-ts 3.5',
    label: 'whole API',
    entry: { source: "export * from 'oidc-client-ts';" },
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
        return { ...bundleCase, size: await bundleSize(bundleCase.entry) };
      } catch (error) {
        return { ...bundleCase, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
