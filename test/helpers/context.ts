import { type ClientAuthenticator, publicClient } from '../../src/core/client-auth.js';
import { type ClientContext, createClientContext } from '../../src/core/context.js';
import type { ServerMetadata } from '../../src/core/discovery.js';
import type { DpopKeyPair } from '../../src/core/dpop-key.js';
import type { DpopNonceStore } from '../../src/core/dpop-nonces.js';
import type { FetchLike } from '../../src/core/http.js';
import { CLIENT_ID, ISSUER } from './jwt-factory.js';

/** Static metadata of the test server at {@link ISSUER}. */
export function testMetadata(overrides: Partial<ServerMetadata> = {}): ServerMetadata {
  return {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}authorize`,
    token_endpoint: `${ISSUER}oauth/token`,
    jwks_uri: `${ISSUER}.well-known/jwks.json`,
    userinfo_endpoint: `${ISSUER}userinfo`,
    revocation_endpoint: `${ISSUER}oauth/revoke`,
    id_token_signing_alg_values_supported: ['RS256'],
    ...overrides,
  };
}

/** A context with static metadata (no discovery) whose requests go to `fetch`. */
export function testContext(options: {
  fetch: FetchLike;
  dpop?: DpopKeyPair;
  authenticate?: ClientAuthenticator;
  nonces?: DpopNonceStore;
  metadata?: ServerMetadata;
  timeoutMs?: number;
  maxResponseBytes?: number;
}): ClientContext {
  return createClientContext({
    clientId: CLIENT_ID,
    base: new URL(ISSUER),
    http: {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? 5_000,
      maxResponseBytes: options.maxResponseBytes ?? 1024 * 1024,
    },
    authenticate: options.authenticate ?? publicClient(),
    dpop: options.dpop,
    nonces: options.nonces,
    metadata: options.metadata ?? testMetadata(),
  });
}
