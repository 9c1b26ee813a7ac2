import type { Hono } from 'hono';
import { completeAuthorization } from '../authorization-completion.js';
import { parseAuthorizationRequest } from '../authorization-request.js';
import { sendAuthorizationResponse } from '../authorization-response.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { errorPage } from '../html-page.js';
import { REQUEST_URI_PREFIX, takePushedRequest } from '../pushed-requests.js';
import { RequestParams } from '../request-params.js';
import { currentSession } from '../session-cookie.js';
import { showLoginForm } from './login-page.js';

/**
 * `GET /authorize`: checks the request, then answers at once from a live session (a code, or
 * `login_required` for `prompt=none`), or shows the login form.
 */
export function registerAuthorizeRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.get('/authorize', (c) => {
    const query = new URL(c.req.url).searchParams;
    const requestUri = query.get('request_uri');
    let search = query;
    if (requestUri?.startsWith(REQUEST_URI_PREFIX)) {
      // A pushed request (RFC 9126 §4): its parameters, and only those, are the request. Any
      // other request_uri stays in the query, for parseAuthorizationRequest to refuse.
      const pushed = takePushedRequest(runtime, requestUri, query.get('client_id') ?? undefined);
      if ('error' in pushed) {
        return errorPage(c, { title: 'Invalid authorization request', message: pushed.error });
      }
      search = pushed.params;
    }
    const params = RequestParams.fromSearchParams(search);
    const parsed = parseAuthorizationRequest(params, runtime.directory);
    if (parsed.kind === 'fatal') {
      return errorPage(c, { title: 'Invalid authorization request', message: parsed.message });
    }
    if (parsed.kind === 'error') {
      const { target, error, description } = parsed;
      return sendAuthorizationResponse(c, runtime, target, { error, description });
    }
    const { request } = parsed;
    const session = currentSession(c, runtime);
    const organization =
      request.organizationId === undefined
        ? undefined
        : runtime.directory.organization(request.organizationId);
    const reusable =
      session !== undefined &&
      !request.prompt.includes('login') &&
      (request.maxAge === undefined || runtime.clock.now() - session.authTime <= request.maxAge) &&
      (organization === undefined || runtime.directory.isMember(organization, session.userId));
    if (reusable) return completeAuthorization(c, runtime, request, session);
    if (request.prompt.includes('none')) {
      return sendAuthorizationResponse(c, runtime, request, {
        error: 'login_required',
        description: 'Login required',
      });
    }
    return showLoginForm(c, runtime, request);
  });
}
