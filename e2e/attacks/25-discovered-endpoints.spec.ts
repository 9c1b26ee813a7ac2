import { fileURLToPath } from 'node:url';
import { createTenant, listen, type RunningServer, type Tenant } from 'auth0-enclave-tenant';
import { buildApp } from '../../dev/app/build.js';
import { startAppServer } from '../../dev/app/server.js';
import { loginAt } from '../support/custom-app.js';
import { API_URL, AUDIENCE } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';
import { workerControl } from '../support/lifecycle.js';

// THREATS 7, for an OpenID Provider whose token endpoint is not on its issuer's host (Google's
// is oauth2.googleapis.com, its issuer accounts.google.com). A tenant of its own advertises its
// endpoints on a second origin; page script posting a stolen refresh token there is refused by
// the worker — also as the first request of a worker the browser had stopped, before it has
// rediscovered anything — and the tenant's log shows no request but the worker's own.

// The app's CSP would stop page script from reaching the second origin already; it is bypassed
// so that the worker is what is tested.
test.use({ bypassCSP: true });

const APP_PORT = 4445;
const ISSUER_PORT = 4446;
const ENDPOINT_PORT = 4447;
const APP = `http://localhost:${APP_PORT}`;
const ENDPOINTS = `http://localhost:${ENDPOINT_PORT}`;

let tenant: Tenant;
const servers: RunningServer[] = [];

test.beforeAll(async () => {
  tenant = createTenant({
    admin: true,
    endpointOrigin: ENDPOINTS,
    clients: [
      {
        clientId: 'discovered-endpoints',
        tokenEndpointAuthMethod: 'none',
        redirectUris: [`${APP}/callback`],
        allowedOrigins: [APP],
        allowedLogoutUrls: [APP],
        dpop: 'allowed',
        dpopNonce: false,
      },
    ],
  });
  const issuer = await tenant.listen({ port: ISSUER_PORT });
  servers.push(issuer, await listen(tenant.app.fetch, { port: ENDPOINT_PORT }));
  const dir = fileURLToPath(new URL('../../.cache/e2e/discovered-endpoints', import.meta.url));
  await buildApp({
    worker: {
      domain: issuer.url,
      clientId: 'discovered-endpoints',
      authorizationParams: {
        redirect_uri: `${APP}/callback`,
        audience: AUDIENCE,
        scope: 'openid profile email read:notes',
      },
      apis: [{ url: `${API_URL}/api` }],
    },
    apiUrl: API_URL,
    outDir: dir,
  });
  servers.push(
    await startAppServer({
      dir,
      port: APP_PORT,
      tenantOrigin: issuer.url,
      // The worker's CSP must let it reach the advertised endpoints.
      apiOrigins: [API_URL, ENDPOINTS],
    }),
  );
});
test.afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

/** Page script posts a refresh-token grant (and a revocation) to each URL; what it got back. */
function attack(page: import('@playwright/test').Page, urls: string[]) {
  return page.evaluate(async (targets) => {
    const results: [string, string][] = [];
    for (const url of targets) {
      const body = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'read-from-indexeddb',
        client_id: 'discovered-endpoints',
      });
      try {
        const response = await fetch(url, { method: 'POST', body });
        results.push([url, `${response.status} ${(await response.text()).slice(0, 120)}`]);
      } catch (error) {
        results.push([url, `failed: ${(error as Error).message}`]);
      }
    }
    return results;
  }, urls);
}

test('THREATS 7: the token and revocation endpoints discovery puts on another origin are refused to page script, also first thing after a worker stop', async ({
  page,
  context,
}) => {
  const config = await (
    await fetch(`http://localhost:${ISSUER_PORT}/.well-known/openid-configuration`)
  ).json();
  expect(config.token_endpoint).toBe(`${ENDPOINTS}/oauth/token`);
  await loginAt(page, APP);
  const workerCalls = tenant.admin.requests({ path: '/oauth/token' }).length;
  expect(workerCalls).toBeGreaterThan(0); // the worker redeemed the code there

  const targets = [
    `${ENDPOINTS}/oauth/token`,
    `${ENDPOINTS}/OAuth/Token/`,
    `${ENDPOINTS}/oauth/%74oken`,
    `${ENDPOINTS}/oauth/revoke`,
    `http://localhost:${ISSUER_PORT}/oauth/token`,
  ];
  for (const [url, outcome] of await attack(page, targets)) {
    expect(outcome, url).toMatch(/^403 .*access_denied/);
  }

  // A stopped worker starts again on the page's next request — this one — knowing nothing yet.
  const control = await workerControl(context);
  await control.stop();
  for (const [url, outcome] of await attack(page, [`${ENDPOINTS}/oauth/token`])) {
    expect(outcome, url).toMatch(/^403 .*access_denied/);
  }

  // Nothing of the page's reached the tenant: every token request it logged is the worker's.
  expect(tenant.admin.requests({ path: '/oauth/token' })).toHaveLength(workerCalls);
  expect(tenant.admin.requests({ path: '/oauth/revoke' })).toHaveLength(0);
  await expect(page.getByRole('status')).toContainText('Logged in');
});
