import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listen, type RunningServer } from 'auth0-enclave-tenant';

/** Options of {@link startAppServer}. */
export interface AppServerOptions {
  /** The built app (see build.ts). */
  dir: string;
  port: number;
  hostname?: string;
  /**
   * The authorization server: the worker's `connect-src` and the page's `frame-src` (silent
   * logins). Never the page's `connect-src`: only the worker talks to it over fetch.
   */
  tenantOrigin: string;
  /** The APIs: `connect-src` of the page and of the worker. */
  apiOrigins: string[];
  /**
   * Lists the authorization server in the page's `connect-src` too: the configuration
   * SECURITY.md warns against. Only for the tests that prove what the recommended CSP closes
   * (Firefox sends keepalive fetches and beacons past the service worker). Default false.
   */
  unsafePageConnectsToAuthorizationServer?: boolean;
}

/** The repository's documentation pages, which the sample app links each section to. */
const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));
const DOC_PAGE = /^\/docs\/([a-z0-9-]+\.md)$/;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * Serves the built sample app with the deployment headers we recommend (docs/deploying.md):
 * - the page: a CSP without inline script or eval, `frame-ancestors 'none'`, connect-src limited
 *   to the APIs — not the authorization server: only the worker talks to it, so page script
 *   cannot reach the token endpoint past the worker (Firefox sends keepalive fetches and beacons
 *   around service workers) — and `Referrer-Policy: no-referrer` so a callback URL never leaks
 *   in a Referer;
 * - the worker script: its own CSP (it governs the worker's fetches: only the tenant and the
 *   APIs), `no-cache` so updates are found, and no `Service-Worker-Allowed` (the default scope is
 *   the site root already);
 * - unknown paths without an extension fall back to index.html (client-side routes, /callback);
 * - `/docs/<page>.md` is that page of the repository's docs/, as plain text: the sample app's
 *   "?" links lead there, and they work without building anything.
 */
export function startAppServer(options: AppServerOptions): Promise<RunningServer> {
  const pageConnect = [
    "'self'",
    ...(options.unsafePageConnectsToAuthorizationServer ? [options.tenantOrigin] : []),
    ...options.apiOrigins,
  ].join(' ');
  const workerConnect = ["'self'", options.tenantOrigin, ...options.apiOrigins].join(' ');
  const pageCsp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${pageConnect}`,
    // `'self'` too: a silent-login iframe is redirected back to redirect_uri, and CSP checks redirects.
    `frame-src 'self' ${options.tenantOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
    // No form of the page goes to the tenant: logins are navigations.
    "form-action 'self'",
  ].join('; ');
  const workerCsp = [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src ${workerConnect}`,
  ].join('; ');
  const common = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  return listen(
    async (request) => {
      const url = new URL(request.url);
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return new Response(null, { status: 405 });
      const doc = DOC_PAGE.exec(url.pathname)?.[1];
      if (doc) return serveDoc(doc, request.method, common);
      let path = normalize(decodeURIComponent(url.pathname));
      if (path.includes('..')) return new Response(null, { status: 400 });
      if (!extname(path)) path = '/index.html';
      let body: Buffer;
      try {
        body = await readFile(join(options.dir, path));
      } catch {
        return new Response('Not found', { status: 404, headers: common });
      }
      const headers: Record<string, string> = {
        ...common,
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cache-control':
          path === '/index.html' || path === '/auth-worker.js' ? 'no-cache' : 'max-age=3600',
      };
      if (path === '/auth-worker.js') headers['content-security-policy'] = workerCsp;
      else if (path.endsWith('.html')) headers['content-security-policy'] = pageCsp;
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers });
    },
    { port: options.port, ...(options.hostname ? { hostname: options.hostname } : {}) },
  );
}

/** One page of docs/ (the name is already limited to `[a-z0-9-]+.md`), as text nobody runs. */
async function serveDoc(
  name: string,
  method: string,
  common: Record<string, string>,
): Promise<Response> {
  let body: Buffer;
  try {
    body = await readFile(join(DOCS_DIR, name));
  } catch {
    return new Response('Not found', { status: 404, headers: common });
  }
  const headers = {
    ...common,
    'content-type': 'text/plain; charset=utf-8',
    'content-security-policy': "default-src 'none'",
    'cache-control': 'no-cache',
  };
  return new Response(method === 'HEAD' ? null : new Uint8Array(body), { headers });
}
