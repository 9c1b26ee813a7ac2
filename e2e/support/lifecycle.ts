import { cp, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { ClientConfig } from 'auth0-enclave-tenant';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { build, type InlineConfig, type Plugin } from 'vite';
import type { Auth0Method } from '../../dev/app/test-hooks.js';
import type { SessionState } from '../../src/client/index.js';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { TENANT_URL, tenantClients, USER } from './environment.js';

/**
 * Helpers for the worker-lifecycle and fault-injection tests (e2e/lifecycle, e2e/attacks 9–16):
 * stopping the worker from a page that never navigates, changing a tenant client for one test,
 * reading DPoP proofs off the wire, and building and serving versions of the sample app.
 */

/** Ports the lifecycle tests may use for their own servers. */
export const LIFECYCLE_PORTS = { update: 4430, protocol: 4431, recorder: 4438 } as const;

// ——— the worker ————————————————————————————————————————————————————————————————————————————

/** Stops service workers the way the browser does when they idle; usable at any moment. */
export interface WorkerControl {
  stop(): Promise<void>;
}

/**
 * A CDP session on a blank page of its own: `fixtures.stopWorkers` attaches to the app page,
 * which breaks when that page is in the middle of a cross-origin navigation (the callback). This
 * one stays valid whatever the app pages do.
 */
export async function workerControl(context: BrowserContext): Promise<WorkerControl> {
  const blank = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(blank);
  await cdp.send('ServiceWorker.enable');
  return {
    stop: async () => {
      await cdp.send('ServiceWorker.stopAllWorkers');
    },
  };
}

// ——— the tenant ————————————————————————————————————————————————————————————————————————————

async function postJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`POST ${url} → HTTP ${response.status}: ${await response.text()}`);
}

/** Adds or replaces a tenant client (`POST /__admin/clients`). Clients survive a tenant reset. */
export function upsertTenantClient(client: ClientConfig): Promise<void> {
  return postJson(`${TENANT_URL}/__admin/clients`, client);
}

/**
 * Changes the e2e `spa-dpop` client for one test and returns the undo: the tenant's reset keeps
 * clients, so a test that changes one must put it back (call the undo in a `finally`).
 */
export async function overrideDpopClient(
  overrides: Partial<ClientConfig>,
): Promise<() => Promise<void>> {
  const original = tenantClients().find((client) => client.clientId === 'spa-dpop');
  if (!original) throw new Error('the e2e tenant has no spa-dpop client');
  await upsertTenantClient({ ...original, ...overrides });
  return () => upsertTenantClient(original);
}

// ——— pages ———————————————————————————————————————————————————————————————————————————————

/** Records every `session` event the page's client emits, in `window.__sessionEvents`. */
export async function recordSessionEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__sessionEvents = [];
    window.auth0.on('session', (state) => window.__sessionEvents.push(state));
  });
}

/** The `session` events recorded by {@link recordSessionEvents}. */
export function sessionEvents(page: Page): Promise<SessionState[]> {
  return page.evaluate(() => window.__sessionEvents);
}

/** Counts the main frame's navigations from now on (a reload counts as one). */
export function countNavigations(page: Page): () => number {
  let count = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) count++;
  });
  return () => count;
}

/** A rejection as page script sees it (the typed error's plain fields). */
export interface ClientError {
  name: string;
  code?: string | undefined;
  error?: string | undefined;
  message: string;
}

/** Runs an `auth0` method in the page; returns its value or the typed error it rejected with. */
export function callClient(
  page: Page,
  method: Auth0Method,
  ...args: unknown[]
): Promise<{ value: unknown } | { error: ClientError }> {
  return page.evaluate(
    async ({ method, args }) => {
      try {
        const value: unknown = await Reflect.apply(window.auth0[method], window.auth0, args);
        return { value };
      } catch (caught) {
        const e = caught as { name: string; code?: string; error?: string; message: string };
        return { error: { name: e.name, code: e.code, error: e.error, message: e.message } };
      }
    },
    { method, args },
  );
}

/**
 * Logs in at `origin` through the tenant's form (filled only when the tenant shows it: a tenant
 * session skips it) and waits until the app page is back and connected. Returns what the sample
 * app printed about the callback (empty after a successful login).
 */
