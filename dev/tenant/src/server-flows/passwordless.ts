import type { Context, Hono } from 'hono';
import { completeAuthorization } from '../authorization-completion.js';
import { type AuthorizationRequest, parseAuthorizationRequest } from '../authorization-request.js';
import { authenticateClient } from '../client-auth.js';
import type { UserConfig } from '../config.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { type GrantHandler, knownApi, requiredParam } from '../grants/grant.js';
import { startRefreshFamily } from '../grants/refresh-family.js';
import { errorPage } from '../html-page.js';
import { newSixDigitCode } from '../mfa/codes.js';
import { invalidGrant, invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { randomToken } from '../random-token.js';
import { bodyParams, RequestParams } from '../request-params.js';
import { grantableScopes, parseScope } from '../scopes.js';
import { secretsEqual } from '../secret-compare.js';
import { setSessionCookie } from '../session-cookie.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { CODE_ATTEMPTS, CODE_LIFETIME_SECONDS, flowState, type SentCode } from './state.js';

/** Auth0's passwordless OTP grant. */
export const PASSWORDLESS_OTP_GRANT = 'http://auth0.com/oauth/grant-type/passwordless/otp';

const E164 = /^\+[1-9]\d{1,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function codeKey(clientId: string, realm: string, username: string): string {
  return `${clientId}\u0000${realm}\u0000${username.toLowerCase()}`;
}

/** Puts a fresh code for `to` into the outbox (the test surface reads it at /__admin/outbox). */
function sendCode(runtime: TenantRuntime, channel: 'email' | 'sms' | 'voice', to: string): string {
  const code = newSixDigitCode();
  runtime.store.mfa.outbox.push({ at: new Date().toISOString(), channel, to, code });
  return code;
}

/** Only confidential clients may start passwordless flows, as Auth0 requires for server apps. */
async function confidentialClient(runtime: TenantRuntime, params: RequestParams, path: string) {
  const client = await authenticateClient(runtime, params, path);
  if (client.tokenEndpointAuthMethod === 'none') {
    throw new OAuthErrorResponse(
      'unauthorized_client',
      'this endpoint needs client authentication',
      {
        status: 401,
      },
    );
  }
  return client;
}

/** The user a passwordless login names, created on first use as Auth0's passwordless connections do. */
function passwordlessUser(runtime: TenantRuntime, realm: string, username: string): UserConfig {
  if (realm === 'sms') {
    const found = runtime.directory.users().find((user) => user.phone_number === username);
    if (found) return found;
    const user: UserConfig = {
      user_id: `sms|${randomToken(8)}`,
      email: `${username.slice(1)}@sms.invalid`,
      password: randomToken(),
      phone_number: username,
      phone_number_verified: true,
    };
    runtime.directory.upsertUser(user);
    return user;
  }
  const found = runtime.directory.userByEmail(username);
  if (found) return found;
  const user: UserConfig = {
    user_id: `email|${randomToken(8)}`,
    email: username,
    password: randomToken(),
    email_verified: true,
  };
  runtime.directory.upsertUser(user);
  return user;
}

/** `POST /passwordless/start` and `POST /otp/challenge`. */
export function registerPasswordlessRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post(
    '/passwordless/start',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await confidentialClient(runtime, params, '/passwordless/start');
      c.var.log.clientId = client.clientId;
      const connection = requiredParam(params, 'connection');
      let realm: 'email' | 'sms';
      let to: string;
      if (connection === 'email') {
        to = requiredParam(params, 'email');
        if (!EMAIL.test(to)) throw invalidRequest('"email" is not an email address');
        const send = params.get('send') ?? 'code';
        if (send === 'link') {
          const link = magicLink(runtime, client.clientId, to, params.json('authParams'));
          runtime.store.mfa.outbox.push({
            at: new Date().toISOString(),
            channel: 'email',
            to,
            code: link,
          });
          return c.json({ _id: randomToken(8), email: to, email_verified: false }, 200, NO_STORE);
        }
        if (send !== 'code') throw invalidRequest('"send" must be "code" or "link"');
        realm = 'email';
      } else if (connection === 'sms') {
        to = requiredParam(params, 'phone_number');
        if (!E164.test(to)) throw invalidRequest('"phone_number" must be E.164');
        realm = 'sms';
      } else {
        throw invalidRequest(`unknown connection "${connection}" (use "email" or "sms")`);
      }
      const code = sendCode(runtime, realm, to);
      const sent: SentCode = {
        clientId: client.clientId,
        realm,
        username: to,
        code,
        expiresAt: runtime.clock.now() + CODE_LIFETIME_SECONDS,
        attempts: 0,
      };
      flowState(runtime).codes.set(codeKey(client.clientId, realm, to), sent);
      const body: Record<string, unknown> = { _id: randomToken(8) };
      if (realm === 'email') Object.assign(body, { email: to, email_verified: false });
      else Object.assign(body, { phone_number: to, phone_verified: false });
      return c.json(body, 200, NO_STORE);
    }),
  );

  app.post(
    '/otp/challenge',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await confidentialClient(runtime, params, '/otp/challenge');
      c.var.log.clientId = client.clientId;
      const connection = requiredParam(params, 'connection');
      const email = params.get('email');
      const phone = params.get('phone_number');
      if ((email === undefined) === (phone === undefined)) {
        throw invalidRequest('exactly one of "email" and "phone_number" is required');
      }
      if (phone !== undefined && !E164.test(phone)) {
        throw invalidRequest('"phone_number" must be E.164');
      }
      const username = email ?? (phone as string);
      const allowSignup = params.get('allow_signup') === 'true';
      const known =
        email !== undefined
          ? runtime.directory.userByEmail(email)
          : runtime.directory.users().find((user) => user.phone_number === phone);
      if (!known && !allowSignup) {
        throw new OAuthErrorResponse('access_denied', 'unknown user and allow_signup is false', {
          status: 403,
        });
      }
      const channel =
        email !== undefined ? 'email' : params.get('delivery_method') === 'voice' ? 'voice' : 'sms';
      const authSession = randomToken(24);
      flowState(runtime).codes.set(authSession, {
        clientId: client.clientId,
        realm: connection,
        username,
        code: sendCode(runtime, channel, username),
        expiresAt: runtime.clock.now() + CODE_LIFETIME_SECONDS,
        attempts: 0,
      });
      return c.json({ auth_session: authSession }, 200, NO_STORE);
    }),
  );
}

