import type { Hono } from 'hono';
import { createTenantAdmin, type TenantAdmin } from './admin.js';
import { createTenantApp } from './app.js';
import { createTenantClock, realNow, type TenantClock } from './clock.js';
import type { TenantOptions } from './config.js';
import { resolveSettings } from './config-validation.js';
import { ConnectionRegistry } from './connections.js';
import type { TenantEnv, TenantRuntime } from './context.js';
import { Directory } from './directory.js';
import { createDpopNonces } from './dpop-nonces.js';
import { createDpopVerifier } from './dpop-verifier.js';
import { FaultRegistry } from './faults.js';
import { issuerForListen, parseIssuer } from './issuer.js';
import { type ListenOptions, listen, type RunningServer } from './listen.js';
import { ReplayCache } from './replay-cache.js';
import { RequestLog } from './request-log.js';
import { generateSigningKey } from './signing-keys.js';
import { TenantStore } from './store.js';
import { TokenExchangeProfiles } from './token-exchange-profiles.js';
import { resignIdToken } from './token-issuer.js';

/** The port `listen()` and the CLI use when none is given. */
export const DEFAULT_TENANT_PORT = 4000;

/** A local Auth0-compatible authorization server. */
export interface Tenant {
  /** The Hono app, for in-process use (`tenant.app.request(...)`; set `issuer` for that). */
  readonly app: Hono<TenantEnv>;
  /** The clock tokens, codes and sessions follow; share it with a sample API. */
  readonly clock: TenantClock;
  /** The test surface, in process (also at `/__admin/*` when `admin: true`). */
  readonly admin: TenantAdmin;
  /** The issuer with trailing slash, e.g. `http://localhost:4000/`. Throws before it is known. */
  issuer(): string;
  /**
   * Serves the tenant over HTTP (default `localhost:4000`; port 0 picks a free port), or HTTPS
   * with `https: true` (a generated certificate for localhost) or `https: { cert, key }`. Without
   * a configured issuer, the issuer becomes `http(s)://<host>:<actual port>/`.
   */
  listen(options?: ListenOptions): Promise<RunningServer>;
}

/**
 * Creates a tenant. With no options it serves the demo setup of `defaultTenantOptions()`:
 * `sample-spa` (public, DPoP required), `sample-server` (client secret), alice@example.com /
 * wonderland, and the API `https://api.example.com/`.
 *
 * @example
 * ```ts
 * import { createTenant } from 'auth0-enclave-tenant';
 *
 * const tenant = createTenant({ admin: true });
 * const { url, close } = await tenant.listen({ port: 0 });
 * console.log(tenant.issuer()); // http://localhost:54321/
 * await close();
 * ```
 */
export function createTenant(options: TenantOptions = {}): Tenant {
  const settings = resolveSettings(options);
  const configuredIssuer = options.issuer === undefined ? undefined : parseIssuer(options.issuer);
  const endpointOrigin = parseEndpointOrigin(options.endpointOrigin);
  let listeningIssuer: string | undefined;
  const signingKey = generateSigningKey();
  // Awaited by every use; this only keeps a failure from being reported as unhandled twice.
  signingKey.catch(() => {});
  const tokenNonces = createDpopNonces({ lifetimeSeconds: settings.dpopNonceLifetimeSeconds });
  const runtime: TenantRuntime = {
    settings,
    directory: new Directory(options, () => runtime.issuer()),
    store: new TenantStore(),
    clock: createTenantClock(),
    startedAt: new Date().toISOString(),
    signingKey,
    issuer() {
      const issuer = configuredIssuer ?? listeningIssuer;
      if (issuer === undefined) {
        throw new Error('the tenant has no issuer yet: pass options.issuer or call listen() first');
      }
      return issuer;
    },
    endpointBase: () => endpointOrigin ?? runtime.issuer(),
    tokenNonces,
    dpop: createDpopVerifier({
      windowSeconds: settings.dpopProofWindowSeconds,
      nonces: tokenNonces,
    }),
    assertionReplays: new ReplayCache(realNow),
    requestLog: new RequestLog(),
    faults: new FaultRegistry({
      resignIdToken: (idToken, overrides) => resignIdToken(runtime, idToken, overrides),
    }),
    tokenExchangeProfiles: new TokenExchangeProfiles(options),
    connections: new ConnectionRegistry(options, () => runtime.clock.now()),
  };
  const admin = createTenantAdmin(runtime);
  const app = createTenantApp(runtime, admin);
  let listening = false;

  return {
    app,
    clock: runtime.clock,
    admin,
    issuer: () => runtime.issuer(),
    async listen(listenOptions = {}) {
      if (listening) throw new Error('the tenant is already listening');
      const hostname = listenOptions.hostname ?? 'localhost';
      const https = listenOptions.https ?? false;
      const secure = https !== false;
      // Refuse a non-loopback http issuer, or an http issuer served over TLS, before binding.
      if (configuredIssuer === undefined) issuerForListen(hostname, 0, secure);
      else if (secure && configuredIssuer.startsWith('http:')) {
        throw new TypeError(
          `"options.issuer" is ${configuredIssuer} but the tenant serves https: use an https issuer or leave it out`,
        );
      }
      listening = true;
      let server: RunningServer;
      try {
        server = await listen(app.fetch, {
          port: listenOptions.port ?? DEFAULT_TENANT_PORT,
          hostname,
          https,
        });
      } catch (error) {
        listening = false;
        throw error;
      }
      listeningIssuer = issuerForListen(hostname, server.port, secure);
      return {
        ...server,
        close: async () => {
          await server.close();
          listening = false;
          listeningIssuer = undefined;
        },
      };
    },
  };
}

/** A tenant that is already listening. */
export interface StartedTenant extends RunningServer {
  /** The tenant being served: its app, clock and admin surface. */
  tenant: Tenant;
  /** The tenant's issuer URL (ends with `/`), what SDKs take as their domain. */
  issuer: string;
}

/**
 * Creates a tenant and starts listening (port 0 = a free port).
 *
 * @example
 * ```ts
 * import { startTenant } from 'auth0-enclave-tenant';
 *
 * const { issuer, tenant, close } = await startTenant({ port: 0, admin: true });
 * ```
 */
export async function startTenant(
  options: TenantOptions & ListenOptions = {},
): Promise<StartedTenant> {
  const { port, hostname, https, ...tenantOptions } = options;
  const tenant = createTenant(tenantOptions);
  const server = await tenant.listen({
    ...(port === undefined ? {} : { port }),
    ...(hostname === undefined ? {} : { hostname }),
    ...(https === undefined ? {} : { https }),
  });
  return { ...server, tenant, issuer: tenant.issuer() };
}

/** `options.endpointOrigin` as a base URL (`scheme://host[:port]/`), or a TypeError. */
function parseEndpointOrigin(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('"options.endpointOrigin" must be a URL origin');
  }
  if (
    url.origin === 'null' ||
    `${url.origin}/` !== new URL('/', value).href ||
    url.href !== `${url.origin}/`
  ) {
    throw new TypeError(
      '"options.endpointOrigin" must be an origin (scheme, host, port), nothing more',
    );
  }
  return url.href;
}
