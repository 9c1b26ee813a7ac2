/**
 * `auth0-enclave/worker`: the service-worker half. The app's worker script calls
 * {@link installAuthWorker} with its configuration; the worker then holds every token and key.
 *
 * @packageDocumentation
 * @module auth0-enclave/worker
 */
export type { ApiConfig, AuthWorkerConfig } from './config.js';
export { installAuthWorker } from './install.js';
