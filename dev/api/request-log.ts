import { summarizeDpopProof } from 'auth0-enclave-tenant/resource-server';
import type { MiddlewareHandler } from 'hono';

/** One request the sample API served. */
export interface ApiRequestLogEntry {
  /** When the request arrived: real time (not the tenant clock), ISO 8601. */
  at: string;
  method: string;
  path: string;
  /** The scheme of the `Authorization` header that arrived (whether or not it was accepted). */
  authScheme: 'DPoP' | 'Bearer' | null;
  dpopJti?: string;
  dpopJkt?: string;
  status: number;
}

function schemeOf(header: string | undefined): ApiRequestLogEntry['authScheme'] {
  const scheme = header?.split(' ')[0]?.toLowerCase();
  return scheme === 'dpop' ? 'DPoP' : scheme === 'bearer' ? 'Bearer' : null;
}

/**
 * What reached the API, so browser tests can prove what the SDK sent (or did not send): which
 * scheme, which proof. Never the token itself.
 */
export class ApiRequestLog {
  readonly #entries: ApiRequestLogEntry[] = [];

  list(): ApiRequestLogEntry[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /** Logs every request except the admin surface's own. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const at = new Date().toISOString();
      await next();
      if (c.req.path.startsWith('/__admin')) return;
      this.#entries.push({
        at,
        method: c.req.method,
        path: c.req.path,
        authScheme: schemeOf(c.req.header('authorization')),
        ...(await summarizeDpopProof(c.req.header('dpop'))),
        status: c.res.status,
      });
    };
  }
}
