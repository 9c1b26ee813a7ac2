import type { Hono } from 'hono';
import { parseAuthorizationRequest } from '../authorization-request.js';
import { authenticateClient } from '../client-auth.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { PUSHED_REQUEST_TTL_SECONDS, rememberPushedRequest } from '../pushed-requests.js';
import { RequestParams } from '../request-params.js';

/** Client authentication parameters: not part of the authorization request that is kept. */
const CLIENT_AUTH = ['client_secret', 'client_assertion', 'client_assertion_type'];

/**
 * `POST /oauth/par` (RFC 9126): a client-authenticated form with the authorization request's
 * parameters. They are checked as /authorize checks them — but every failure is a JSON error
 * here, since nothing is redirected — and kept for {@link PUSHED_REQUEST_TTL_SECONDS} under a
 * single-use `request_uri`.
 */
export function registerParRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post(
    '/oauth/par',
    oauthRoute(async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        throw invalidRequest('the pushed request must be application/x-www-form-urlencoded');
      }
      const form = new URLSearchParams(await c.req.text());
      const params = RequestParams.fromSearchParams(form);
      const client = await authenticateClient(
        runtime,
        params,
        '/oauth/par',
        c.req.header('authorization'),
      );
      c.var.log.clientId = client.clientId;
      // RFC 9126 §2.1: a pushed request cannot itself point at another one.
      if (form.has('request_uri')) throw invalidRequest('"request_uri" must not be pushed');
      if (form.has('request')) {
        throw new OAuthErrorResponse('request_not_supported', 'request objects are not supported');
      }
      const kept = new URLSearchParams();
      for (const [name, value] of form) if (!CLIENT_AUTH.includes(name)) kept.append(name, value);
      kept.set('client_id', client.clientId);
      const parsed = parseAuthorizationRequest(
        RequestParams.fromSearchParams(kept),
        runtime.directory,
      );
      if (parsed.kind === 'fatal') throw invalidRequest(parsed.message);
      if (parsed.kind === 'error') throw new OAuthErrorResponse(parsed.error, parsed.description);
      const requestUri = rememberPushedRequest(runtime, client.clientId, kept);
      return c.json(
        { request_uri: requestUri, expires_in: PUSHED_REQUEST_TTL_SECONDS },
        201,
        NO_STORE,
      );
    }),
  );
}
