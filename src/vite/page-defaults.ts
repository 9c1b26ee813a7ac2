import type { ResolvedConfig } from '../../worker/config.js';
import { packageFile } from './package-files.js';

/** The page module the plugin replaces: `BUILD_DEFAULTS` of src/client/build-defaults.ts. */
export const PAGE_DEFAULTS_FILE = 'src/client/build-defaults';

/**
 * Whether a module id is the page's build-defaults module: this package's own, or a copy of the
 * published package elsewhere in node_modules (a second install of the same version).
 */
export function isPageDefaults(id: string): boolean {
  const file = id.split('?')[0] ?? id;
  return (
    file === packageFile(PAGE_DEFAULTS_FILE) ||
    /[\\/]node_modules[\\/]auth0-enclave[\\/]dist[\\/]src[\\/]client[\\/]build-defaults\.js$/.test(
      file,
    )
  );
}

/**
 * The module that stands in for the build-defaults module in the app: the worker's URL and the
 * public half of its config — `domain` and `clientId`, which the page checks against the worker's
 * so a page is never wired to another worker. Nothing secret: the page can read all of it.
 */
export function pageDefaultsModule(options: { workerUrl: string; config: ResolvedConfig }): string {
  const defaults = {
    workerUrl: options.workerUrl,
    domain: options.config.domain,
    clientId: options.config.clientId,
  };
  return `export const BUILD_DEFAULTS = Object.freeze(${JSON.stringify(defaults)});\n`;
}
