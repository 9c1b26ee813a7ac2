/**
 * `auth0-enclave-tenant/resource-server`: what an API protected by the local tenant's tokens
 * needs — access-token and DPoP-proof checks, server DPoP nonces, explicit-origin CORS, and a
 * summary of a proof for request logs. The sample API (dev/api) is built on exactly this.
 *
 * @example
 * ```ts
 * import { authenticateResourceRequest, createDpopVerifier } from 'auth0-enclave-tenant/resource-server';
 * ```
 *
 * @packageDocumentation
 * @module auth0-enclave-tenant/resource-server
 */

export { type CorsOptions, cors } from './cors.js';
export { createDpopNonces, type DpopNonces, type DpopNoncesOptions } from './dpop-nonces.js';
export { type DpopProofSummary, summarizeDpopProof } from './dpop-proof-summary.js';
export {
  accessTokenHash,
  createDpopVerifier,
  DPOP_ALGORITHMS,
  type DpopProofCheck,
  DpopProofError,
  type DpopProofErrorCode,
  type DpopVerifier,
  type DpopVerifierOptions,
  type VerifiedDpopProof,
} from './dpop-verifier.js';
export { parseIssuer } from './issuer.js';
export {
  authenticateResourceRequest,
  type ResourceAccess,
  ResourceAccessError,
  type ResourceAccessOptions,
  type ResourceRequest,
  requireScope,
} from './resource-access.js';
