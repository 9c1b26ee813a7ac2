import type { ResourceAccess, ResourceAccessError } from 'auth0-enclave-tenant/resource-server';
import type { Context, Hono } from 'hono';

const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

/** Authenticates a request (and checks a scope); resolves with the access or a ready answer. */
export type Authenticate = (c: Context, scope?: string) => Promise<ResourceAccess | Response>;

interface Note {
  id: string;
  [field: string]: unknown;
}

/**
 * The sample API's endpoints: `/api/me` and `/api/notes` need a token (notes need a scope),
 * `/api/public` does not, and two test aids show what the API received (`/api/echo`) and
 * redirect anywhere with any 3xx (`/api/redirect?to=…&status=…`, to prove clients do not carry credentials along).
 */
export function registerApiRoutes(app: Hono, authenticate: Authenticate): void {
  const notes = new Map<string, Note[]>();

  app.get('/api/public', (c) => c.json({ message: 'Hello from a public endpoint' }));

  app.get('/api/me', async (c) => {
    const access = await authenticate(c);
    if (access instanceof Response) return access;
    return c.json({
      sub: access.claims.sub ?? null,
      scope: typeof access.claims.scope === 'string' ? access.claims.scope : '',
      tokenType: access.scheme,
      jkt: access.proof?.jkt ?? null,
    });
  });

  app.get('/api/notes', async (c) => {
    const access = await authenticate(c, 'read:notes');
    if (access instanceof Response) return access;
    return c.json({ notes: notes.get(String(access.claims.sub)) ?? [] });
  });

  app.post('/api/notes', async (c) => {
    const access = await authenticate(c, 'write:notes');
    if (access instanceof Response) return access;
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = undefined;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return c.json(
        { error: 'invalid_request', error_description: 'body must be a JSON object' },
        400,
      );
    }
    const note: Note = { ...body, id: `note_${crypto.randomUUID()}` };
    const sub = String(access.claims.sub);
    notes.set(sub, [...(notes.get(sub) ?? []), note]);
    return c.json(note, 201);
  });

  app.get('/api/echo', (c) =>
    c.json({
      method: c.req.method,
      url: c.req.url,
      headers: Object.fromEntries(c.req.raw.headers),
    }),
  );

  // `status` picks the redirect (301, 302, 303, 307 or 308; default 302), and POST is answered
  // too, so tests can check that no kind of redirect carries a token along — 307/308 would
  // replay the method and body.
  app.on(['GET', 'POST'], '/api/redirect', (c) => {
    const to = c.req.query('to');
    if (to === undefined || !URL.canParse(to) || !/^https?:$/.test(new URL(to).protocol)) {
      return c.json(
        { error: 'invalid_request', error_description: '"to" must be an http(s) URL' },
        400,
      );
    }
    const status = Number(c.req.query('status') ?? 302);
    if (!REDIRECT_STATUSES.includes(status as RedirectStatus)) {
      return c.json(
        {
          error: 'invalid_request',
          error_description: '"status" must be 301, 302, 303, 307 or 308',
        },
        400,
      );
    }
    return c.redirect(to, status as RedirectStatus);
  });
}

/** Turns a refused request into its HTTP answer. */
export function refusal(c: Context, error: ResourceAccessError): Response {
  return c.json(error.toJSON(), error.status, error.headers);
}
