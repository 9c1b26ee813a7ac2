import type { Context, Hono } from 'hono';
import { SignJWT } from 'jose';
import { authenticateClient } from '../client-auth.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { knownApi } from '../grants/grant.js';
import { OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { randomToken } from '../random-token.js';
import { bodyParams } from '../request-params.js';
import { flowState } from './state.js';

/** Anonymous sessions last a day; their access tokens an hour. */
const SESSION_SECONDS = 24 * 3600;
const ACCESS_SECONDS = 3600;
const TRANSFER_AUDIENCE = 'urn:auth0:anon_transfer';

/**
 * Auth0's anonymous sessions: `POST /anonymous/token` creates a session (opaque `session_token`)
 * or re-mints its access token, `POST /anonymous/logout` ends it. Server-side there is no
 * cookie: the session is named by `session_token` in the body.
 */
export function registerAnonymousRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post(
    '/anonymous/token',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await authenticateClient(
        runtime,
        params,
        '/anonymous/token',
        c.req.header('authorization'),
      );
      c.var.log.clientId = client.clientId;
      const sessions = flowState(runtime).anonymous;
      const now = runtime.clock.now();
      const sessionToken = params.get('session_token');
      const audience = params.get('audience');
      if (sessionToken !== undefined) {
        const session = sessions.get(sessionToken);
        if (!session || session.clientId !== client.clientId) {
          throw new OAuthErrorResponse('invalid_session_token', 'Unknown session token', {
            status: 401,
          });
        }
        if (session.expiresAt <= now) {
          sessions.delete(sessionToken);
          throw new OAuthErrorResponse('session_expired', 'The anonymous session has expired', {
            status: 401,
          });
        }
        if (params.json('metadata') !== undefined) {
          throw new OAuthErrorResponse(
            'invalid_request',
            'metadata cannot be provided when session_token is present',
          );
        }
        if (audience === TRANSFER_AUDIENCE) {
          return c.json({ anon_transfer_token: randomToken(24), expires_in: 30 }, 200, NO_STORE);
        }
        return c.json(await accessToken(sessionToken, session.subject), 200, NO_STORE);
      }
      const metadata = params.json('metadata');
      const subject = `anon@${crypto.randomUUID()}`;
      const token = randomToken(32);
      sessions.set(token, {
        clientId: client.clientId,
        subject,
        expiresAt: now + SESSION_SECONDS,
        ...(metadata ? { metadata: metadata as Record<string, string> } : {}),
      });
      return c.json(
        { ...(await accessToken(token, subject)), session_token: token },
        200,
        NO_STORE,
      );

      async function accessToken(session: string, sub: string) {
        if (audience !== undefined) knownApi(runtime, audience);
        const key = await runtime.signingKey;
        const record = sessions.get(session);
        const access = await new SignJWT({
          sub,
          azp: client.clientId,
          client_id: client.clientId,
          scope: params.get('scope') ?? '',
        })
          .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
          .setIssuer(runtime.issuer())
          .setAudience(audience ?? runtime.issuer())
          .setIssuedAt(now)
          .setExpirationTime(now + ACCESS_SECONDS)
          .setJti(randomToken(12))
          .sign(key.privateKey);
        return {
          access_token: access,
          token_type: 'Bearer',
          expires_in: ACCESS_SECONDS,
          session_expires_in: (record?.expiresAt ?? now + SESSION_SECONDS) - now,
          ...(params.get('scope') ? { scope: params.get('scope') } : {}),
        };
      }
    }),
  );

  app.post(
    '/anonymous/logout',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      const sessionToken = params.get('session_token');
      if (sessionToken !== undefined) flowState(runtime).anonymous.delete(sessionToken);
      return c.body(null, 204, NO_STORE);
    }),
  );

  // Auth0's home-realm discovery (used by isFederatedDomain): the tenant has enterprise
  // connections for the email domains in its `federatedDomains` test list (none by default).
  app.get('/.well-known/webfinger', (c) => {
    const resource = c.req.query('resource') ?? '';
    const prefix = 'urn:auth0:discovery:domain:';
    const domain = resource.startsWith(prefix) ? resource.slice(prefix.length) : '';
    if (!FEDERATED.has(domain)) return c.json({ error: 'not_found' }, 404);
    return c.json({
      subject: resource,
      links: [{ rel: 'http://openid.net/specs/connect/1.0/issuer', href: runtime.issuer() }],
    });
  });
}

/** Email domains the tenant routes to an enterprise connection (home-realm discovery). */
const FEDERATED = new Set(['corp.example.com']);
