/**
 * The sample resource server for demos and tests: it enforces Bearer and DPoP access tokens
 * from the local tenant (or any Auth0-compatible issuer).
 */
export type { ApiRequestLogEntry } from './request-log.js';
export { createSampleApi, type SampleApi, type SampleApiOptions } from './sample-api.js';
