import { assertKnownKeys, assertObject } from '../src/core/assert.js';
import { NotSupportedError } from '../src/core/errors.js';
import type { WorkerApi, WorkerMethod } from '../src/rpc/protocol.js';
import type { FeatureMethod, FeatureParts, WorkerDeps, WorkerFeatureName } from './deps.js';
import { METHODS } from './methods.js';

// Optional worker features. A service worker cannot import(), so "loads where used" means: the
// app's worker script contains a feature's code only if it imports the feature and passes it to
// installAuthWorker. This file is all the base worker knows of them — their names, which RPC
// methods are theirs, and the answer when one is absent — and must never import their code
// (scripts/budgets.ts fails the `worker` budget if my-account.ts or anonymous.ts reach it).

/**
 * An optional part of the worker, turned on by passing it to {@link installAuthWorker}: its code
 * is in the worker script only when the script imports it. Without it, the page API it serves
 * rejects with `NotSupportedError` naming it, and sends nothing.
 *
 * - `myAccountApi`: `auth0.myAccount.*` and `connectAccountWithRedirect` (the My Account API,
 *   with the worker's own token).
 * - `anonymousSessions`: `auth0.anonymous.*` (anonymous sessions; allow-listed requests carry
 *   their token while no user is logged in).
 *
 * @example
 * ```ts
 * // auth-worker.ts
 * import { anonymousSessions, installAuthWorker, myAccountApi } from 'auth0-enclave/worker';
 *
 * installAuthWorker(
 *   {
 *     domain: 'example.eu.auth0.com',
 *     clientId: 'abc',
 *     authorizationParams: { redirect_uri: 'https://app.example/callback' },
 *   },
 *   { features: [myAccountApi, anonymousSessions] },
 * );
 * ```
 */
export interface WorkerFeature {
  /** Which feature this is: `myAccountApi` or `anonymousSessions`. */
  readonly name: WorkerFeatureName;
}

/** The second argument of {@link installAuthWorker}: code, where the config is plain data. */
export interface AuthWorkerOptions {
  /**
   * The optional features this worker serves ({@link WorkerFeature}); none by default. Each one
   * adds its code to the worker script.
   */
  features?: readonly WorkerFeature[];
}

/** The page API each feature serves, for the message that tells how to turn it on. */
const PAGE_API: Record<WorkerFeatureName, string> = {
  myAccountApi: 'auth0.myAccount',
  anonymousSessions: 'auth0.anonymous',
};

/** Whose a feature method is: its name says (`myAccount…`, `anonymous…`; see FeatureMethod). */
function featureOf(method: WorkerMethod): WorkerFeatureName | undefined {
  return method.startsWith('myAccount') || method === 'startConnect'
    ? 'myAccountApi'
    : method.startsWith('anonymous')
      ? 'anonymousSessions'
      : undefined;
}

/** The refusal of a page API whose feature is not installed: it names the line that turns it on. */
export function featureMissing(pageApi: string, feature: WorkerFeatureName): NotSupportedError {
  return new NotSupportedError({
    message: `${pageApi} needs the worker feature ${feature}: installAuthWorker(config, { features: [${feature}] })`,
  });
}

/**
 * Checks `installAuthWorker`'s options and returns the features to install. Like the config
 * validator, a mistake stops the worker from starting, with a `TypeError` naming it.
 */
export function checkWorkerOptions(options: unknown): FeatureParts[] {
  let features: unknown;
  try {
    if (options === undefined) return [];
    assertObject(options, 'options');
    assertKnownKeys(options, ['features'], 'options');
    features = (options as AuthWorkerOptions).features ?? [];
    if (!Array.isArray(features)) throw new TypeError('"options.features" must be an array');
    for (const [index, feature] of features.entries()) {
      if (!isFeature(feature)) {
        throw new TypeError(
          `"options.features[${index}]" (${typeof feature === 'string' ? JSON.stringify(feature) : typeof feature}) is not a worker feature: pass myAccountApi or anonymousSessions from 'auth0-enclave/worker'`,
        );
      }
    }
  } catch (cause) {
    throw new TypeError(`Auth worker: ${(cause as Error).message}.`, { cause });
  }
  return features as FeatureParts[];
}

function isFeature(value: unknown): value is FeatureParts {
  const feature = value as Partial<FeatureParts> | null;
  return (
    typeof feature?.methods === 'object' &&
    feature.methods !== null &&
    Object.hasOwn(PAGE_API, String(feature.name))
  );
}

/**
 * The facade's feature methods: the installed features' own, and for each absent feature a
 * method that rejects with `NotSupportedError` (naming the feature and the line that turns it
 * on) before anything else — no argument is read and no request is sent.
 */
export function featureMethods(deps: WorkerDeps): Pick<WorkerApi, FeatureMethod> {
  const methods: Partial<Record<WorkerMethod, unknown>> = {};
  for (const method of METHODS) {
    const feature = featureOf(method);
    if (!feature) continue;
    // A feature serves only its own methods (by its name), each with the worker's parts first.
    const handler = deps.features.find((each) => each.name === feature)?.methods[
      method as FeatureMethod
    ] as ((deps: WorkerDeps, ...args: unknown[]) => unknown) | undefined;
    methods[method] = handler
      ? async (...args: unknown[]) => handler(deps, ...args)
      : () =>
          Promise.reject(
            featureMissing(
              method === 'startConnect' ? 'connectAccountWithRedirect' : PAGE_API[feature],
              feature,
            ),
          );
  }
  return methods as Pick<WorkerApi, FeatureMethod>;
}
