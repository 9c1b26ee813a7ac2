import type { MiddlewareHandler } from 'hono';
import type { LogDetails, TenantEnv } from './tenant-env.js';

/** One request the tenant served, as the admin surface reports it. */
export interface RequestLogEntry extends LogDetails {
  /** When the request arrived: real time (not the tenant clock), ISO 8601. */
  at: string;
  /** The HTTP method, e.g. `POST`. */
  method: string;
  /** The request path, without the query. */
  path: string;
  /** The HTTP status the tenant answered with. */
  status: number;
}

/**
 * What the tenant was asked and what it answered, so tests can assert on traffic (e.g. "exactly
 * one refresh"). Holds no token, code or secret: only names, ids and key thumbprints.
 */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.#entries.push(entry);
  }

  list(filter: { path?: string } = {}): RequestLogEntry[] {
    return this.#entries
      .filter((entry) => filter.path === undefined || entry.path === filter.path)
      .map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /**
   * Records every request except the admin surface's own. Handlers fill in `c.var.log`
   * (grant type, client id, DPoP jti and thumbprint) as they learn them.
   */
  middleware(): MiddlewareHandler<TenantEnv> {
    return async (c, next) => {
      const details: LogDetails = {};
      c.set('log', details);
      const at = new Date().toISOString();
      await next();
      if (c.req.path.startsWith('/__admin')) return;
      this.add({ at, method: c.req.method, path: c.req.path, ...details, status: c.res.status });
    };
  }
}
