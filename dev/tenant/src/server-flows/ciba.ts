import type { Context, Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { type GrantHandler, knownApi, requiredParam } from '../grants/grant.js';
import { startRefreshFamily } from '../grants/refresh-family.js';
import { invalidGrant, invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { randomToken } from '../random-token.js';
import { bodyParams } from '../request-params.js';
import { grantableScopes, parseScope } from '../scopes.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type BackchannelRequest, flowState } from './state.js';

/** The CIBA grant type (CIBA Core §10.1). */
export const CIBA_GRANT = 'urn:openid:params:grant-type:ciba';
/** Default and longest lifetime of a request, seconds. */
const DEFAULT_EXPIRY = 300;
/** Poll interval the tenant asks for, seconds (short: a dev tenant has no phone to wait for). */
export const CIBA_INTERVAL_SECONDS = 1;

/**
 * `POST /bc-authorize` (CIBA Core §7, poll mode, Auth0's `iss_sub` login hint), and the admin
 * surface that stands in for the user's phone: `POST /__admin/ciba/decide`
 * `{ authReqId?, sub?, approve }` (the newest pending request when no id is given).
 */
export function registerCibaRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post(
    '/bc-authorize',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await authenticateClient(
        runtime,
        params,
        '/bc-authorize',
        c.req.header('authorization'),
      );
      c.var.log.clientId = client.clientId;
      if (!client.grantTypes.includes(CIBA_GRANT)) {
        throw new OAuthErrorResponse('unauthorized_client', 'the client may not use CIBA', {
          status: 403,
        });
      }
      const scope = parseScope(requiredParam(params, 'scope'));
      if (!scope.includes('openid')) throw invalidRequest('"scope" must include openid');
      const bindingMessage = requiredParam(params, 'binding_message');
      let hint: unknown;
      try {
        hint = JSON.parse(requiredParam(params, 'login_hint'));
      } catch {
        throw invalidRequest('"login_hint" must be JSON ({ format: "iss_sub", iss, sub })');
      }
      const { format, iss, sub } = (hint ?? {}) as Record<string, unknown>;
      if (format !== 'iss_sub' || iss !== runtime.issuer() || typeof sub !== 'string') {
        throw invalidRequest('"login_hint" must be { format: "iss_sub", iss: <issuer>, sub }');
      }
      const user = runtime.directory.user(sub);
      if (!user) throw new OAuthErrorResponse('unknown_user_id', 'unknown user');
      const audience = params.get('audience');
      const api = audience === undefined ? undefined : knownApi(runtime, audience);
      const expiryText = params.get('requested_expiry');
      let expiry = DEFAULT_EXPIRY;
      if (expiryText !== undefined) {
        if (!/^\d{1,6}$/.test(expiryText) || Number(expiryText) < 1) {
          throw invalidRequest('"requested_expiry" must be a positive integer');
        }
        expiry = Math.min(Number(expiryText), DEFAULT_EXPIRY);
      }
      const request: BackchannelRequest = {
        authReqId: randomToken(24),
        clientId: client.clientId,
        userId: user.user_id,
        scope: grantableScopes(scope, api),
        bindingMessage,
        status: 'pending',
        expiresAt: runtime.clock.now() + expiry,
        interval: CIBA_INTERVAL_SECONDS,
      };
      if (audience !== undefined) request.audience = audience;
      flowState(runtime).ciba.set(request.authReqId, request);
      return c.json(
        { auth_req_id: request.authReqId, expires_in: expiry, interval: request.interval },
        200,
        NO_STORE,
      );
    }),
  );

  if (!runtime.settings.admin) return;
  app.post('/__admin/ciba/decide', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const pending = [...flowState(runtime).ciba.values()].filter(
      (request) =>
        request.status === 'pending' &&
        (body.authReqId === undefined || request.authReqId === body.authReqId) &&
        (body.sub === undefined || request.userId === body.sub),
    );
    const request = pending.at(-1);
    if (!request) return c.json({ error: 'no pending backchannel request' }, 404);
    request.status = body.approve === true ? 'approved' : 'denied';
    return c.json({ bindingMessage: request.bindingMessage, status: request.status });
  });
}

/** The CIBA grant: `authorization_pending` / `slow_down` until the user decides. */
export const cibaGrant: GrantHandler = async (context) => {
  const { runtime, client, params, proof } = context;
  const id = requiredParam(params, 'auth_req_id');
  const requests = flowState(runtime).ciba;
  const request = requests.get(id);
  if (!request || request.clientId !== client.clientId || request.status === 'redeemed') {
    throw invalidGrant('Invalid or expired auth_req_id');
  }
  const now = runtime.clock.now();
  if (request.expiresAt <= now) {
    requests.delete(id);
    throw new OAuthErrorResponse('expired_token', 'The backchannel request has expired');
  }
  if (request.status === 'denied') {
    requests.delete(id);
    throw new OAuthErrorResponse('access_denied', 'The user denied the request', { status: 403 });
  }
  if (request.status === 'pending') {
    // CIBA Core §11: polling faster than `interval` is slow_down. A rate of requests, so real
    // milliseconds: the tenant clock counts whole seconds, and two polls 10 ms apart across a
    // second's boundary looked a second apart (the test of slow_down failed now and then).
    const nowMs = Date.now();
    const tooSoon =
      request.lastPolledAtMs !== undefined &&
      nowMs - request.lastPolledAtMs < request.interval * 1000;
    request.lastPolledAtMs = nowMs;
    if (tooSoon) throw new OAuthErrorResponse('slow_down', 'Polling too fast');
    throw new OAuthErrorResponse('authorization_pending', 'The user has not decided yet');
  }
  request.status = 'redeemed';
  const user = runtime.directory.user(request.userId);
  if (!user) throw invalidGrant('the user no longer exists');
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope: request.scope,
    authTime: now,
    ...(request.audience === undefined ? {} : { audience: request.audience }),
  });
  const grant: TokenGrant = { client, user, scope: request.scope, authTime: now, gty: 'ciba' };
  if (request.audience !== undefined) grant.audience = request.audience;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  return (await issueTokens(runtime, grant, family?.token)).body;
};
