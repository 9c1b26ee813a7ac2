import type { MiddlewareHandler } from 'hono';

/** Options for {@link cors}. */
export interface CorsOptions {
  /** Asked per request, so origins added later (an admin client upsert) take effect at once. */
  isAllowedOrigin(origin: string): boolean;
  /** Which paths answer CORS at all. */
  appliesTo(path: string): boolean;
  /** The `Access-Control-Allow-Methods` value of preflight answers. */
  allowMethods: string;
  /** The `Access-Control-Allow-Headers` value of preflight answers. */
  allowHeaders: string;
  /**
   * The `Access-Control-Expose-Headers` value: response headers the page may read (e.g.
   * `DPoP-Nonce`).
   */
  exposeHeaders: string;
  /** Default: 600. */
  maxAgeSeconds?: number;
}

/**
 * CORS for an explicit origin list: the request's own origin is echoed back when (and only when)
 * it is allowed; other origins get no CORS header at all, and there is never a wildcard. No
 * credentials mode: the tenant's APIs take tokens in headers, never cookies, from other origins.
 * (Hono's own cors middleware sets the method and header lists even for refused origins.)
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const maxAge = String(options.maxAgeSeconds ?? 600);
  return async (c, next) => {
    if (!options.appliesTo(c.req.path)) return next();
    const origin = c.req.header('origin');
    const allowed = origin !== undefined && options.isAllowedOrigin(origin);
    const preflight = c.req.method === 'OPTIONS' && c.req.header('access-control-request-method');
    if (preflight) {
      if (!allowed) return c.body(null, 204, { Vary: 'Origin' });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': options.allowMethods,
        'Access-Control-Allow-Headers': options.allowHeaders,
        'Access-Control-Max-Age': maxAge,
        Vary: 'Origin',
      });
    }
    await next();
    c.res.headers.append('Vary', 'Origin');
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', options.exposeHeaders);
    }
  };
}
