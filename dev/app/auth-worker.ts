// The sample app's service worker, written by hand: the whole of it. dev/app/build.ts has the
// plugin (auth0-enclave/vite) generate this same script; e2e/support/lifecycle.ts builds this one,
// as it alters both halves' protocol version. The configuration is baked in at build time (it
// replaces __AUTH_WORKER_CONFIG__), never read from this script's URL. The sample app shows
// auth0.myAccount and auth0.anonymous, so it installs both optional features.
import {
  type AuthWorkerConfig,
  anonymousSessions,
  installAuthWorker,
  myAccountApi,
} from 'auth0-enclave/worker';

declare const __AUTH_WORKER_CONFIG__: AuthWorkerConfig;

installAuthWorker(__AUTH_WORKER_CONFIG__, { features: [myAccountApi, anonymousSessions] });
