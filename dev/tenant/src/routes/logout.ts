import type { Context, Hono } from 'hono';
import { compactVerify, decodeJwt } from 'jose';
import { sendBackchannelLogout } from '../backchannel-logout.js';
import type { ResolvedClient } from '../config.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { errorPage, renderPage } from '../html-page.js';
import { clearSessionCookie, currentSession } from '../session-cookie.js';

function sameUrl(a: string, b: string): boolean {
  return URL.canParse(a) && URL.canParse(b) && new URL(a).href === new URL(b).href;
}

/**
 * Whether logout may redirect to `url`: it must be in the client's allowed logout URLs, or,
 * when the request names no client, in some client's list (Auth0's tenant-level list).
 */
function isAllowedReturn(runtime: TenantRuntime, client: ResolvedClient | undefined, url: string) {
  const allowed = client
    ? client.allowedLogoutUrls
    : runtime.directory.clients().flatMap((each) => each.allowedLogoutUrls);
  return allowed.some((candidate) => sameUrl(candidate, url));
}

/** Ends the browser's session, clears the cookie and notifies back-channel clients. */
function endSession(c: Context, runtime: TenantRuntime): void {
  const session = currentSession(c, runtime);
  if (session) {
    runtime.store.sessions.delete(session.id);
    // Best effort and not awaited: a client that is down must not hold the logout up.
    sendBackchannelLogout(runtime, session).catch(() => {});
  }
  clearSessionCookie(c, runtime);
}

function loggedOutPage(c: Context): Response {
  return renderPage(c, {
    title: 'Logged out',
    body: '<main><h1>Logged out</h1><p>You have been logged out.</p></main>',
  });
}

/** The audience of an ID token this tenant signed (expiry is no reason to refuse a hint). */
async function idTokenHintClient(
  runtime: TenantRuntime,
  hint: string,
): Promise<string | undefined> {
  try {
    await compactVerify(hint, (await runtime.signingKey).publicKey);
    const { iss, aud } = decodeJwt(hint);
    if (iss !== runtime.issuer()) return undefined;
    return typeof aud === 'string' ? aud : undefined;
  } catch {
    return undefined;
  }
}

/** `GET /v2/logout` (Auth0) and `GET /oidc/logout` (OIDC RP-initiated logout). */
export function registerLogoutRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  const refuse = (c: Context, message: string) => errorPage(c, { title: 'Logout failed', message });

  app.get('/v2/logout', (c) => {
    // `federated` is a presence flag; there is no upstream identity provider to log out of.
    const returnTo = c.req.query('returnTo');
    const clientId = c.req.query('client_id');
    const client = clientId === undefined ? undefined : runtime.directory.client(clientId);
    if (clientId !== undefined && !client) return refuse(c, `Unknown client_id "${clientId}".`);
    if (returnTo !== undefined && !isAllowedReturn(runtime, client, returnTo)) {
      return refuse(c, `"${returnTo}" is not an allowed logout URL.`);
    }
    endSession(c, runtime);
    return returnTo === undefined ? loggedOutPage(c) : c.redirect(returnTo, 302);
  });

  app.get('/oidc/logout', async (c) => {
    const redirect = c.req.query('post_logout_redirect_uri');
    const state = c.req.query('state');
    const hint = c.req.query('id_token_hint');
    let clientId = c.req.query('client_id');
    if (hint !== undefined) {
      const hinted = await idTokenHintClient(runtime, hint);
      if (hinted === undefined)
        return refuse(c, 'id_token_hint is not an ID token of this tenant.');
      if (clientId !== undefined && clientId !== hinted) {
        return refuse(c, 'client_id does not match the audience of id_token_hint.');
      }
      clientId = hinted;
    }
    const client = clientId === undefined ? undefined : runtime.directory.client(clientId);
    if (clientId !== undefined && !client) return refuse(c, `Unknown client_id "${clientId}".`);
    if (redirect !== undefined) {
      if (!client) return refuse(c, 'post_logout_redirect_uri needs client_id or id_token_hint.');
      if (!isAllowedReturn(runtime, client, redirect)) {
        return refuse(c, `"${redirect}" is not an allowed logout URL.`);
      }
    }
    // logout_hint (a sid) and federated are accepted; the browser's session is what ends.
    endSession(c, runtime);
    if (redirect === undefined) return loggedOutPage(c);
    const target = new URL(redirect);
    if (state !== undefined) target.searchParams.set('state', state);
    return c.redirect(target.href, 302);
  });
}
