import type { Plugin, ResolvedConfig } from 'vite';
import { InvalidConfigurationError } from '../core/errors.js';
import { deploymentHeaders, headersAdvice } from './headers.js';
import { type Auth0EnclaveOptions, checkOptions } from './options.js';
import { isPageDefaults, pageDefaultsModule } from './page-defaults.js';
import { buildWorker, type WorkerBundle } from './worker-bundle.js';

/**
 * The worker's path inside the build output: `workerUrl` under Vite's `base`, which the output
 * directory is served at. A worker outside `base` could not be emitted where the URL points.
 */
export function workerFileName(workerUrl: string, base: string): string {
  const prefix = base.startsWith('/') ? base.replace(/\/?$/, '/') : '/';
  if (!workerUrl.startsWith(prefix)) {
    throw new InvalidConfigurationError({
      message: `auth0Enclave(): "options.workerUrl" (${workerUrl}) must be under Vite's base (${prefix}), where the build output is served.`,
    });
  }
  return workerUrl.slice(prefix.length);
}

/**
 * The Vite plugin: checks the worker config with the worker's own validator when the config
 * loads; builds the worker script with the config compiled in; serves it from the dev server
 * (rebuilt when a file it was built from changes) and from `vite preview` with the headers a
 * worker script needs; emits it in `vite build` output and prints the headers advice once; and
 * compiles the worker's URL and public `domain`/`clientId` into the page, so the page calls
 * `createAuth0Client()` with no arguments.
 *
 * @example
 * ```ts
 * // vite.config.ts
 * import { defineConfig } from 'vite';
 * import { auth0Enclave } from 'auth0-enclave/vite';
 *
 * export default defineConfig({
 *   plugins: [
 *     auth0Enclave({
 *       worker: {
 *         domain: 'example.eu.auth0.com',
 *         clientId: 'abc',
 *         authorizationParams: { redirect_uri: 'https://app.example/callback', audience: 'https://api.example/' },
 *         apis: [{ url: 'https://api.example/v1' }],
 *       },
 *     }),
 *   ],
 * });
 *
 * // main.ts
 * import { createAuth0Client } from 'auth0-enclave';
 * const auth0 = await createAuth0Client();
 * ```
 */
export function auth0Enclave(options: Auth0EnclaveOptions): Plugin {
  const checked = checkOptions(options);
  const headers = deploymentHeaders(checked.resolved);
  let vite: ResolvedConfig;
  let fileName: string;
  let pending: Promise<WorkerBundle> | undefined;
  let advised = false;
  /** The current worker build, started on first use and shared by everyone who asks meanwhile. */
  const bundle = (): Promise<WorkerBundle> => {
    pending ??= buildWorker({
      root: vite.root,
      config: checked.worker,
      features: checked.workerFeatures,
      mode: vite.mode,
      // The app's own choice: `build.minify: false` leaves the worker readable too.
      minify: vite.command === 'build' && vite.build.minify !== false,
    }).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
  const isWorkerRequest = (url: string | undefined) =>
    (url ?? '').split(/[?#]/)[0] === checked.workerUrl;

  return {
    name: 'auth0-enclave',
    config: () => ({
      // Pre-bundling would freeze the package's build-defaults module before `load` below can
      // replace it; the page's own dependencies are still pre-bundled, up front (no reload when
      // the first page asks for them).
      optimizeDeps: {
        exclude: ['auth0-enclave'],
        include: [
          'auth0-enclave > comlink',
          'auth0-enclave > workbox-window/build/workbox-window.prod.mjs',
        ],
      },
    }),
    configResolved(resolved) {
      vite = resolved;
      fileName = workerFileName(checked.workerUrl, resolved.base);
    },
    load(id) {
      if (isPageDefaults(id)) {
        return pageDefaultsModule({ workerUrl: checked.workerUrl, config: checked.resolved });
      }
      return undefined;
    },
    buildStart() {
      // `vite build --watch`: each round builds the worker afresh, its sources may have changed.
      if (vite.command === 'build' && this.meta.watchMode) pending = undefined;
      // Start the worker build beside the app's; `generateBundle` waits for it.
      if (vite.command === 'build' && this.environment.name === 'client')
        void bundle().catch(() => {});
    },
    async generateBundle() {
      if (this.environment.name !== 'client') return;
      const { code } = await bundle();
      this.emitFile({ type: 'asset', fileName, source: code });
    },
    closeBundle() {
      if (vite.command !== 'build' || this.environment.name !== 'client' || advised) return;
      advised = true;
      vite.logger.info(`\n${headersAdvice(headers, checked.workerUrl)}\n`);
    },
    configureServer(server) {
      let watched = new Set<string>();
      let served: string | undefined;
      const current = async (): Promise<WorkerBundle> => {
        const built = await bundle();
        const added = built.inputs.filter((file) => !watched.has(file));
        if (added.length > 0) server.watcher.add(added);
        watched = new Set(built.inputs);
        return built;
      };
      server.watcher.on('change', (file) => {
        if (!watched.has(file)) return;
        pending = undefined;
        // Reload open pages only when the script's bytes changed: the reload makes the browser
        // look for the new worker, which installs and waits (the SDK's `update` event) — a
        // rebuild that changes nothing reloads nothing, so there is no loop.
        current().then(
          ({ code }) => {
            if (served !== undefined && code !== served) server.ws.send({ type: 'full-reload' });
          },
          (error: unknown) =>
            server.config.logger.error(`auth0-enclave: the worker failed to build: ${error}`),
        );
      });
      server.middlewares.use((request, response, next) => {
        if (!isWorkerRequest(request.url)) return next();
        current().then(({ code }) => {
          served = code;
          response.statusCode = 200;
          response.setHeader('Content-Type', 'text/javascript; charset=utf-8');
          for (const [name, value] of Object.entries(headers.worker))
            response.setHeader(name, value);
          response.end(code);
        }, next);
      });
      // Build now, so a worker that does not build fails at startup, not on the first visit.
      current().catch((error: unknown) =>
        server.config.logger.error(`auth0-enclave: the worker failed to build: ${error}`),
      );
    },
    configurePreviewServer(server) {
      server.middlewares.use((request, response, next) => {
        if (isWorkerRequest(request.url)) {
          for (const [name, value] of Object.entries(headers.worker))
            response.setHeader(name, value);
        }
        next();
      });
    },
  };
}