export async function loginAt(page: Page, origin: string): Promise<string> {
  if (!page.url().startsWith(origin)) {
    await page.goto(`${origin}/`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  }
  await page.evaluate(() => {
    // Not awaited: the page navigates away while the promise is pending.
    void window.auth0.loginWithRedirect();
  });
  await page.waitForURL((url) => url.origin === TENANT_URL || url.pathname === '/callback');
  if (page.url().startsWith(TENANT_URL)) {
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.waitForURL(`${origin}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return (await page.locator('#api-result').textContent()) ?? '';
}

// ——— DPoP on the wire ——————————————————————————————————————————————————————————————————————

/** A DPoP proof as a server received it, decoded (not verified: the servers did that). */
export interface WireProof {
  /** Where the request went, as the browser sent it. */
  url: string;
  method: string;
  jti: string;
  iat: number;
  htm: string;
  htu: string;
  nonce?: string;
  ath?: string;
  jkt: string;
  /** The `Authorization` header that went with it. */
  authorization?: string;
}

/** Decodes a proof header (and keeps what it was sent with). */
export async function decodeProof(
  proof: string,
  request: { url: string; method: string; authorization?: string },
): Promise<WireProof> {
  const header = decodeProtectedHeader(proof);
  const payload = decodeJwt(proof) as Record<string, unknown>;
  return {
    url: request.url,
    method: request.method,
    jti: String(payload.jti),
    iat: Number(payload.iat),
    htm: String(payload.htm),
    htu: String(payload.htu),
    ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
    ...(typeof payload.ath === 'string' ? { ath: payload.ath } : {}),
    jkt: await calculateJwkThumbprint(header.jwk as JWK, 'sha256'),
    ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
  };
}

/** base64url(SHA-256(token)): the `ath` of a proof sent with `token` (RFC 9449 §4.2). */
export async function accessTokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Buffer.from(digest).toString('base64url');
}

// ——— versions of the sample app ———————————————————————————————————————————————————————————

const APP_ROOT = fileURLToPath(new URL('../../dev/app/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const LIFECYCLE_CACHE = fileURLToPath(
  new URL('../../.cache/e2e/lifecycle/', import.meta.url),
);

/**
 * Builds the sample app like dev/app/build.ts does (page, then the worker as one file with its
 * config baked in), optionally speaking another RPC protocol version: page and worker of a
 * release that changed the page ↔ worker contract.
 */
export async function buildAppVersion(options: {
  worker: AuthWorkerConfig;
  apiUrl: string;
  outDir: string;
  protocol?: number;
}): Promise<void> {
  const plugins: Plugin[] = [];
  if (options.protocol !== undefined) {
    const version = options.protocol;
    plugins.push({
      name: 'protocol-version',
      transform(code, id) {
        if (!id.endsWith('/src/rpc/protocol.ts')) return undefined;
        const changed = code.replace(
          /export const PROTOCOL_VERSION = \d+;/,
          `export const PROTOCOL_VERSION = ${version};`,
        );
        if (changed === code) throw new Error('PROTOCOL_VERSION not found in src/rpc/protocol.ts');
        return changed;
      },
    });
  }
  const shared: InlineConfig = {
    configFile: false,
    logLevel: 'warn',
    root: APP_ROOT,
    plugins,
    resolve: {
      alias: [
        { find: /^auth0-enclave\/worker$/, replacement: `${REPO}worker/index.ts` },
        { find: /^auth0-enclave$/, replacement: `${REPO}src/client/index.ts` },
      ],
    },
  };
  await build({
    ...shared,
    define: { __SAMPLE_API_URL__: JSON.stringify(options.apiUrl) },
    build: { outDir: options.outDir, emptyOutDir: true, minify: true },
  });
  await build({
    ...shared,
    define: { __AUTH_WORKER_CONFIG__: JSON.stringify(options.worker) },
    build: {
      outDir: options.outDir,
      emptyOutDir: false,
      minify: true,
      lib: {
        entry: `${APP_ROOT}auth-worker.ts`,
        formats: ['es'],
        fileName: () => 'auth-worker.js',
      },
    },
  });
}

/** Replaces what a server serves from `served` with the build in `from` (the server reads per request). */
export async function serveBuild(from: string, served: string): Promise<void> {
  await rm(served, { recursive: true, force: true });
  await mkdir(served, { recursive: true });
  await cp(from, served, { recursive: true });
}
