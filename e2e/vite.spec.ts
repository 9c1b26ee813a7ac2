import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { spaClientAt } from 'auth0-enclave-tenant/testing';
import { tenantAdmin } from './support/admin-clients.js';
import { API_URL, AUDIENCE, TENANT_URL, USER } from './support/environment.js';
import { expect, test } from './support/fixtures.js';
import { childEnv, installViteApp, run } from './support/packed-sdk.js';

// The Vite plugin as a user gets it (issue 14, acceptance): the packed tarball installed into a
// fresh Vite app whose only auth code is the plugin in vite.config and `createAuth0Client()` with
// no arguments — no worker script of its own, no second build. It logs in and calls the sample
// API under `vite` (the dev server) and after `vite build` + `vite preview`. Nothing here imports
// this repository's sources. The worker sits at a URL other than the default, so a page that
// did not get the URL from the plugin would find no worker.
const PORT = 4461;
const ORIGIN = `http://localhost:${PORT}`;
const CLIENT_ID = 'vite-plugin-app';
const WORKER_URL = '/enclave-worker.js';

let dir: string;
let vite: string;
let server: ChildProcess | undefined;

const files: Record<string, string> = {
  'index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vite plugin</title>
<script type="module" src="./main.ts"></script></head>
<body><p id="status">…</p><button id="login">Log in</button></body></html>`,
  'main.ts': `import { createAuth0Client, EnclaveError } from 'auth0-enclave';
const auth0 = await createAuth0Client();
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
} });
document.body.dataset.ready = 'true';
`,
  'vite.config.mjs': `import { defineConfig } from 'vite';
import { auth0Enclave } from 'auth0-enclave/vite';

export default defineConfig({
  server: { port: ${PORT}, strictPort: true },
  preview: { port: ${PORT}, strictPort: true },
  build: { target: 'es2022' },
  plugins: [
    auth0Enclave({
      workerUrl: '${WORKER_URL}',
      worker: {
        domain: '${TENANT_URL}',
        clientId: '${CLIENT_ID}',
        authorizationParams: {
          redirect_uri: '${ORIGIN}/callback',
          audience: '${AUDIENCE}',
          scope: 'openid profile email read:notes',
        },
        apis: [{ url: '${API_URL}/api' }],
      },
    }),
  ],
});
`,
};

/** The environment for child tools: not the npm_config_* of the npm/npx that started this run. */
/** Starts `vite <args>` in the app and resolves once it answers on ORIGIN. */
async function startVite(args: string[]): Promise<void> {
  let output = '';
  const child = spawn(process.execPath, [vite, ...args], {
    cwd: dir,
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server = child;
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite ${args.join(' ')} exited:\n${output}`);
    const up = await fetch(`${ORIGIN}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`vite ${args.join(' ')} did not answer on ${ORIGIN}:\n${output}`);
}

async function stopVite(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The worker script as the server sends it: the headers the plugin promises, the config in it. */
async function expectWorkerScript(): Promise<void> {
  const response = await fetch(`${ORIGIN}${WORKER_URL}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-cache');
  expect(response.headers.get('content-type')).toMatch(/javascript/);
  expect(response.headers.get('content-security-policy')).toBe(
    `default-src 'none'; script-src 'self'; connect-src 'self' ${TENANT_URL} ${API_URL}`,
  );
  const code = await response.text();
  expect(code).toContain(CLIENT_ID);
  // One self-contained script: it runs as a module or a classic worker alike.
  expect(code).not.toMatch(/^\s*(?:import|export)\b/m);
}

/** Log in through the tenant and call the sample API with the worker's DPoP-bound token. */
async function logInAndCallApi(page: Page): Promise<void> {
  await page.goto(`${ORIGIN}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page.locator('#status')).toHaveText('out');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${ORIGIN}/`);
  await expect(page.locator('#status')).toHaveText(`in:${USER.sub}`);
  const result = await page.evaluate(
    (url) => (window as unknown as { call(url: string): Promise<unknown> }).call(url),
    `${API_URL}/api/me`,
  );
  expect(result).toMatchObject({ status: 200, body: { sub: USER.sub, tokenType: 'DPoP' } });
  // The page is controlled by the worker at the plugin's URL, not the default one.
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? 'none')).toBe(
    `${ORIGIN}${WORKER_URL}`,
  );
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  dir = await mkdtemp(join(tmpdir(), 'auth0-enclave-vite-plugin-'));
  vite = await installViteApp(dir, { name: 'vite-plugin-app', files });
  await tenantAdmin.upsertClient(spaClientAt(ORIGIN, CLIENT_ID));
});

test.afterEach(stopVite);

test.afterAll(async () => {
  await stopVite();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the packed plugin under the Vite dev server: createAuth0Client() with no arguments logs in and calls the API in Chromium', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await startVite([]);
  await expectWorkerScript();
  await logInAndCallApi(page);
});

test('the packed plugin after vite build + vite preview: the worker is emitted, the advice printed, and the app logs in and calls the API in Chromium', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const output = run('node', [vite, 'build'], dir);
  // The advice, once: the worker's own CSP, and a page CSP without the authorization server.
  expect(output.split('serve these response headers').length - 1).toBe(1);
  expect(output).toContain(`connect-src 'self' ${API_URL};`);
  const built = join(dir, 'dist');
  expect(await readdir(built)).toContain(WORKER_URL.slice(1));
  // The page's chunks know the worker's URL and public identity, never the rest of its config.
  const assets = await readdir(join(built, 'assets'));
  const page_ = (
    await Promise.all(
      assets
        .filter((name) => name.endsWith('.js'))
        .map((name) => readFile(join(built, 'assets', name), 'utf8')),
    )
  ).join('\n');
  expect(page_).toContain(WORKER_URL);
  expect(page_).not.toContain(`${API_URL}/api`);
  expect(page_).not.toContain('read:notes');
  await startVite(['preview']);
  await expectWorkerScript();
  await logInAndCallApi(page);
});
