import type { Context, Hono } from 'hono';
import { completeAuthorization } from '../authorization-completion.js';
import type { AuthorizationRequest } from '../authorization-request.js';
import { sendAuthorizationResponse } from '../authorization-response.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { errorPage, escapeHtml, renderPage } from '../html-page.js';
import { randomToken } from '../random-token.js';
import { bodyParams } from '../request-params.js';
import { secretsEqual } from '../secret-compare.js';
import { currentSession, setSessionCookie } from '../session-cookie.js';
import type { LoginTransaction } from '../store.js';

/** Where the login form posts. */
export const LOGIN_PATH = '/u/login';
/** How long a shown login form stays usable (tenant clock). */
const TRANSACTION_LIFETIME_SECONDS = 600;
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

function renderLoginForm(
  c: Context,
  runtime: TenantRuntime,
  transaction: LoginTransaction,
  options: { error?: string; email?: string } = {},
): Response {
  const { request } = transaction;
  const client = runtime.directory.client(request.clientId);
  const organization =
    request.organizationId === undefined
      ? undefined
      : runtime.directory.organization(request.organizationId);
  const email = options.email ?? request.loginHint ?? '';
  const lang = request.uiLocales?.split(/\s+/)[0];
  const error =
    options.error === undefined
      ? ''
      : `<p role="alert" id="login-error">${escapeHtml(options.error)}</p>`;
  const describedBy = options.error === undefined ? '' : ' aria-describedby="login-error"';
  const body = `<main>
<h1>Log in</h1>
<p>to continue to <strong>${escapeHtml(client?.name ?? request.clientId)}</strong>${
    organization ? ` (${escapeHtml(organization.name)})` : ''
  }</p>
${error}
<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="tx" value="${escapeHtml(transaction.id)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
<button type="submit">Continue</button>
</form>
</main>`;
  return renderPage(c, {
    title: 'Log in',
    body,
    status: options.error === undefined ? 200 : 400,
    ...(lang !== undefined && LANGUAGE_TAG.test(lang) ? { lang } : {}),
    // The submission redirects to the client, and browsers apply form-action to that redirect.
    formAction: ["'self'", new URL(request.redirectUri).origin],
  });
}

/**
 * Shows the login form for an /authorize request. The request itself stays on the server under
 * a transaction id; the form carries only that id, so nothing in it can be tampered with.
 */
export function showLoginForm(
  c: Context,
  runtime: TenantRuntime,
  request: AuthorizationRequest,
): Response {
  const now = runtime.clock.now();
  runtime.store.prune(now);
  const transaction: LoginTransaction = {
    id: randomToken(),
    request,
    expiresAt: now + TRANSACTION_LIFETIME_SECONDS,
  };
  runtime.store.transactions.set(transaction.id, transaction);
  return renderLoginForm(c, runtime, transaction);
}

/** `POST /u/login`: the login form's submission. */
export function registerLoginRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post(LOGIN_PATH, async (c) => {
    // Browsers send Origin on form posts; one from elsewhere is a cross-site login attempt.
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== new URL(runtime.endpointBase()).origin) {
      return errorPage(c, {
        status: 403,
        title: 'Login refused',
        message: 'The login form was submitted from another site.',
      });
    }
    let params: Awaited<ReturnType<typeof bodyParams>>;
    try {
      params = await bodyParams(c);
    } catch {
      return errorPage(c, { title: 'Login failed', message: 'The login form could not be read.' });
    }
    const now = runtime.clock.now();
    const transaction = runtime.store.transactions.get(params.get('tx') ?? '');
    if (!transaction || transaction.expiresAt < now) {
      return errorPage(c, {
        title: 'Login expired',
        message: 'This login page has expired. Go back to the application and sign in again.',
      });
    }
    const email = params.get('email') ?? '';
    const user = runtime.directory.userByEmail(email);
    if (!user || !secretsEqual(params.get('password') ?? '', user.password)) {
      return renderLoginForm(c, runtime, transaction, { error: 'Wrong email or password.', email });
    }
    const { request } = transaction;
    runtime.store.transactions.delete(transaction.id);
    const organization =
      request.organizationId === undefined
        ? undefined
        : runtime.directory.organization(request.organizationId);
    if (organization && !runtime.directory.isMember(organization, user.user_id)) {
      return sendAuthorizationResponse(c, runtime, request, {
        error: 'access_denied',
        description: `user is not a member of organization ${organization.name}`,
      });
    }
    // A new login replaces the browser's previous session rather than stacking on it.
    const previous = currentSession(c, runtime);
    if (previous) runtime.store.sessions.delete(previous.id);
    const session = runtime.store.createSession(
      user.user_id,
      now,
      runtime.settings.sessionLifetimeSeconds,
    );
    setSessionCookie(c, runtime, session);
    return completeAuthorization(c, runtime, request, session);
  });
}
