// The auth-js 1.16 methods of AuthClient beyond the code flow, each over real HTTP against the
// local tenant: CIBA (with polling), passwordless (email, SMS, the database-connection OTP
// challenge), database sign-up and password reset, anonymous sessions, isFederatedDomain, and the
// account-linking URLs.

import type { ClientConfig, StartedTenant } from 'auth0-enclave-tenant';
import { defaultTenantOptions } from 'auth0-enclave-tenant';
import {
  ALICE,
  API,
  adminGet,
  adminPost,
  REDIRECT_URI,
  startTestTenant,
  TEST_SPA,
} from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AnonymousSessionError,
  AuthClient,
  BackchannelAuthenticationError,
  ChangePasswordError,
  InvalidStateError,
  isFederatedDomain,
  MissingClientAuthError,
  OAuthError,
  PasswordlessChallengeError,
  PasswordlessStartError,
  PasswordlessVerifyError,
  SignUpError,
  TokenResponse,
} from '../../../src/core/index.js';
import { expectError } from '../../helpers/expect-error.js';

const WEB_APP: ClientConfig = {
  clientId: 'web-app',
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecret: 'web-app-secret',
  redirectUris: [REDIRECT_URI],
  grantTypes: [
    'authorization_code',
    'refresh_token',
    'http://auth0.com/oauth/grant-type/passwordless/otp',
    'urn:openid:params:grant-type:ciba',
  ],
};

let server: StartedTenant;
let issuer: string;

beforeAll(async () => {
  server = await startTestTenant({
    clients: [...defaultTenantOptions().clients, TEST_SPA, WEB_APP],
  });
  issuer = server.issuer;
});
afterAll(() => server.close());
beforeEach(async () => {
  await adminPost(issuer, 'reset');
});

function webApp(): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'web-app',
    clientSecret: 'web-app-secret',
    authorizationParams: { redirect_uri: REDIRECT_URI },
    timeoutMs: 3_000,
  });
}

function publicApp(): AuthClient {
  return new AuthClient({ domain: issuer, clientId: 'test-spa', timeoutMs: 3_000 });
}

async function lastCodeTo(to: string): Promise<string> {
  const messages = (await adminGet(issuer, `outbox?to=${encodeURIComponent(to)}`)).body;
  expect(messages.length).toBeGreaterThan(0);
  return messages.at(-1).code;
}

describe('CIBA', () => {
  it('backchannelAuthentication polls until the user approves, and returns verified tokens', async () => {
    const auth = webApp();
    const pending = auth.backchannelAuthentication({
      bindingMessage: 'Transfer 42',
      loginHint: { sub: ALICE.sub },
    });
    // The user approves on "their phone" after the first poll came back pending.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const decided = await adminPost(issuer, 'ciba/decide', { sub: ALICE.sub, approve: true });
    expect(decided.body).toMatchObject({ bindingMessage: 'Transfer 42', status: 'approved' });
    const tokens = await pending;
    expect(tokens).toBeInstanceOf(TokenResponse);
    expect(tokens.claims?.sub).toBe(ALICE.sub);
    // auth-js's default CIBA scope includes offline_access.
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const polls = (await adminGet(issuer, 'requests?path=/oauth/token')).body;
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(
      polls.every(
        (entry: { grantType: string }) => entry.grantType === 'urn:openid:params:grant-type:ciba',
      ),
    ).toBe(true);
  });

  it('initiate + grant: authorization_pending, slow_down when polled too fast, then access_denied', async () => {
    const auth = webApp();
    const started = await auth.initiateBackchannelAuthentication({
      bindingMessage: 'Sign in',
      loginHint: { sub: ALICE.sub },
      requestedExpiry: 60,
      authorizationParams: { audience: API, scope: 'openid read:notes' },
    });
    expect(started).toMatchObject({ authReqId: expect.any(String), expiresIn: 60, interval: 1 });
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId: started.authReqId }),
      BackchannelAuthenticationError,
      { error: 'authorization_pending' },
    );
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId: started.authReqId }),
      BackchannelAuthenticationError,
      { error: 'slow_down' },
    );
    await adminPost(issuer, 'ciba/decide', { authReqId: started.authReqId, approve: false });
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId: started.authReqId }),
      BackchannelAuthenticationError,
      { error: 'access_denied', status: 403 },
    );
  });

  it('two polls a moment apart across a second boundary are still slow_down (spacing is timed in ms)', async () => {
    const auth = webApp();
    const started = await auth.initiateBackchannelAuthentication({
      bindingMessage: 'Sign in',
      loginHint: { sub: ALICE.sub },
    });
    // The first poll late in a second, the next just after it: whole seconds differ by one.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) - 60 + 1000));
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId: started.authReqId }),
      BackchannelAuthenticationError,
      { error: 'authorization_pending' },
    );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, 1000 - (Date.now() % 1000)) + 20),
    );
    await expectError(
      auth.backchannelAuthenticationGrant({ authReqId: started.authReqId }),
      BackchannelAuthenticationError,
      { error: 'slow_down' },
    );
  });

  it('an approved request with an audience yields an API token, once', async () => {
    const auth = webApp();
    const { authReqId } = await auth.initiateBackchannelAuthentication({
      bindingMessage: 'Read notes',
      loginHint: { sub: ALICE.sub },
      authorizationParams: { audience: API, scope: 'openid read:notes' },
    });
    await adminPost(issuer, 'ciba/decide', { authReqId, approve: true });
    const tokens = await auth.backchannelAuthenticationGrant({ authReqId });
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ aud: expect.arrayContaining([API]) });
    await expectError(auth.backchannelAuthenticationGrant({ authReqId }), OAuthError, {
      error: 'invalid_grant',
    });
  });

  it('the request is aborted by requestOptions.signal while polling', async () => {
    const controller = new AbortController();
    const pending = webApp().backchannelAuthentication(
      { bindingMessage: 'x', loginHint: { sub: ALICE.sub } },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('stopped by the test')), 300);
    await expect(pending).rejects.toThrow('stopped by the test');
  });

  it('an unknown user is refused at /bc-authorize; a public client never sends', async () => {
    await expectError(
      webApp().initiateBackchannelAuthentication({
        bindingMessage: 'x',
        loginHint: { sub: 'auth0|nobody' },
      }),
      BackchannelAuthenticationError,
      { error: 'unknown_user_id' },
    );
    await expectError(
      publicApp().initiateBackchannelAuthentication({
        bindingMessage: 'x',
        loginHint: { sub: ALICE.sub },
      }),
      MissingClientAuthError,
    );
  });
});

