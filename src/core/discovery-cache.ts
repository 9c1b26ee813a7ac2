import { type ClientContext, type ClientContextOptions, createClientContext } from './context.js';

/**
 * A context whose discovered metadata (and the key set that comes with it) is reused for `ttlMs`
 * and then discovered again (`discoveryCache.ttl` of AuthClient). The context's identity stays
 * the same, so sub-clients holding it see the fresh metadata too. Kept out of context.ts: the
 * service worker, which never expires its discovery, does not bundle it.
 */
export function expiringContext(
  options: ClientContextOptions,
  ttlMs: number,
  extra: Partial<Pick<ClientContext, 'confidential' | 'organizationError' | 'tokenResponse'>>,
): ClientContext {
  let current = createClientContext(options);
  let createdAt = Date.now();
  const fresh = (): ClientContext => {
    if (Date.now() - createdAt >= ttlMs) {
      // The nonce store is the caller's (or the first context's): DPoP nonces survive.
      current = createClientContext({ ...options, nonces: current.nonces });
      createdAt = Date.now();
    }
    return current;
  };
  return {
    ...current,
    ...extra,
    metadata: () => fresh().metadata(),
    jwks: () => fresh().jwks(),
    algorithms: () => fresh().algorithms(),
  };
}
