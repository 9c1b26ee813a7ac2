import type { Hono } from 'hono';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { registerAnonymousRoutes } from '../server-flows/anonymous.js';
import { registerCibaRoutes } from '../server-flows/ciba.js';
import { registerDatabaseRoutes } from '../server-flows/database.js';
import {
  registerMagicLinkRoute,
  registerPasswordlessRoutes,
} from '../server-flows/passwordless.js';

/**
 * The Authentication API endpoints server apps call beside the token endpoint (issue 17):
 * passwordless, database sign-up and password reset, CIBA, anonymous sessions, WebFinger.
 */
export function registerServerFlowRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  registerPasswordlessRoutes(app, runtime);
  registerMagicLinkRoute(app, runtime);
  registerDatabaseRoutes(app, runtime);
  registerCibaRoutes(app, runtime);
  registerAnonymousRoutes(app, runtime);
}
