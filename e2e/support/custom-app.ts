import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';
import type { ClientConfig } from 'auth0-enclave-tenant';
import { spaClientAt } from 'auth0-enclave-tenant/testing';
import { type AppBuildOptions, buildApp } from '../../dev/app/build.js';
import { type AppServerOptions, startAppServer } from '../../dev/app/server.js';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { tenantAdmin } from './admin-clients.js';
import { API_URL, AUDIENCE, OTHER_ORIGIN_API_URL, TENANT_URL, USER } from './environment.js';

/** A sample app with a worker config of the test's own, on one of {@link ATTACKER_PORTS}. */
export interface CustomApp {
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds and serves the sample app with `overrides` baked into its worker, and registers its
 * tenant client (`attack-<port>`, DPoP allowed, no nonces, overridable with `client`). For
 * configs the shared variants do not offer. Each test file uses its own port. `server` changes
 * how the app is served (e.g. a page CSP other than the recommended one); `build` how it is built
 * (e.g. its worker without the optional features the sample app installs).
 */
export async function startCustomApp(
  port: number,
  overrides: Partial<AuthWorkerConfig>,
  client: Partial<ClientConfig> = {},
  server: Pick<AppServerOptions, 'unsafePageConnectsToAuthorizationServer'> = {},
  build: Pick<AppBuildOptions, 'workerFeatures'> = {},
): Promise<CustomApp> {
  const origin = `http://localhost:${port}`;
  const clientId = `attack-${port}`;
  const worker: AuthWorkerConfig = {
    domain: TENANT_URL,
    clientId,
    authorizationParams: {
      redirect_uri: `${origin}/callback`,
      audience: AUDIENCE,
      scope: 'openid profile email read:notes write:notes',
    },
    apis: [{ url: `${API_URL}/api` }],
    ...overrides,
  };
  await tenantAdmin.upsertClient(
    spaClientAt(origin, clientId, {
      name: `Attack suite ${port}`,
      dpop: 'allowed',
      dpopNonce: false,
      ...client,
    }),
  );
  const dir = fileURLToPath(new URL(`../../.cache/e2e/attack-${port}`, import.meta.url));
  await buildApp({ worker, apiUrl: API_URL, outDir: dir, ...build });
  const running = await startAppServer({
    dir,
    port,
    tenantOrigin: TENANT_URL,
    apiOrigins: [API_URL, OTHER_ORIGIN_API_URL],
    ...server,
  });
  return { origin, close: () => running.close() };
}

/** Logs in on an app at `origin` through the tenant's form (fixtures' `login`, for any origin). */
export async function loginAt(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${origin}/`);
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
}