/** A magic link waiting to be followed: the authorization request it completes, for whom. */
interface PendingLink {
  request: AuthorizationRequest;
  email: string;
  expiresAt: number;
}

const LINKS = new WeakMap<TenantRuntime, Map<string, PendingLink>>();

/**
 * Checks a magic link's `authParams` as /authorize checks a request (no PKCE: the link has none,
 * so only confidential clients may send one) and returns the link URL that goes to the outbox.
 */
function magicLink(
  runtime: TenantRuntime,
  clientId: string,
  email: string,
  authParams: unknown,
): string {
  if (typeof authParams !== 'object' || authParams === null || Array.isArray(authParams)) {
    throw invalidRequest(
      '"authParams" (an object with redirect_uri, state …) is required for a link',
    );
  }
  const search = new URLSearchParams({ response_type: 'code' });
  for (const [key, value] of Object.entries(authParams)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      search.set(key, String(value));
    }
  }
  search.set('client_id', clientId);
  const parsed = parseAuthorizationRequest(
    RequestParams.fromSearchParams(search),
    runtime.directory,
  );
  if (parsed.kind === 'fatal') throw invalidRequest(parsed.message);
  if (parsed.kind === 'error') throw new OAuthErrorResponse(parsed.error, parsed.description);
  let links = LINKS.get(runtime);
  if (!links) {
    links = new Map();
    LINKS.set(runtime, links);
  }
  const token = randomToken(24);
  links.set(token, {
    request: parsed.request,
    email,
    expiresAt: runtime.clock.now() + CODE_LIFETIME_SECONDS,
  });
  const url = new URL('/passwordless/verify_redirect', runtime.issuer());
  url.searchParams.set('token', token);
  return url.href;
}

/**
 * `GET /passwordless/verify_redirect?token=…`: the magic link. Single use; logs the user in (a
 * new session) and answers the pushed request with a code, as a login would.
 */
export function registerMagicLinkRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.get('/passwordless/verify_redirect', (c) => {
    const token = c.req.query('token') ?? '';
    const links = LINKS.get(runtime);
    const link = links?.get(token);
    links?.delete(token);
    const now = runtime.clock.now();
    if (!link || link.expiresAt <= now) {
      return errorPage(c, {
        title: 'Invalid link',
        message: 'The link is invalid or has expired.',
      });
    }
    const user = passwordlessUser(runtime, 'email', link.email);
    const session = runtime.store.createSession(
      user.user_id,
      now,
      runtime.settings.sessionLifetimeSeconds,
    );
    setSessionCookie(c, runtime, session);
    return completeAuthorization(c, runtime, link.request, session);
  });
}

/** Checks a code against what was sent; wrong guesses count, the third burns the code. */
function redeemCode(
  runtime: TenantRuntime,
  key: string,
  sent: SentCode | undefined,
  otp: string,
): SentCode {
  const state = flowState(runtime);
  if (!sent || sent.expiresAt <= runtime.clock.now()) {
    state.codes.delete(key);
    throw invalidGrant('Wrong phone number or email or verification code.', 403);
  }
  if (!secretsEqual(otp, sent.code)) {
    sent.attempts += 1;
    if (sent.attempts >= CODE_ATTEMPTS) state.codes.delete(key);
    throw invalidGrant('Wrong phone number or email or verification code.', 403);
  }
  state.codes.delete(key);
  return sent;
}

/**
 * The passwordless OTP grant: `realm` (`email`/`sms`) + `username` + `otp` after
 * `/passwordless/start`, or `auth_session` + `otp` after `/otp/challenge`.
 */
export const passwordlessOtpGrant: GrantHandler = async (context) => {
  const { runtime, client, params, proof } = context;
  const otp = requiredParam(params, 'otp');
  const authSession = params.get('auth_session');
  let sent: SentCode;
  let realm: string;
  if (authSession !== undefined) {
    const candidate = flowState(runtime).codes.get(authSession);
    sent = redeemCode(
      runtime,
      authSession,
      candidate?.clientId === client.clientId ? candidate : undefined,
      otp,
    );
    realm = sent.username.includes('@') ? 'email' : 'sms';
  } else {
    realm = requiredParam(params, 'realm');
    const username = requiredParam(params, 'username');
    const key = codeKey(client.clientId, realm, username);
    sent = redeemCode(runtime, key, flowState(runtime).codes.get(key), otp);
  }
  const user = passwordlessUser(runtime, realm, sent.username);
  const audience = params.get('audience');
  const api = audience === undefined ? undefined : knownApi(runtime, audience);
  const scope = grantableScopes(parseScope(params.get('scope') ?? 'openid'), api);
  const authTime = runtime.clock.now();
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope,
    authTime,
    ...(audience === undefined ? {} : { audience }),
  });
  const grant: TokenGrant = { client, user, scope, authTime, gty: 'passwordless', amr: ['otp'] };
  if (audience !== undefined) grant.audience = audience;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  return (await issueTokens(runtime, grant, family?.token)).body;
};
