import {
  type DpopMode,
  type ListenOptions,
  listen,
  type RunningServer,
  type TenantClock,
} from 'auth0-enclave-tenant';
import {
  authenticateResourceRequest,
  cors,
  createDpopNonces,
  createDpopVerifier,
  type DpopNonces,
  parseIssuer,
  ResourceAccessError,
  requireScope,
} from 'auth0-enclave-tenant/resource-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createRemoteJWKSet, type JWTVerifyOptions, jwtVerify } from 'jose';
import { ApiRequestLog, type ApiRequestLogEntry } from './request-log.js';
import { type Authenticate, refusal, registerApiRoutes } from './routes.js';

/** Options for {@link createSampleApi}. */
export interface SampleApiOptions {
  /** The tenant's issuer (trailing slash). */
  issuer: string;
  /** Default: `<issuer>.well-known/jwks.json`. */
  jwksUri?: string;
  /** The API identifier tokens must be issued for. */
  audience: string;
  /** Judge token expiry by this clock (share the tenant's so moving it expires tokens here too). */
  clock?: TenantClock;
  dpop: DpopMode;
  /** Require a server nonce in DPoP proofs (401 `use_dpop_nonce` + `DPoP-Nonce`). */
  requireNonce: boolean;
  /** Origins that may call the API from a browser. */
  allowedOrigins: string[];
  /** Serve `/__admin/*` (request log, nonce rotation). Default: false. */
  admin?: boolean;
}

/** A sample resource server that enforces what the tenant's tokens promise. */
export interface SampleApi {
  readonly app: Hono;
  /** Nonces this API hands out (rotate to test a client's nonce handling). */
  readonly nonces: DpopNonces;
  requests(): ApiRequestLogEntry[];
  clearRequests(): void;
  /** Default port 0 (a free one); hostname localhost. */
  listen(options?: ListenOptions): Promise<RunningServer>;
}

function assertOptions(options: SampleApiOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object');
  }
  parseIssuer(options.issuer, 'options.issuer');
  if (typeof options.audience !== 'string' || options.audience === '') {
    throw new TypeError('"options.audience" must be a non-empty string');
  }
  if (!['off', 'allowed', 'required'].includes(options.dpop)) {
    throw new TypeError('"options.dpop" must be "off", "allowed" or "required"');
  }
  if (typeof options.requireNonce !== 'boolean') {
    throw new TypeError('"options.requireNonce" must be a boolean');
  }
  if (!Array.isArray(options.allowedOrigins)) {
    throw new TypeError('"options.allowedOrigins" must be an array of origins');
  }
}

/**
 * Creates the sample API: access tokens verified with jose against the tenant's JWKS (issuer,
 * audience, expiry), Bearer and DPoP (via the tenant's exported verifier: proof, `ath`, `jti`
 * replay, `cnf.jkt`), optional nonces, scopes, CORS for the app's origins, and a request log.
 *
 * @example
 * ```ts
 * const api = createSampleApi({
 *   issuer: tenant.issuer(), audience: 'https://api.example.com/', clock: tenant.clock,
 *   dpop: 'allowed', requireNonce: false, allowedOrigins: ['http://localhost:3000'],
 * });
 * const { url } = await api.listen({ port: 0 });
 * ```
 */
export function createSampleApi(options: SampleApiOptions): SampleApi {
  assertOptions(options);
  const jwks = createRemoteJWKSet(
    new URL(options.jwksUri ?? new URL('.well-known/jwks.json', options.issuer).href),
  );
  const nonces = createDpopNonces();
  const dpopVerifier = createDpopVerifier({ nonces });
  const log = new ApiRequestLog();
  const allowedOrigins = new Set(options.allowedOrigins);

  const verifyAccessToken = async (token: string) => {
    const verifyOptions: JWTVerifyOptions = {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ['RS256'],
    };
    if (options.clock) verifyOptions.currentDate = new Date(options.clock.now() * 1000);
    return (await jwtVerify(token, jwks, verifyOptions)).payload;
  };

  const authenticate: Authenticate = async (c, scope) => {
    try {
      const access = await authenticateResourceRequest(
        { method: c.req.method, url: c.req.url, headers: c.req.raw.headers },
        {
          dpop: options.dpop,
          dpopVerifier,
          requireNonce: options.requireNonce,
          nonces,
          verifyAccessToken,
          realm: options.audience,
        },
      );
      if (scope !== undefined) requireScope(access, scope);
      return access;
    } catch (error) {
      if (error instanceof ResourceAccessError) return refusal(c, error);
      throw error;
    }
  };

  const app = new Hono();
  app.use(log.middleware());
  app.use(
    cors({
      isAllowedOrigin: (origin) => allowedOrigins.has(origin),
      appliesTo: (path) => !path.startsWith('/__admin'),
      allowMethods: 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      allowHeaders: 'authorization, dpop, content-type',
      exposeHeaders: 'DPoP-Nonce, WWW-Authenticate',
    }),
  );
  app.use(
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) =>
        c.json({ error: 'invalid_request', error_description: 'body larger than 64 KiB' }, 413),
    }),
  );
  // With nonces on, every answer to a DPoP request carries the current nonce, so a client
  // learns about a rotation from any response rather than from a failed request.
  app.use(async (c, next) => {
    await next();
    if (options.requireNonce && c.req.header('dpop') !== undefined) {
      c.res.headers.set('DPoP-Nonce', nonces.current());
    }
  });
  registerApiRoutes(app, authenticate);
  if (options.admin) {
    app.get('/__admin/requests', (c) => c.json(log.list()));
    app.delete('/__admin/requests', (c) => {
      log.clear();
      return c.json({});
    });
    app.post('/__admin/dpop-nonce/rotate', (c) => c.json({ nonce: nonces.rotate() }));
  }
  app.notFound((c) =>
    c.json(
      { error: 'not_found', error_description: `No route for ${c.req.method} ${c.req.path}` },
      404,
    ),
  );

  return {
    app,
    nonces,
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    listen: (listenOptions = {}) =>
      listen(app.fetch, {
        port: listenOptions.port ?? 0,
        hostname: listenOptions.hostname ?? 'localhost',
      }),
  };
}
