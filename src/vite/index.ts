/**
 * `auth0-enclave/vite`: the Vite plugin that builds, serves and emits the worker script with its
 * configuration compiled in, and hands the page the worker's URL. Runs in Node, inside Vite.
 *
 * @packageDocumentation
 * @module auth0-enclave/vite
 */
export type { ApiConfig, AuthWorkerConfig } from '../../worker/config.js';
export type { Auth0EnclaveOptions, WorkerFeatureOption } from './options.js';
export { auth0Enclave } from './plugin.js';
