// The bench's own servers: the local tenant (admin on), the sample API (sharing the tenant's
// clock), our sample app built for the bench, and the auth0-spa-js page. Ports from config.ts.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientConfig } from 'auth0-enclave-tenant';
import {
  createTenant,
  defaultTenantOptions,
  listen,
  type RunningServer,
} from 'auth0-enclave-tenant';
import { spaClientAt } from 'auth0-enclave-tenant/testing';
import { build } from 'esbuild';
import { createSampleApi } from '../dev/api/index.js';
import { buildApp } from '../dev/app/build.js';
import { startAppServer } from '../dev/app/server.js';
import type { AuthWorkerConfig } from '../worker/config.js';
import { tenantAdmin } from './admin.js';
import {
  API_URL,
  APP_URL,
  AUDIENCE,
  CLIENT_IDS,
  OUT_DIR,
  PORTS,
  SCOPE,
  SPA_JS_URL,
  TENANT_URL,
} from './config.js';

export interface BenchServers {
  /** Seconds each preparation step took, for the report. */
  timings: Record<string, number>;
  close(): Promise<void>;
}

/** A public SPA client that must use DPoP with server nonces, refresh tokens rotating. */
function spaClient(clientId: string, origin: string): ClientConfig {
  return spaClientAt(origin, clientId, {
    name: `Bench ${clientId}`,
    refreshTokenRotation: true,
    refreshTokenReuseIntervalSeconds: 0,
  });
}

/** The worker config baked into our sample app's worker for the bench. */
export function benchWorkerConfig(): AuthWorkerConfig {
  return {
    domain: TENANT_URL,
    clientId: CLIENT_IDS.enclave,
    authorizationParams: { redirect_uri: `${APP_URL}/callback`, audience: AUDIENCE, scope: SCOPE },
    apis: [{ url: `${API_URL}/api` }],
  };
}

/**
 * Bundles bench/spa-js-page.ts (esbuild, minified like a production app) and serves it, plus
 * `/plain`, a page without any SDK for the plain-fetch baseline.
 */
async function startSpaJsPage(): Promise<RunningServer> {
  const dir = join(OUT_DIR, 'spa-js');
  await mkdir(dir, { recursive: true });
  const config = {
    domain: TENANT_URL,
    clientId: CLIENT_IDS.spaJs,
    redirectUri: `${SPA_JS_URL}/callback`,
    audience: AUDIENCE,
    scope: SCOPE,
  };
  await build({
    entryPoints: [fileURLToPath(new URL('./spa-js-page.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    outfile: join(dir, 'main.js'),
    define: { __SPA_JS_BENCH__: JSON.stringify(config) },
    logLevel: 'warning',
  });
  const script = await readFile(join(dir, 'main.js'));
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>auth0-spa-js bench</title>' +
    '<script type="module" src="/main.js"></script></head><body><p>auth0-spa-js 2.27 bench page</p></body></html>';
  return listen(
    (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === '/main.js') {
        return new Response(new Uint8Array(script), {
          headers: {
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'no-cache',
          },
        });
      }
      if (pathname === '/favicon.ico') return new Response(null, { status: 204 });
      if (pathname === '/plain') {
        // No SDK and no service worker: the page the plain-fetch baseline runs in.
        return new Response(
          '<!doctype html><title>plain fetch</title><p>plain fetch baseline</p>',
          {
            headers: { 'content-type': 'text/html; charset=utf-8' },
          },
        );
      }
      return new Response(html, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
      });
    },
    { port: PORTS.spaJs },
  );
}

/** Starts everything; on any failure stops what already runs and rethrows. */
export async function startServers(): Promise<BenchServers> {
  const servers: RunningServer[] = [];
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await step();
    timings[name] = (performance.now() - started) / 1000;
    return result;
  };
  const close = async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
  };
  try {
    const tenant = createTenant({
      ...defaultTenantOptions({ appOrigin: APP_URL }),
      issuer: `${TENANT_URL}/`,
      admin: true,
    });
    servers.push(await tenant.listen({ port: PORTS.tenant }));
    const api = createSampleApi({
      issuer: `${TENANT_URL}/`,
      audience: AUDIENCE,
      clock: tenant.clock,
      dpop: 'allowed',
      requireNonce: true,
      allowedOrigins: [APP_URL, SPA_JS_URL],
      admin: true,
    });
    servers.push(await api.listen({ port: PORTS.api }));
    // Registered over the admin surface, the way an external test harness would.
    await tenantAdmin.upsertClient(spaClient(CLIENT_IDS.enclave, APP_URL));
    await tenantAdmin.upsertClient(spaClient(CLIENT_IDS.spaJs, SPA_JS_URL));

    const appDir = join(OUT_DIR, 'app');
    await timed('build our sample app (Vite)', () =>
      buildApp({ worker: benchWorkerConfig(), apiUrl: API_URL, outDir: appDir }),
    );
    servers.push(
      await startAppServer({
        dir: appDir,
        port: PORTS.app,
        tenantOrigin: TENANT_URL,
        apiOrigins: [API_URL],
      }),
    );
    servers.push(await timed('build the spa-js page (esbuild)', startSpaJsPage));
  } catch (error) {
    await close();
    throw error;
  }
  return { timings, close };
}
