// The sample app's service worker: the whole of it. The configuration is baked in at build time
// (dev/app/build.ts replaces __AUTH_WORKER_CONFIG__), never read from this script's URL.
import { type AuthWorkerConfig, installAuthWorker } from 'auth0-enclave/worker';

declare const __AUTH_WORKER_CONFIG__: AuthWorkerConfig;

installAuthWorker(__AUTH_WORKER_CONFIG__);
