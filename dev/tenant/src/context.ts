import type { TenantClock } from './clock.js';
import type { ResolvedSettings } from './config.js';
import type { ConnectionRegistry } from './connections.js';
import type { Directory } from './directory.js';
import type { DpopNonces } from './dpop-nonces.js';
import type { DpopVerifier } from './dpop-verifier.js';
import type { FaultRegistry } from './faults.js';
import type { ReplayCache } from './replay-cache.js';
import type { RequestLog } from './request-log.js';
import type { SigningKey } from './signing-keys.js';
import type { TenantStore } from './store.js';
import type { TokenExchangeProfiles } from './token-exchange-profiles.js';

// The Hono environment is defined beside nothing it could import back (faults.ts and
// request-log.ts need it, and this file needs them); the routes take it from here with the runtime.
export type { LogDetails, TenantEnv } from './tenant-env.js';

/** Everything the routes share. One per tenant; built by `createTenant`. */
export interface TenantRuntime {
  readonly settings: ResolvedSettings;
  readonly directory: Directory;
  readonly store: TenantStore;
  readonly clock: TenantClock;
  /** ISO time the tenant was created: `updated_at` for users that do not set one. */
  readonly startedAt: string;
  /** Generated at start; awaited where a token is signed or the JWKS is served. */
  readonly signingKey: Promise<SigningKey>;
  /** The issuer, with trailing slash. Throws before `listen()` when none was configured. */
  issuer(): string;
  /** Where the endpoints are advertised: `options.endpointOrigin`, else the issuer. */
  endpointBase(): string;
  /** Nonces for token-endpoint DPoP proofs. */
  readonly tokenNonces: DpopNonces;
  /** One verifier (one jti replay cache) for the token endpoint and /userinfo. */
  readonly dpop: DpopVerifier;
  /** `jti`s of private_key_jwt client assertions. */
  readonly assertionReplays: ReplayCache;
  readonly requestLog: RequestLog;
  readonly faults: FaultRegistry;
  /** Custom Token Exchange profiles, by subject token type. */
  readonly tokenExchangeProfiles: TokenExchangeProfiles;
  /** Token Vault connections, connected accounts and My Account API connect flows. */
  readonly connections: ConnectionRegistry;
}

/** The tenant URL of an endpoint path, e.g. `endpoint(runtime, '/oauth/token')`. */
export function endpoint(runtime: TenantRuntime, path: string): string {
  return new URL(path, runtime.endpointBase()).href;
}
