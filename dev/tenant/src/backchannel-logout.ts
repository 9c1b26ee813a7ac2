import { SignJWT } from 'jose';
import type { TenantRuntime } from './context.js';
import { randomToken } from './random-token.js';
import type { Session } from './store.js';

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const LOGOUT_TOKEN_LIFETIME_SECONDS = 120;
const DELIVERY_TIMEOUT_MS = 5000;

/**
 * Tells every client that took part in `session` and registered a back-channel logout URI that
 * the session ended (OIDC Back-Channel Logout 1.0): a form POST of `logout_token`, a signed JWT
 * with `sid`, `sub` and the logout event, and no `nonce`. Delivery is best effort, as in Auth0:
 * a client that is down does not hold the user's logout up.
 */
export async function sendBackchannelLogout(
  runtime: TenantRuntime,
  session: Session,
): Promise<void> {
  const key = await runtime.signingKey;
  const now = runtime.clock.now();
  const deliveries = [...session.clientIds].map(async (clientId) => {
    const uri = runtime.directory.client(clientId)?.backchannelLogoutUri;
    if (uri === undefined) return;
    const logoutToken = await new SignJWT({
      sid: session.sid,
      events: { [BACKCHANNEL_EVENT]: {} },
      jti: randomToken(16),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'logout+jwt' })
      .setIssuer(runtime.issuer())
      .setAudience(clientId)
      .setSubject(session.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + LOGOUT_TOKEN_LIFETIME_SECONDS)
      .sign(key.privateKey);
    await fetch(uri, {
      method: 'POST',
      body: new URLSearchParams({ logout_token: logoutToken }),
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
  });
  await Promise.allSettled(deliveries);
}
