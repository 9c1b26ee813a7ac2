import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from 'auth0-enclave-tenant';
import { spaClientAt } from 'auth0-enclave-tenant/testing';
import { startAppServer } from '../dev/app/server.js';
import { tenantAdmin } from './support/admin-clients.js';
import { API_URL, AUDIENCE, TENANT_URL, USER } from './support/environment.js';
import { expect, test } from './support/fixtures.js';
import { installViteApp, run } from './support/packed-sdk.js';

// What a user of the published package does: install the tarball into a fresh Vite app, write a
// worker script and a page against the public API, build both, and log in. Nothing here imports
// this repository's sources: only the packed `auth0-enclave` in the temp app's node_modules.
const PORT = 4460;
const ORIGIN = `http://localhost:${PORT}`;
const CLIENT_ID = 'packed-app';

let dir: string;
let server: RunningServer | undefined;

const files: Record<string, string> = {
  'index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>packed</title>
<script type="module" src="./main.ts"></script></head>
<body><p id="status">…</p><button id="login">Log in</button></body></html>`,
  'main.ts': `import { createAuth0Client, EnclaveError } from 'auth0-enclave';
const auth0 = await createAuth0Client({ workerUrl: '/auth-worker.js' });
if (location.pathname === '/callback') {
  await auth0.handleRedirectCallback();
  history.replaceState(null, '', '/');
}
const user = await auth0.getUser();
document.getElementById('status')!.textContent = user ? 'in:' + user.sub : 'out';
document.getElementById('login')!.addEventListener('click', () => auth0.loginWithRedirect());
Object.assign(window, { call: async (url: string) => {
  try {
    const response = await auth0.fetchWithAuth(url);
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: error instanceof EnclaveError ? error.code : String(error) };
  }
}, popup: () => auth0.loginWithPopup().then(() => 'ok', (error: unknown) => String(error)) });
document.body.dataset.ready = 'true';
`,
  'auth-worker.ts': `import { installAuthWorker } from 'auth0-enclave/worker';
installAuthWorker({
  domain: '${TENANT_URL}',
  clientId: '${CLIENT_ID}',
  authorizationParams: { redirect_uri: '${ORIGIN}/callback', audience: '${AUDIENCE}', scope: 'openid profile email read:notes' },
  apis: [{ url: '${API_URL}/api' }],
});
`,
  'vite.config.mjs': `export default { build: { target: 'es2022' } };\n`,
  // The worker as its own single file at the site root.
  'vite.worker.config.mjs': `export default {
  build: {
    emptyOutDir: false,
    lib: { entry: 'auth-worker.ts', formats: ['es'], fileName: () => 'auth-worker.js' },
  },
};\n`,
};

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = await mkdtemp(join(tmpdir(), 'auth0-enclave-packed-'));
  const vite = await installViteApp(dir, { name: 'packed-app', files });
  run('node', [vite, 'build'], dir);
  run('node', [vite, 'build', '-c', 'vite.worker.config.mjs'], dir);
  server = await startAppServer({
    dir: join(dir, 'dist'),
    port: PORT,
    tenantOrigin: TENANT_URL,
    apiOrigins: [API_URL],
  });
});

test.afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the packed tarball, installed into a fresh Vite app: log in, call the API, and log in again in a popup (a lazy chunk) in Chromium', async ({
  page,
}) => {
  await tenantAdmin.upsertClient(spaClientAt(ORIGIN, CLIENT_ID));
  await page.goto(`${ORIGIN}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#status')).toHaveText('out');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${ORIGIN}/`);
  await expect(page.locator('#status')).toHaveText(`in:${USER.sub}`);
  const result = await page.evaluate((url) => window.call(url), `${API_URL}/api/me`);
  expect(result).toMatchObject({ status: 200, body: { sub: USER.sub, tokenType: 'DPoP' } });
  expect(
    (await tenantAdmin.requests('/oauth/token')).some((entry) => entry.clientId === CLIENT_ID),
  ).toBe(true);
  // The popup flow is an import() chunk of the package: Vite kept it out of the entry chunk, and
  // it loads from the app's own build (the tenant's session cookie lets the popup finish alone).
  const built = join(dir, 'dist');
  const html = await readFile(join(built, 'index.html'), 'utf8');
  const entry = /src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('no entry script in the built index.html');
  const assets = await readdir(join(built, 'assets'));
  const scripts = await Promise.all(
    assets
      .filter((name) => name.endsWith('.js'))
      .map(async (name) => ({
        name: `assets/${name}`,
        text: await readFile(join(built, 'assets', name), 'utf8'),
      })),
  );
  for (const lazyText of ['Silent authentication did not finish', 'WebAuthn JSON helpers']) {
    expect(scripts.find(({ text }) => text.includes(lazyText))?.name).toBeDefined();
    expect(scripts.find(({ name }) => name === entry)?.text).not.toContain(lazyText);
  }
  expect(
    await page.evaluate(() => (window as unknown as { popup(): Promise<string> }).popup()),
  ).toBe('ok');
});