describe('passwordless', () => {
  it('email: sendEmail puts a code in the outbox; getTokenByPasswordlessEmail redeems it once', async () => {
    const auth = webApp();
    await auth.passwordless.sendEmail({ email: ALICE.email, language: 'fr-CA' });
    const code = await lastCodeTo(ALICE.email);
    const tokens = await auth.getTokenByPasswordlessEmail({
      email: ALICE.email,
      code,
      scope: 'openid profile email offline_access',
    });
    expect(tokens.claims?.sub).toBe(ALICE.sub);
    expect(tokens.refreshToken).toEqual(expect.any(String));
    const [start] = (await adminGet(issuer, 'requests?path=/passwordless/start')).body;
    expect(start).toMatchObject({ status: 200, clientId: 'web-app' });
    await expectError(
      auth.getTokenByPasswordlessEmail({ email: ALICE.email, code }),
      PasswordlessVerifyError,
      { error: 'invalid_grant', status: 403 },
    );
  });

  it('sms: a new phone number gets a user; a wrong code is invalid_grant', async () => {
    const auth = webApp();
    const phone = '+14155550100';
    const sent = await auth.passwordless.sendSms({ phoneNumber: phone, fullResponse: true });
    expect(sent.data).toBeUndefined();
    expect(sent.response.status).toBe(200);
    const code = await lastCodeTo(phone);
    await expectError(
      auth.getTokenByPasswordlessSms({
        phoneNumber: phone,
        code: code === '000000' ? '111111' : '000000',
      }),
      PasswordlessVerifyError,
      { error: 'invalid_grant' },
    );
    const tokens = await auth.getTokenByPasswordlessSms({
      phoneNumber: phone,
      code,
      scope: 'openid',
    });
    expect(tokens.claims?.sub).toMatch(/^sms\|/);
  });

  it('a phone number that is not E.164 is a TypeError before anything is sent', async () => {
    await expect(webApp().passwordless.sendSms({ phoneNumber: '4155550100' })).rejects.toThrow(
      TypeError,
    );
    expect((await adminGet(issuer, 'requests?path=/passwordless/start')).body).toHaveLength(0);
  });

  it('magic link: sendEmail({ send: "link" }), follow it, getTokenByMagicLinkCode checks state', async () => {
    const auth = webApp();
    await auth.passwordless.sendEmail({
      email: ALICE.email,
      send: 'link',
      authParams: { redirect_uri: REDIRECT_URI, scope: 'openid email', state: 'link-state' },
    });
    const link = await lastCodeTo(ALICE.email);
    expect(link).toMatch(/\/passwordless\/verify_redirect\?token=/);
    const followed = await fetch(link, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    const callback = new URL(followed.headers.get('location') as string);
    expect(callback.searchParams.get('state')).toBe('link-state');
    // A callback that is not the link's (another state) is refused before any code exchange.
    await expectError(
      auth.getTokenByMagicLinkCode(callback, { expectedState: 'other' }),
      InvalidStateError,
    );
    await expect(
      auth.getTokenByMagicLinkCode(callback, {} as { expectedState: string }),
    ).rejects.toMatchObject({ code: 'invalid_state' });
    expect((await adminGet(issuer, 'requests?path=/oauth/token')).body).toHaveLength(0);
    const tokens = await auth.getTokenByMagicLinkCode(callback, { expectedState: 'link-state' });
    expect(tokens.claims?.sub).toBe(ALICE.sub);
    // The link is single-use.
    expect((await fetch(link, { redirect: 'manual' })).status).toBe(400);
  });

  it('a magic link with an unregistered redirect_uri is refused at /passwordless/start', async () => {
    await expectError(
      webApp().passwordless.sendEmail({
        email: ALICE.email,
        send: 'link',
        authParams: { redirect_uri: 'https://evil.example/cb', state: 's' },
      }),
      PasswordlessStartError,
      { error: 'invalid_request' },
    );
  });

  it('a public client is refused before sending (MissingClientAuthError)', async () => {
    await expectError(
      publicApp().passwordless.sendEmail({ email: ALICE.email }),
      MissingClientAuthError,
    );
    await expectError(
      publicApp().getTokenByPasswordlessEmail({ email: ALICE.email, code: '123456' }),
      MissingClientAuthError,
    );
  });

  it('database connection OTP: challengeWithEmail, then getTokenByPasswordlessDbConnection', async () => {
    const auth = webApp();
    const { authSession } = await auth.passwordless.challengeWithEmail({
      email: ALICE.email,
      connection: 'Username-Password-Authentication',
    });
    const otp = await lastCodeTo(ALICE.email);
    const tokens = await auth.passwordless.getTokenByPasswordlessDbConnection({
      authSession,
      otp,
      scope: 'openid',
    });
    expect(tokens.claims?.sub).toBe(ALICE.sub);
  });

  it('challengeWithPhoneNumber for an unknown number without allowSignup is refused', async () => {
    await expectError(
      webApp().passwordless.challengeWithPhoneNumber({
        phoneNumber: '+14155550199',
        connection: 'Username-Password-Authentication',
        deliveryMethod: 'voice',
      }),
      PasswordlessChallengeError,
      { error: 'access_denied' },
    );
    const { authSession } = await webApp().passwordless.challengeWithPhoneNumber({
      phoneNumber: '+14155550199',
      connection: 'Username-Password-Authentication',
      allowSignup: true,
    });
    expect(authSession).toEqual(expect.any(String));
  });
});

describe('database connections', () => {
  it('signUp creates a user who can then log in; a second sign-up is refused', async () => {
    const auth = webApp();
    const result = await auth.database.signUp({
      email: 'new@example.com',
      password: 'correct horse battery',
      connection: 'Username-Password-Authentication',
      givenName: 'New',
      userMetadata: { plan: 'free' },
    });
    expect(result).toMatchObject({
      id: expect.any(String),
      email: 'new@example.com',
      emailVerified: false,
      givenName: 'New',
      userMetadata: { plan: 'free' },
    });
    const again = await expectError(
      auth.database.signUp({
        email: 'new@example.com',
        password: 'correct horse battery',
        connection: 'Username-Password-Authentication',
      }),
      SignUpError,
      { error: 'invalid_signup', status: 400 },
    );
    expect(again.statusCode).toBe(400);
  });

  it('signUp with fullResponse returns the HTTP response; a weak password is refused', async () => {
    const full = await webApp().database.signUp({
      email: 'full@example.com',
      password: 'long enough password',
      connection: 'Username-Password-Authentication',
      fullResponse: true,
    });
    expect(full.data.email).toBe('full@example.com');
    expect(full.response.status).toBe(200);
    expect(await full.response.json()).toMatchObject({ email: 'full@example.com' });
    await expectError(
      webApp().database.signUp({
        email: 'weak@example.com',
        password: 'short',
        connection: 'Username-Password-Authentication',
      }),
      SignUpError,
      { error: 'invalid_password' },
    );
  });

  it('changePassword answers the same for known and unknown users, and only mails the known', async () => {
    const auth = webApp();
    const known = await auth.database.changePassword({
      email: ALICE.email,
      connection: 'Username-Password-Authentication',
    });
    const unknown = await auth.database.changePassword({
      email: 'nobody@example.com',
      connection: 'Username-Password-Authentication',
    });
    expect(known).toBe(unknown);
    expect((await adminGet(issuer, `outbox?to=${ALICE.email}`)).body).toHaveLength(1);
    expect((await adminGet(issuer, 'outbox?to=nobody@example.com')).body).toHaveLength(0);
    await expect(
      auth.database.changePassword({ connection: 'Username-Password-Authentication' }),
    ).rejects.toThrow('one of "options.email" and "options.username" is required');
    await expectError(
      new AuthClient({ domain: issuer, clientId: 'nope' }).database.changePassword({
        email: ALICE.email,
        connection: 'c',
      }),
      ChangePasswordError,
      { error: 'invalid_request' },
    );
  });
});

describe('anonymous sessions', () => {
  it('createSession, getAccessToken renews it, mintTransferToken, logout', async () => {
    const auth = webApp();
    const session = await auth.anonymous.createSession({
      audience: API,
      metadata: { from: 'home' },
    });
    expect(session).toMatchObject({
      sessionToken: expect.any(String),
      accessToken: expect.any(String),
      expiresAt: expect.any(Number),
      sessionTokenExpiresAt: expect.any(Number),
    });
    expect(decodeJwt(session.accessToken)).toMatchObject({
      aud: API,
      sub: expect.stringMatching(/^anon@/),
    });
    const renewed = await auth.anonymous.getAccessToken({
      sessionToken: session.sessionToken,
      audience: API,
    });
    expect(renewed.sessionToken).toBe(session.sessionToken);
    expect(decodeJwt(renewed.accessToken).sub).toBe(decodeJwt(session.accessToken).sub);
    expect(await auth.anonymous.mintTransferToken(session.sessionToken)).toEqual(
      expect.any(String),
    );
    expect(await auth.anonymous.mintTransferToken('unknown')).toBeNull();
    await auth.anonymous.logout();
    await expectError(
      auth.anonymous.getAccessToken({ sessionToken: 'unknown' }),
      AnonymousSessionError,
      { error: 'invalid_session_token', status: 401 },
    );
  });
});

describe('isFederatedDomain', () => {
  it('asks the tenant WebFinger: true for an enterprise domain, false otherwise', async () => {
    expect(await isFederatedDomain(issuer, 'corp.example.com')).toBe(true);
    expect(await isFederatedDomain(issuer, 'gmail.com')).toBe(false);
    const seen = (await adminGet(issuer, 'requests?path=/.well-known/webfinger')).body;
    expect(seen).toHaveLength(2);
    // Cached: no new request.
    expect(await isFederatedDomain(issuer, 'CORP.example.com')).toBe(true);
    expect((await adminGet(issuer, 'requests?path=/.well-known/webfinger')).body).toHaveLength(2);
  });
});

describe('account linking URLs', () => {
  it('buildLinkUserUrl and buildUnlinkUserUrl carry the connection, the ID token hint and the linking scope', async () => {
    const auth = webApp();
    const link = await auth.buildLinkUserUrl({
      connection: 'google-oauth2',
      connectionScope: 'https://www.googleapis.com/auth/calendar',
      idToken: 'id.token.hint',
    });
    expect(Object.fromEntries(link.linkUserUrl.searchParams)).toMatchObject({
      scope: 'openid link_account offline_access',
      requested_connection: 'google-oauth2',
      requested_connection_scope: 'https://www.googleapis.com/auth/calendar',
      id_token_hint: 'id.token.hint',
      code_challenge_method: 'S256',
      redirect_uri: REDIRECT_URI,
    });
    expect(link.codeVerifier).toEqual(expect.any(String));
    const unlink = await auth.buildUnlinkUserUrl({ connection: 'google-oauth2', idToken: 'h' });
    expect(unlink.unlinkUserUrl.searchParams.get('scope')).toBe('openid unlink_account');
    // The tenant accepts the request (it ignores requested_connection as it ignores connection).
    const page = await fetch(link.linkUserUrl, { redirect: 'manual' });
    expect(page.status).toBe(200);
  });
});
