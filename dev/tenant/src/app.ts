import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { TenantAdmin } from './admin.js';
import type { TenantEnv, TenantRuntime } from './context.js';
import { cors } from './cors.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerAuthorizeRoute } from './routes/authorize.js';
import { registerConnectPageRoutes } from './routes/connect-page.js';
import { registerDiscoveryRoutes } from './routes/discovery.js';
import { registerIntrospectRoute } from './routes/introspect.js';
import { registerLoginRoutes } from './routes/login-page.js';
import { registerLogoutRoutes } from './routes/logout.js';
import { registerMfaRoutes } from './routes/mfa.js';
import { registerMyAccountRoutes } from './routes/my-account.js';
import { registerAuthenticationMethodRoutes } from './routes/my-account-methods.js';
import { registerParRoute } from './routes/par.js';
import { registerPasskeyRoutes } from './routes/passkey.js';
import { registerRevokeRoute } from './routes/revoke.js';
import { registerServerFlowRoutes } from './routes/server-flows.js';
import { registerTokenRoute } from './routes/token.js';
import { registerUserinfoRoute } from './routes/userinfo.js';

/** Largest request body accepted; OAuth requests are a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

// The endpoints an SPA calls with fetch() from its own origin (WIRE.md, "General").
const CORS_EXACT = new Set(['/oauth/token', '/userinfo', '/oauth/revoke']);
const CORS_PREFIXES = ['/mfa/', '/passkey/', '/.well-known/', '/me/', '/anonymous/'];

/**
 * The tenant's HTTP surface. Middleware order matters: the request log sees every answer
 * (faults and 413s included), CORS headers reach fault answers too (a browser must be able to
 * read an injected 503), and faults may read the body, so the body limit comes first.
 */
export function createTenantApp(runtime: TenantRuntime, admin: TenantAdmin): Hono<TenantEnv> {
  const app = new Hono<TenantEnv>();
  app.use(runtime.requestLog.middleware());
  app.use(
    cors({
      isAllowedOrigin: (origin) => runtime.directory.allowedOrigins().has(origin),
      appliesTo: (path) =>
        CORS_EXACT.has(path) || CORS_PREFIXES.some((prefix) => path.startsWith(prefix)),
      allowMethods: 'GET, POST, PATCH, DELETE, OPTIONS',
      allowHeaders: 'content-type, dpop, authorization, auth0-client',
      // Location: the My Account API names a new authentication method's enrollment with it.
      exposeHeaders: 'DPoP-Nonce, WWW-Authenticate, Location',
    }),
  );
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(
          { error: 'invalid_request', error_description: 'request body is larger than 64 KiB' },
          413,
        ),
    }),
  );
  app.use(runtime.faults.middleware());

  registerDiscoveryRoutes(app, runtime);
  registerAuthorizeRoute(app, runtime);
  registerLoginRoutes(app, runtime);
  registerTokenRoute(app, runtime);
  registerParRoute(app, runtime);
  registerServerFlowRoutes(app, runtime);
  registerUserinfoRoute(app, runtime);
  registerRevokeRoute(app, runtime);
  registerIntrospectRoute(app, runtime);
  registerLogoutRoutes(app, runtime);
  registerMfaRoutes(app, runtime);
  registerPasskeyRoutes(app, runtime);
  registerMyAccountRoutes(app, runtime);
  registerAuthenticationMethodRoutes(app, runtime);
  registerConnectPageRoutes(app, runtime);
  if (runtime.settings.admin) registerAdminRoutes(app, admin);

  app.notFound((c) =>
    c.json(
      { error: 'not_found', error_description: `No route for ${c.req.method} ${c.req.path}` },
      404,
    ),
  );
  app.onError((error, c) =>
    c.json({ error: 'server_error', error_description: error.message }, 500),
  );
  return app;
}
