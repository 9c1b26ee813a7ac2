import type { Context, Hono } from 'hono';
import type { ConnectSession } from '../connections.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { errorPage, escapeHtml, renderPage } from '../html-page.js';
import { randomToken } from '../random-token.js';
import { bodyParams } from '../request-params.js';

/** The `connect_uri` of the My Account API: the page that stands in for the provider's consent. */
export const CONNECT_PATH = '/connect';

function liveSession(
  runtime: TenantRuntime,
  ticket: string | undefined,
): ConnectSession | undefined {
  const session = ticket ? runtime.connections.sessionByTicket(ticket) : undefined;
  if (session?.stage !== 'pending' || session.expiresAt <= runtime.clock.now()) {
    return undefined;
  }
  return session;
}

function expired(c: Context): Response {
  return errorPage(c, {
    title: 'Link expired',
    message: 'This connect link is unknown, expired or already used. Start again from the app.',
  });
}

/** The redirect back to the app, with `connect_code` or `error`, and `state`. */
function redirectBack(c: Context, session: ConnectSession, params: [string, string][]): Response {
  const url = new URL(session.redirectUri);
  for (const [name, value] of [...params, ['state', session.state] as [string, string]]) {
    url.searchParams.set(name, value);
  }
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  return c.redirect(url.href, 302);
}

/**
 * `GET /connect?ticket=…` shows the simulated provider's consent ("Connect Google" or "Cancel");
 * `POST /connect` answers it: the browser goes back to the flow's `redirect_uri` with a short-lived
 * `connect_code` (or `error=access_denied`) and the flow's `state`. A ticket is good for one answer.
 */
export function registerConnectPageRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.get(CONNECT_PATH, (c) => {
    const session = liveSession(runtime, c.req.query('ticket'));
    if (!session) return expired(c);
    const connection = runtime.connections.connection(session.connection);
    const provider = escapeHtml(connection?.displayName ?? session.connection);
    const client = runtime.directory.client(session.clientId);
    const scopes = session.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
    const body = `<main>
<h1>Connect ${provider}</h1>
<p><strong>${escapeHtml(client?.name ?? session.clientId)}</strong> wants to use your ${provider} account (${escapeHtml(session.userId)}).</p>
${scopes === '' ? '' : `<p>It asks for:</p><ul>${scopes}</ul>`}
<p>This page stands in for ${provider}: nothing leaves the local tenant.</p>
<form method="post" action="${CONNECT_PATH}">
<input type="hidden" name="ticket" value="${escapeHtml(session.ticket)}">
<button type="submit" name="decision" value="allow">Connect ${provider}</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form>
</main>`;
    return renderPage(c, {
      title: `Connect ${connection?.displayName ?? session.connection}`,
      body,
      // The answer redirects to the app, and browsers apply form-action to that redirect.
      formAction: ["'self'", new URL(session.redirectUri).origin],
    });
  });

  app.post(CONNECT_PATH, async (c) => {
    // Browsers send Origin on form posts; one from elsewhere is a cross-site consent attempt.
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(runtime.endpointBase()).origin) {
      return errorPage(c, {
        status: 403,
        title: 'Consent refused',
        message: 'The consent form was submitted from another site.',
      });
    }
    let params: Awaited<ReturnType<typeof bodyParams>>;
    try {
      params = await bodyParams(c);
    } catch {
      return errorPage(c, { title: 'Consent failed', message: 'The form could not be read.' });
    }
    const session = liveSession(runtime, params.get('ticket'));
    if (!session) return expired(c);
    if (params.get('decision') !== 'allow') {
      session.stage = 'denied';
      return redirectBack(c, session, [
        ['error', 'access_denied'],
        ['error_description', 'The user did not connect the account'],
      ]);
    }
    session.stage = 'consented';
    session.connectCode = randomToken(24);
    session.connectCodeExpiresAt = runtime.clock.now() + runtime.settings.codeLifetimeSeconds;
    return redirectBack(c, session, [['connect_code', session.connectCode]]);
  });
}
