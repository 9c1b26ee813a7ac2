import type { Context } from 'hono';
import type { AuthorizationRequest } from './authorization-request.js';
import { sendAuthorizationResponse } from './authorization-response.js';
import type { TenantRuntime } from './context.js';
import { randomToken } from './random-token.js';
import type { Session } from './store.js';

/**
 * Issues an authorization code for a logged-in session and sends it back to the client. The
 * code remembers everything the token request must match (client, redirect_uri, PKCE, DPoP key).
 */
export function completeAuthorization(
  c: Context,
  runtime: TenantRuntime,
  request: AuthorizationRequest,
  session: Session,
): Response {
  const now = runtime.clock.now();
  runtime.store.prune(now);
  const code = randomToken();
  runtime.store.codes.set(code, {
    request,
    userId: session.userId,
    sid: session.sid,
    authTime: session.authTime,
    expiresAt: now + runtime.settings.codeLifetimeSeconds,
    used: false,
    issued: { accessTokenJtis: [], refreshFamilyIds: [] },
  });
  session.clientIds.add(request.clientId);
  return sendAuthorizationResponse(c, runtime, request, { code });
}
