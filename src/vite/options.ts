import { type AuthWorkerConfig, type ResolvedConfig, resolveConfig } from '../../worker/config.js';
import { InvalidConfigurationError } from '../core/errors.js';

/** Options of {@link auth0Enclave}. */
export interface Auth0EnclaveOptions {
  /**
   * The worker's configuration, exactly what `installAuthWorker` takes. It is compiled into the
   * worker script (never into the page), and checked now by the worker's own validator.
   */
  worker: AuthWorkerConfig;
  /**
   * The worker script's URL path on the site; default `/auth-worker.js`. At the site root the
   * worker's scope is the whole site, which it needs to see the `redirect_uri` navigation.
   */
  workerUrl?: string;
  /**
   * The optional worker features the app uses, compiled into the worker script: `'myAccount'`
   * for `auth0.myAccount.*` and `connectAccountWithRedirect`, `'anonymous'` for
   * `auth0.anonymous.*`. None by default: their code is in the worker only when listed here,
   * and without it those methods reject with `NotSupportedError`.
   */
  workerFeatures?: WorkerFeatureOption[];
}

/** A name in {@link Auth0EnclaveOptions.workerFeatures}. */
export type WorkerFeatureOption = 'myAccount' | 'anonymous';

/** Each `workerFeatures` name and the `auth0-enclave/worker` export the worker script passes. */
export const WORKER_FEATURES: Record<WorkerFeatureOption, string> = {
  myAccount: 'myAccountApi',
  anonymous: 'anonymousSessions',
};

/** The checked options the plugin runs on. */
export interface CheckedOptions {
  worker: AuthWorkerConfig;
  /** The worker features to install, each once. */
  workerFeatures: WorkerFeatureOption[];
  /** The worker config as JSON data, exactly as it is compiled into the worker script. */
  resolved: ResolvedConfig;
  workerUrl: string;
}

/** A path segment of a script URL: nothing a URL would re-read as a query, fragment or `..`. */
const WORKER_PATH = /^\/(?:[\w.-]+\/)*[\w.-]+\.m?js$/;

/**
 * Checks the plugin's options when `vite.config` is loaded, so a broken worker config fails the
 * dev server and the build before anything is served: with the worker's own validator
 * (`resolveConfig`), hence the very error (`InvalidConfigurationError`, code
 * `invalid_configuration`) and message the worker would give at install.
 */
export function checkOptions(options: Auth0EnclaveOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidConfigurationError({
      message: 'auth0Enclave(): "options" must be an object with a "worker" config.',
    });
  }
  const workerUrl = options.workerUrl ?? '/auth-worker.js';
  if (
    typeof workerUrl !== 'string' ||
    !WORKER_PATH.test(workerUrl) ||
    workerUrl.split('/').some((segment) => segment === '.' || segment === '..')
  ) {
    throw new InvalidConfigurationError({
      message:
        'auth0Enclave(): "options.workerUrl" must be an absolute path to a .js file, like "/auth-worker.js".',
    });
  }
  const workerFeatures = checkWorkerFeatures(options.workerFeatures);
  // What the worker will get is the config as JSON (worker-bundle.ts compiles it in that way):
  // that is what is checked, so nothing passes here that the worker would see differently.
  let worker: AuthWorkerConfig = options.worker;
  if (typeof worker === 'object' && worker !== null) {
    try {
      worker = JSON.parse(JSON.stringify(worker)) as AuthWorkerConfig;
    } catch (cause) {
      throw new InvalidConfigurationError({
        message:
          'auth0Enclave(): "options.worker" must be plain JSON data: it is compiled into the worker script.',
        cause,
      });
    }
  }
  // The worker's origin is the page's, unknown until it is served; `redirect_uri` must be on it
  // (the worker checks at install), so its own origin stands in for the build-time check.
  const redirectUri: unknown = (
    worker as { authorizationParams?: { redirect_uri?: unknown } } | undefined
  )?.authorizationParams?.redirect_uri;
  let origin = 'null';
  try {
    origin = new URL(String(redirectUri)).origin;
  } catch {
    // resolveConfig names the bad redirect_uri itself.
  }
  const resolved = resolveConfig(worker, origin);
  // A worker controls the pages under its script's directory (no Service-Worker-Allowed header
  // here): a redirect_uri outside it is a navigation the worker never sees.
  const scope = workerUrl.slice(0, workerUrl.lastIndexOf('/') + 1);
  if (!resolved.redirectUri.pathname.startsWith(scope)) {
    throw new InvalidConfigurationError({
      message: `auth0Enclave(): "worker.authorizationParams.redirect_uri" must be under ${scope}, the scope of a worker at "options.workerUrl" (${workerUrl}), so the worker can intercept it.`,
    });
  }
  return { worker, resolved, workerUrl, workerFeatures };
}

/** `workerFeatures`: known names only, as the worker checks its own options (a `TypeError`). */
function checkWorkerFeatures(features: unknown): WorkerFeatureOption[] {
  if (features === undefined) return [];
  if (!Array.isArray(features)) {
    throw new TypeError(
      'auth0Enclave(): "options.workerFeatures" must be an array of "myAccount" and "anonymous".',
    );
  }
  for (const [index, feature] of features.entries()) {
    if (typeof feature !== 'string' || !Object.hasOwn(WORKER_FEATURES, feature)) {
      throw new TypeError(
        `auth0Enclave(): "options.workerFeatures[${index}]" (${typeof feature === 'string' ? JSON.stringify(feature) : typeof feature}) is not a worker feature: use "myAccount" or "anonymous".`,
      );
    }
  }
  return [...new Set(features as WorkerFeatureOption[])];
}
