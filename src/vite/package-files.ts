import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A file of this package, next to the plugin: `dist/…/x.js` as published, `…/x.ts` in the
 * repository (where tests run the sources). `relative` is from the package root (or `dist/`),
 * without an extension. The worker and the page module are this package's own, so the worker a
 * plugin builds is always of the plugin's version.
 */
export function packageFile(relative: string): string {
  for (const extension of ['.js', '.ts']) {
    const file = fileURLToPath(new URL(`../../${relative}${extension}`, import.meta.url));
    if (existsSync(file)) return realpathSync(file);
  }
  throw new Error(`auth0-enclave/vite: the package has no ${relative} (a broken install?)`);
}
