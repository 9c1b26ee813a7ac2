import { type ChildProcess, spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { cspDirectives } from './support/csp.js';

// What the README promises a newcomer: `npm start` prints a URL and a user; open it, log in,
// call the API, log out. Run on spare ports so it never collides with a developer's own npm start.
// Not 4190: it is on the Fetch standard's blocked-ports list (ManageSieve), which Node's fetch enforces.
const PORTS = { app: 3290, tenant: 4290, api: 4291 };

let server: ChildProcess;
let output = '';

test.beforeAll(async () => {
  server = spawn(
    'npx',
    [
      'tsx',
      'dev/start.ts',
      '--app-port',
      `${PORTS.app}`,
      '--tenant-port',
      `${PORTS.tenant}`,
      '--api-port',
      `${PORTS.api}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  server.stdout?.on('data', (chunk) => (output += chunk));
  server.stderr?.on('data', (chunk) => (output += chunk));
  await expect.poll(() => output, { timeout: 30_000 }).toContain('Press Ctrl+C to stop');
});

test.afterAll(() => {
  if (server.pid) process.kill(-server.pid, 'SIGTERM');
});

test('npm start: the printed URL and user log in, call the DPoP API, and log out', async ({
  page,
}) => {
  const url = output.match(/Sample app\s+(http:\/\/\S+)/)?.[1];
  const [, email, password] = output.match(/Log in as\s+(\S+) \/ (\S+)/) ?? [];
  expect(url).toBe(`http://localhost:${PORTS.app}`);
  expect(email && password).toBeTruthy();
  // The recommended page CSP (docs/deploying.md): the page never talks to the tenant over fetch.
  const csp = cspDirectives((await fetch(url as string)).headers.get('content-security-policy'));
  expect(csp.get('connect-src')).toEqual(["'self'", `http://localhost:${PORTS.api}`]);

  await page.goto(url as string);
  await expect(page.getByRole('status')).toContainText('Logged out');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(email as string);
  await page.getByLabel('Password').fill(password as string);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('status')).toContainText('Logged in as');

  await page.getByRole('button', { name: 'GET /api/me with fetchWithAuth()' }).click();
  await expect(page.locator('#api-result')).toContainText('"status": 200');
  await expect(page.locator('#api-result')).toContainText('"tokenType": "DPoP"');
  await page.getByRole('button', { name: 'POST /api/notes' }).click();
  await expect(page.locator('#api-result')).toContainText('"status": 201');

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('status')).toContainText('Logged out');
  await page.getByRole('button', { name: 'GET /api/me with plain fetch()' }).click();
  await expect(page.locator('#api-result')).toContainText('"status": 401');
});

test('npm start says clearly when a port is taken', async () => {
  const second = spawn(
    'npx',
    [
      'tsx',
      'dev/start.ts',
      '--app-port',
      '3291',
      '--tenant-port',
      `${PORTS.tenant}`,
      '--api-port',
      '4292',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  second.stdout?.on('data', (chunk) => (text += chunk));
  second.stderr?.on('data', (chunk) => (text += chunk));
  const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
  expect(code).toBe(1);
  expect(text).toContain(`port ${PORTS.tenant} is already in use`);
});
