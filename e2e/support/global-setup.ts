import { fileURLToPath } from 'node:url';
import { createTenant, defaultTenantOptions } from 'auth0-enclave-tenant';
import { createSampleApi } from '../../dev/api/index.js';
import { buildApp } from '../../dev/app/build.js';
import { startAppServer } from '../../dev/app/server.js';
import { startOidcProvider } from '../../test/interop/provider.js';
import {
  AUDIENCE,
  appUrl,
  CUSTOM_APP_ORIGINS,
  OIDC_API_IDENTIFIER,
  OIDC_CLIENT_ID,
  PORTS,
  TENANT_URL,
  tenantClients,
  type Variant,
  variantServers,
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
    allowedOrigins: [...variants.map(appUrl), ...CUSTOM_APP_ORIGINS],
    admin: true,
  });
  servers.push(await api.listen({ port: PORTS.api }));
  // The `oidc` variant: oidc-provider (test/interop/provider.ts) and a second sample API whose
  // issuer and keys are oidc-provider's.
  const oidc = await startOidcProvider({
    port: PORTS.oidcProvider,
    clients: [{ clientId: OIDC_CLIENT_ID, redirectUris: [`${appUrl('oidc')}/callback`] }],
    apiIdentifier: OIDC_API_IDENTIFIER,
  });
  servers.push(oidc);
  const oidcApi = createSampleApi({
    issuer: oidc.issuer,
    jwksUri: `${oidc.url}/jwks`,
    audience: OIDC_API_IDENTIFIER,
    dpop: 'allowed',
    requireNonce: true,
    allowedOrigins: [appUrl('oidc')],
    admin: true,
  });
  servers.push(await oidcApi.listen({ port: PORTS.oidcApi }));
  for (const variant of variants) {
    const dir = fileURLToPath(new URL(`../../.cache/e2e/${variant}`, import.meta.url));
    const { authOrigin, apiUrl, apiOrigins } = variantServers(variant);
    // Minified, as it ships: a minifier renames classes, and the tests must see what users get.
    await buildApp({ worker: workerConfig(variant), apiUrl, outDir: dir });
    servers.push(
      await startAppServer({
        dir,
        port: PORTS.apps[variant],
        tenantOrigin: authOrigin,
        apiOrigins,
      }),
    );
  }
  return async () => {
    await Promise.all(servers.map((server) => server.close()));
    await releaseLock();
  };
}
