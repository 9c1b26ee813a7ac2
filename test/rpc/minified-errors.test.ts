import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from 'vitest';
import * as errors from '../../src/core/errors.js';

// Minifiers rename classes. The page rebuilds errors by name, so the names must come from the
// prototypes, not from the constructors: this bundles the real modules minified, as apps ship
// them, and checks every class survives the round trip.
test('every error class is rebuilt into itself from a minified bundle', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'enclave-minified-'));
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  await writeFile(
    join(dir, 'entry.ts'),
    `import * as errors from '${src}core/errors.ts';
     import { deserializeError, serializeError } from '${src}rpc/errors.ts';
     export const results = Object.entries(errors)
       .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
       .map(([exported, Class]) => {
         // One options object fits every constructor: each reads only the options it knows.
         const original = new Class({ message: 'm', code: 'timeout', error: 'e', status: 500 });
         const rebuilt = deserializeError(serializeError(original));
         return {
           exported,
           name: rebuilt.name,
           same: rebuilt instanceof Class,
           code: rebuilt.code,
           originalCode: original.code,
         };
       });`,
  );
  const outfile = join(dir, 'out.mjs');
  await build({
    entryPoints: [join(dir, 'entry.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    outfile,
    logLevel: 'error',
  });
  const { results } = (await import(pathToFileURL(outfile).href)) as {
    results: {
      exported: string;
      name: string;
      same: boolean;
      code: string;
      originalCode: string;
    }[];
  };
  const classes = Object.entries(errors).filter(
    ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
  );
  expect(results).toHaveLength(classes.length);
  for (const result of results) {
    expect(result.same, `${result.exported} survives minification`).toBe(true);
    expect(result.name).toBe(result.exported === 'GenericError' ? 'EnclaveError' : result.exported);
    expect(result.code).toBe(result.originalCode);
  }
});
