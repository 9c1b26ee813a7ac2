// The worker's session and login logic, assembled in Node the way installAuthWorker assembles it
// in a service worker (minus `self`): a resolved config, a Vault over fake-indexeddb, a Session
// whose fetch is the real one (recorded, and able to simulate a network failure), and a clock
// the test can move. The authorization server is the real local tenant over HTTP.

import { API, APP_ORIGIN, loginThroughForm, REDIRECT_URI } from 'auth0-enclave-tenant/testing';
import { openDB } from 'idb';
import { decodeJwt } from 'jose';
import type { SessionState } from '../../src/rpc/protocol.js';
import { completeCallback as completeLogin } from '../../worker/callback.js';
import { type AuthWorkerConfig, type ResolvedConfig, resolveConfig } from '../../worker/config.js';
import { createWorkerDeps, type WorkerDeps } from '../../worker/deps.js';
import { checkWorkerOptions, type WorkerFeature } from '../../worker/features.js';
import { startLogin } from '../../worker/login.js';
import type { Session } from '../../worker/session.js';
import { type LoginResult, Vault } from '../../worker/vault.js';

/** One request the worker sent, as far as a test needs it (no token values). */
export interface RecordedCall {
  url: string;
  grantType: string | undefined;
  dpopJti: string | undefined;
}

export interface WorkerHarness {
  config: ResolvedConfig;
  vault: Vault;
  vaultName: string;
  session: Session;
  deps: WorkerDeps;
  /** Every session broadcast, in order. */
  broadcasts: SessionState[];
  /** Added to the real clock for the worker's `now`. */
  clock: { offsetMs: number };
  /** Every request the session sent through its fetch. */
  calls: RecordedCall[];
  /** The bodies of every refusal the authorization server sent (to look for leaked secrets). */
  refusals: string[];
  /** The next `n` requests to `/oauth/token` fail as a network failure would (never sent). */
  failTokenRequests(n: number): void;
}

/** The worker config of these tests: the tenant's `sample-spa` (DPoP required, with nonces). */
export function baseWorkerConfig(issuer: string): AuthWorkerConfig {
  return {
    domain: issuer,
    clientId: 'sample-spa',
    authorizationParams: { redirect_uri: REDIRECT_URI, audience: API },
    apis: [{ url: `${API}v1` }],
  };
}

/**
 * A worker (config, vault, session) for `issuer`; give `vaultName` to "restart" one. `features`
 * are what the worker script would pass to installAuthWorker (none by default, as there).
 */
export function createWorker(options: {
  issuer: string;
  config?: Partial<AuthWorkerConfig>;
  vaultName?: string;
  origin?: string;
  features?: readonly WorkerFeature[];
}): WorkerHarness {
  const vaultName = options.vaultName ?? `enclave-test-${crypto.randomUUID()}`;
  const config = resolveConfig(
    { ...baseWorkerConfig(options.issuer), ...options.config },
    options.origin ?? APP_ORIGIN,
  );
  const vault = new Vault(vaultName);
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const broadcasts: SessionState[] = [];
  const calls: RecordedCall[] = [];
  const refusals: string[] = [];
  let failures = 0;
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const proof = headers.get('dpop');
    const body = typeof init?.body === 'string' ? init.body : undefined;
    // Form bodies, and the JSON body of the webauthn grant.
    const grantType = body?.startsWith('{')
      ? (JSON.parse(body) as { grant_type?: string }).grant_type
      : new URLSearchParams(body).get('grant_type');
    calls.push({
      url,
      grantType: grantType ?? undefined,
      dpopJti: proof ? (decodeJwt(proof).jti as string) : undefined,
    });
    if (failures > 0 && new URL(url).pathname === '/oauth/token') {
      failures--;
      throw new TypeError('fetch failed');
    }
    const response = await fetch(input, init);
    if (!response.ok) refusals.push(await response.clone().text());
    return response;
  };
  const deps = createWorkerDeps({
    config,
    vault,
    broadcast: (state) => broadcasts.push(structuredClone(state)),
    now,
    fetch: recordingFetch,
    features: checkWorkerOptions({ features: options.features ?? [] }),
  });
  return {
    config,
    vault,
    vaultName,
    session: deps.session,
    deps,
    broadcasts,
    clock,
    calls,
    refusals,
    failTokenRequests(n) {
      failures = n;
    },
  };
}

/** A new worker over the same IndexedDB: what a browser gives after stopping an idle worker. */
export function restartWorker(worker: WorkerHarness, issuer: string): WorkerHarness {
  return createWorker({
    issuer,
    config: worker.config.original,
    vaultName: worker.vaultName,
    features: worker.deps.features,
  });
}

/**
 * Runs an `/authorize` URL through the tenant's login form as alice and returns the callback URL
 * the tenant redirected to (the navigation the worker intercepts).
 */
export async function callbackFromTenant(issuer: string, authorizeUrl: string): Promise<string> {
  const params = Object.fromEntries(new URL(authorizeUrl).searchParams);
  const { response } = await loginThroughForm(issuer, params);
  const location = response.headers.get('location');
  if (!location) throw new Error(`the login form answered ${response.status}, not a redirect`);
  return location;
}

/** startLogin → tenant login form → completeLogin. */
export async function loginThroughWorker(
  worker: WorkerHarness,
  issuer: string,
  options: Parameters<typeof startLogin>[1] = {},
): Promise<LoginResult> {
  const url = (await startLogin(worker.deps, options)).url;
  return completeLogin(worker.deps, await callbackFromTenant(issuer, url));
}

/** The token key of the login (config audience and scope). */
export function loginTokenKey(worker: WorkerHarness): {
  audience: string | undefined;
  scope: string;
} {
  return {
    audience: worker.config.authorizationParams.audience,
    scope: worker.config.authorizationParams.scope,
  };
}

/** Every record of every store of a vault's IndexedDB, read the way page script could. */
export async function readVault(name: string): Promise<Record<string, unknown[]>> {
  const db = await openDB(name);
  try {
    const contents: Record<string, unknown[]> = {};
    for (const store of Array.from(db.objectStoreNames)) contents[store] = await db.getAll(store);
    return contents;
  } finally {
    db.close();
  }
}

/** How many records each store holds. */
export async function vaultCounts(name: string): Promise<Record<string, number>> {
  const contents = await readVault(name);
  return Object.fromEntries(Object.entries(contents).map(([store, rows]) => [store, rows.length]));
}

export const EMPTY_VAULT = { keys: 0, nonces: 0, results: 0, session: 0, transactions: 0 };
