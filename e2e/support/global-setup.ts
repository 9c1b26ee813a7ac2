import { fileURLToPath } from 'node:url';
import { createSampleApi } from '../../dev/api/index.js';
import { buildApp } from '../../dev/app/build.js';
import { startAppServer } from '../../dev/app/server.js';
import { createTenant, defaultTenantOptions } from '../../src/tenant/index.js';
import {
  API_URL,
  AUDIENCE,
  appUrl,
  OTHER_ORIGIN_API_URL,
  PORTS,
  TENANT_URL,
  tenantClients,
  type Variant,
  workerConfig,
} from './environment.js';
import { acquireRunLock } from './run-lock.js';

/**
 * Starts the real local tenant, the real sample API (sharing the tenant's clock, so moving it
 * expires tokens for the API too) and one sample-app server per worker variant, all over real
 * HTTP on localhost. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const releaseLock = await acquireRunLock();
  const defaults = defaultTenantOptions();
  const variants = Object.keys(PORTS.apps) as Variant[];
  const tenant = createTenant({
    ...defaults,
    issuer: `${TENANT_URL}/`,
    admin: true,
    clients: [...defaults.clients, ...tenantClients()],
  });
  const servers = [await tenant.listen({ port: PORTS.tenant })];
  const api = createSampleApi({
    issuer: `${TENANT_URL}/`,
    audience: AUDIENCE,
    clock: tenant.clock,
    dpop: 'allowed',
    requireNonce: true,
    allowedOrigins: variants.map(appUrl),
    admin: true,
  });
  servers.push(await api.listen({ port: PORTS.api }));
  for (const variant of variants) {
    const dir = fileURLToPath(new URL(`../../.cache/e2e/${variant}`, import.meta.url));
    // Minified, as it ships: a minifier renames classes, and the tests must see what users get.
    await buildApp({ worker: workerConfig(variant), apiUrl: API_URL, outDir: dir });
    servers.push(
      await startAppServer({
        dir,
        port: PORTS.apps[variant],
        tenantOrigin: TENANT_URL,
        apiOrigins: [API_URL, OTHER_ORIGIN_API_URL],
      }),
    );
  }
  return async () => {
    await Promise.all(servers.map((server) => server.close()));
    await releaseLock();
  };
}
