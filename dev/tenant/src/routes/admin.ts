import type { Context, Hono } from 'hono';
import type { TenantAdmin } from '../admin.js';
import type { TenantEnv } from '../context.js';

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new TypeError('request body must be JSON');
  }
}

/**
 * `/__admin/*`: the {@link TenantAdmin} operations over HTTP, JSON in and out. Registered only
 * with `admin: true`; otherwise these paths are 404 like any unknown path. A bad input is a
 * 400 `{ error: 'invalid_request', error_description }` naming the field.
 */
export function registerAdminRoutes(app: Hono<TenantEnv>, admin: TenantAdmin): void {
  const route =
    (handler: (c: Context<TenantEnv>) => Promise<unknown> | unknown) =>
    async (c: Context<TenantEnv>) => {
      try {
        return c.json((await handler(c)) ?? {}, 200, { 'Cache-Control': 'no-store' });
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        return c.json({ error: 'invalid_request', error_description: error.message }, 400);
      }
    };
  // The HTTP bodies are unchecked JSON; every operation validates its input itself.
  const body = async <T>(c: Context): Promise<T> => (await jsonBody(c)) as T;

  app.post(
    '/__admin/reset',
    route(() => admin.reset()),
  );
  app.post(
    '/__admin/clock',
    route(async (c) => admin.clock(await body(c))),
  );
  app.post(
    '/__admin/users',
    route(async (c) => admin.upsertUser(await body(c))),
  );
  app.post(
    '/__admin/clients',
    route(async (c) => admin.upsertClient(await body(c))),
  );
  app.post(
    '/__admin/faults',
    route(async (c) => admin.addFault(await body(c))),
  );
  app.delete(
    '/__admin/faults',
    route(() => admin.clearFaults()),
  );
  app.get(
    '/__admin/requests',
    route((c) => {
      const path = c.req.query('path');
      return admin.requests(path === undefined ? {} : { path });
    }),
  );
  app.delete(
    '/__admin/requests',
    route(() => admin.clearRequests()),
  );
  app.get(
    '/__admin/tokens',
    route(() => admin.tokens()),
  );
  app.post(
    '/__admin/refresh-tokens/revoke',
    route(async (c) => admin.revokeRefreshTokens(await body(c))),
  );
  app.delete(
    '/__admin/sessions',
    route(() => admin.endSessions()),
  );
  app.post(
    '/__admin/dpop-nonce/rotate',
    route(() => admin.rotateDpopNonce()),
  );
  app.get(
    '/__admin/outbox',
    route((c) => {
      const to = c.req.query('to');
      return admin.outbox(to === undefined ? {} : { to });
    }),
  );
  app.delete(
    '/__admin/outbox',
    route(() => admin.clearOutbox()),
  );
  app.post(
    '/__admin/mfa/oob/decide',
    route(async (c) => admin.decideOob(await body(c))),
  );
  app.post(
    '/__admin/mfa/authenticators',
    route(async (c) => admin.addMfaAuthenticator(await body(c))),
  );
  app.post(
    '/__admin/connected-accounts',
    route(async (c) => admin.setConnectedAccount(await body(c))),
  );
  app.get(
    '/__admin/connected-accounts',
    route(() => admin.connectedAccounts()),
  );
  app.delete(
    '/__admin/connected-accounts',
    route((c) => {
      const connection = c.req.query('connection');
      const userId = c.req.query('user_id');
      return admin.clearConnectedAccounts({
        ...(connection === undefined ? {} : { connection }),
        ...(userId === undefined ? {} : { user_id: userId }),
      });
    }),
  );
}
