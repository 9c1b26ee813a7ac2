// biome-ignore-all assist/source/organizeImports: the order is measured (see below)
/**
 * `auth0-enclave/worker`: the service-worker half. The app's worker script calls
 * {@link installAuthWorker} with its configuration and the optional features it uses
 * ({@link myAccountApi}, {@link anonymousSessions}); the worker then holds every token and key.
 *
 * @packageDocumentation
 * @module auth0-enclave/worker
 */

export type { ApiConfig, AuthWorkerConfig } from './config.js';
export type { WorkerFeatureName } from './deps.js';
export type { AuthWorkerOptions, WorkerFeature } from './features.js';
// The base worker first, then the optional features: bundlers lay modules out in import order,
// and in this order a worker script compresses best (esbuild, gzip -9: 0.2 KB less for the base
// worker, 0.3 KB less with both features, than in alphabetical order).
export { installAuthWorker } from './install.js';
export { myAccountApi } from './my-account.js';
export { anonymousSessions } from './anonymous.js';
