import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from 'auth0-enclave-tenant';
import { startAppServer } from '../dev/app/server.js';
import { tenantAdmin } from './support/admin-clients.js';
import { API_URL, AUDIENCE, TENANT_URL, USER } from './support/environment.js';
import { expect, test } from './support/fixtures.js';

// What a user of the published package does: install the tarball into a fresh Vite app, write a
// worker script and a page against the public API, build both, and log in. Nothing here imports
// this repository's sources: only the packed `auth0-enclave` in the temp app's node_modules.
const PORT = 4460;
const ORIGIN = `http://localhost:${PORT}`;
const CLIENT_ID = 'packed-app';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

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

/** Runs a tool in `cwd`; a failure carries the tool's own output, so CI shows why. */
function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // Not the npm_config_* of the npm/npx that started this run: they point installs elsewhere.
      env: Object.fromEntries(
        Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
      ),
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`,
    );
  }
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = await mkdtemp(join(tmpdir(), 'auth0-enclave-packed-'));
  run('node', ['scripts/build.mjs'], ROOT);
  run('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  const viteVersion = JSON.parse(
    run('npm', ['pkg', 'get', 'devDependencies.vite'], ROOT),
  ) as string;
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'packed-app',
      private: true,
      type: 'module',
      // Vite as a plain dependency: under some parent npm environments an install omits
      // devDependencies, and this throwaway app has nothing to ship anyway.
      dependencies: { 'auth0-enclave': `file:./${tarball}`, vite: viteVersion },
    }),
  );
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  // The app's own Vite, not npx (whose package resolution misbehaves under a parent npx).
  const vite = join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
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
  const registered = await fetch(`${TENANT_URL}/__admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId: CLIENT_ID,
      tokenEndpointAuthMethod: 'none',
      redirectUris: [`${ORIGIN}/callback`],
      allowedOrigins: [ORIGIN],
      allowedLogoutUrls: [ORIGIN],
      grantTypes: ['authorization_code', 'refresh_token'],
      dpop: 'required',
      dpopNonce: true,
    }),
  });
  expect(registered.ok).toBe(true);
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
