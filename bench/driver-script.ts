// bench/page-driver.ts as one classic script, for both ways the bench puts it into a page: a
// Playwright init script (the Chromium-only sections) and a function run once in a tab through
// the engines' driver interface (the per-engine latency section).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

let driverScript: Promise<string> | undefined;

/**
 * The page driver bundled by esbuild (no `keepNames`): tsx rewrites functions (`__name(…)`) in
 * ways that do not survive serialisation into a page, so the page code never passes through it.
 */
export function pageDriverScript(): Promise<string> {
  driverScript ??= build({
    entryPoints: [fileURLToPath(new URL('./page-driver.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return driverScript;
}
