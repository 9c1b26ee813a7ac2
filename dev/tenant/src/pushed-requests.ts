import type { TenantRuntime } from './context.js';
import { randomToken } from './random-token.js';

/** RFC 9126 §2.2: the `request_uri` prefix. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
/** How long a pushed request may wait for its /authorize, in seconds (Auth0: 30–60). */
export const PUSHED_REQUEST_TTL_SECONDS = 60;

interface PushedRequest {
  clientId: string;
  /** The authorization parameters as pushed (client authentication removed). */
  params: URLSearchParams;
  expiresAt: number;
}

const STORES = new WeakMap<TenantRuntime, Map<string, PushedRequest>>();

function storeOf(runtime: TenantRuntime): Map<string, PushedRequest> {
  let store = STORES.get(runtime);
  if (!store) {
    store = new Map();
    STORES.set(runtime, store);
  }
  return store;
}

/** Keeps a checked pushed request and returns its `request_uri`. */
export function rememberPushedRequest(
  runtime: TenantRuntime,
  clientId: string,
  params: URLSearchParams,
): string {
  const store = storeOf(runtime);
  const now = runtime.clock.now();
  for (const [uri, pushed] of store) if (pushed.expiresAt <= now) store.delete(uri);
  const uri = `${REQUEST_URI_PREFIX}${randomToken(24)}`;
  store.set(uri, { clientId, params, expiresAt: now + PUSHED_REQUEST_TTL_SECONDS });
  return uri;
}

/**
 * Takes a pushed request out of the store (single use, RFC 9126 §4): the parameters, or a reason
 * it cannot be used. The `client_id` of the /authorize request must be the one that pushed it.
 */
export function takePushedRequest(
  runtime: TenantRuntime,
  requestUri: string,
  clientId: string | undefined,
): { params: URLSearchParams } | { error: string } {
  const store = storeOf(runtime);
  const pushed = store.get(requestUri);
  if (!pushed) return { error: 'the request_uri is unknown or was already used' };
  if (pushed.clientId !== clientId) {
    return { error: 'the request_uri was pushed by another client' };
  }
  store.delete(requestUri);
  if (pushed.expiresAt <= runtime.clock.now()) return { error: 'the request_uri has expired' };
  return { params: pushed.params };
}
