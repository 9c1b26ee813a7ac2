import { tenantAdmin } from './support/admin-clients.js';
import { API_URL, TENANT_URL, USER } from './support/environment.js';
import { expect, test } from './support/fixtures.js';
import {
  buildPackedExample,
  type PackedExample,
  registerExampleClient,
} from './support/packed-example.js';

// examples/vue (Vue + vue-router + Vite, auth0-enclave/vue) built from the PACKED tarball: the
// route guard sends the user to the login page and back to the route, the API answers through
// fetchWithAuth with a DPoP-bound token, logout ends the session.
const PORT = 4463;
const CLIENT_ID = 'example-vue';
let example: PackedExample | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  example = await buildPackedExample({ name: 'vue', port: PORT, clientId: CLIENT_ID });
});

test.afterAll(async () => {
  await example?.close();
});

test('examples/vue from the packed tarball: the guarded route logs in and returns, the API answers, logout ends the session', async ({
  page,
}) => {
  if (!example) throw new Error('the example was not built');
  const { origin } = example;
  await registerExampleClient(CLIENT_ID, origin);

  await page.goto(`${origin}/`);
  await expect(page.locator('#status')).toHaveText('Logged out');

  // The guarded route: createAuthGuard sends the anonymous user to the login page.
  await page.getByRole('link', { name: 'Notes' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back at the guarded route (appState.target, routed by the plugin), whose API call went
  // through the worker with a DPoP-bound token.
  await page.waitForURL(`${origin}/notes`);
  await expect(page.locator('#api')).toHaveText(`${USER.sub} (DPoP)`);
  expect(
    (await tenantAdmin.requests('/oauth/token')).some((entry) => entry.clientId === CLIENT_ID),
  ).toBe(true);
  // Nothing of the session in page-readable storage: the only key is vue-router's scroll state.
  const storage = await page.evaluate(() => ({ ...localStorage, ...sessionStorage }));
  expect(Object.keys(storage)).toEqual(['vue-router:scroll']);
  expect(JSON.stringify(storage)).not.toMatch(/eyJ|token|verifier|alice/i);

  await page.goto(`${origin}/`);
  await expect(page.locator('#status')).toHaveText(`Hello ${USER.name}`);
  // The logout leaves for the tenant's logout page and comes back; the page may say "Logged out"
  // before it leaves, so wait for the round trip, not for the text.
  const leaving = page.waitForRequest(
    (request) => request.isNavigationRequest() && request.url().startsWith(`${TENANT_URL}/`),
  );
  await page.getByRole('button', { name: 'Log out' }).click();
  await leaving;
  await page.waitForURL(`${origin}/`, { waitUntil: 'load' });
  await expect(page.locator('#status')).toHaveText('Logged out');
  const after = await page.evaluate(async (url) => (await fetch(url)).status, `${API_URL}/api/me`);
  expect(after).toBe(401);
});
