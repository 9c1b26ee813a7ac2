import { tenantAdmin } from './support/admin-clients.js';
import { API_URL, TENANT_URL, USER } from './support/environment.js';
import { expect, test } from './support/fixtures.js';
import {
  buildPackedExample,
  type PackedExample,
  registerExampleClient,
} from './support/packed-example.js';

// examples/react (React + Vite, auth0-enclave/react) built from the PACKED tarball and served
// with the recommended headers: a protected route sends the user to the login page and back,
// the API answers through useFetchWithAuth() with a DPoP-bound token, logout ends the session.
const PORT = 4462;
const CLIENT_ID = 'example-react';
let example: PackedExample | undefined;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  example = await buildPackedExample({ name: 'react', port: PORT, clientId: CLIENT_ID });
});

test.afterAll(async () => {
  await example?.close();
});

test('examples/react from the packed tarball: a protected route logs in and returns, the API answers, logout ends the session', async ({
  page,
}) => {
  if (!example) throw new Error('the example was not built');
  const { origin } = example;
  await registerExampleClient(CLIENT_ID, origin);

  await page.goto(`${origin}/`);
  await expect(page.locator('#status')).toHaveText('Logged out');

  // The protected route: withAuthenticationRequired sends the anonymous user to the login page.
  await page.getByRole('link', { name: 'Notes' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back at the protected route (appState.returnTo, restored by onRedirectCallback), whose API
  // call went through the worker with a DPoP-bound token. The address bar never held the code.
  await page.waitForURL(`${origin}/notes`);
  await expect(page.locator('#api')).toHaveText(`${USER.sub} (DPoP)`);
  expect(
    (await tenantAdmin.requests('/oauth/token')).some((entry) => entry.clientId === CLIENT_ID),
  ).toBe(true);
  // Nothing of the session in page-readable storage.
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(storage).toBe('{}');

  // Home shows the user; a reload keeps the session (the worker holds it).
  await page.goto(`${origin}/`);
  await expect(page.locator('#status')).toHaveText(`Hello ${USER.name}`);
  // The redirect_uri loaded again, with no login waiting: an ordinary page load, not an error.
  await page.goto(`${origin}/callback`);
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
  // The API refuses page script now: no session in the worker.
  const after = await page.evaluate(async (url) => {
    const response = await fetch(url);
    return response.status;
  }, `${API_URL}/api/me`);
  expect(after).toBe(401);
});
