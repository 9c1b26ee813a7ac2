import type { ResolvedConfig } from '../../worker/config.js';

/** The response headers docs/deploying.md recommends, for one worker config. */
export interface DeploymentHeaders {
  /** For the worker script: its CSP governs the worker's own fetches. */
  worker: Record<string, string>;
  /** For every HTML page. */
  page: Record<string, string>;
  /** An allow-listed API shares the authorization server's origin (the page CSP must list it). */
  apiOnAuthorizationServer: boolean;
}

/**
 * The headers for the worker script and the pages. The page's `connect-src` names the APIs but not
 * the authorization server: only the worker talks to that, and a page that cannot reach the token
 * endpoint cannot redeem a token it read from storage either (SECURITY.md, Firefox keepalive).
 */
export function deploymentHeaders(config: ResolvedConfig): DeploymentHeaders {
  const authorizationServer = config.base.origin;
  const apis = [...new Set(config.routes.map((route) => route.origin))];
  const workerConnect = ["'self'", ...new Set([authorizationServer, ...apis])].join(' ');
  const pageConnect = ["'self'", ...apis].join(' ');
  return {
    worker: {
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': `default-src 'none'; script-src 'self'; connect-src ${workerConnect}`,
    },
    page: {
      'Content-Security-Policy': [
        "default-src 'self'",
        "script-src 'self'",
        `connect-src ${pageConnect}`,
        // A silent login (useRefreshTokensFallback) frames /authorize, redirected back to 'self'.
        `frame-src 'self' ${authorizationServer}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
        // No form of the page goes to the authorization server: logins are navigations.
        "form-action 'self'",
      ].join('; '),
      'Referrer-Policy': 'no-referrer',
    },
    apiOnAuthorizationServer: apis.includes(authorizationServer),
  };
}

/** The advice `vite build` prints once: what the host must send, for this worker and its pages. */
export function headersAdvice(headers: DeploymentHeaders, workerUrl: string): string {
  const lines = (target: string, values: Record<string, string>) =>
    Object.entries(values).map(
      ([name, value], index) => `  ${(index === 0 ? target : '').padEnd(18)}${name}: ${value}`,
    );
  return [
    'auth0-enclave: serve these response headers in production (docs/deploying.md):',
    ...lines(workerUrl, headers.worker),
    ...lines('every page', headers.page),
    headers.apiOnAuthorizationServer
      ? '  note: an "apis" entry is on the authorization server\'s origin, so the page CSP must list it; keep the token endpoint to the worker by other means (a custom API domain).'
      : "  Only the worker talks to the authorization server: keep it out of the page's connect-src.",
  ].join('\n');
}
