// The tenant's passkey surface over real HTTP: /passkey/register and /passkey/challenge, then the
// webauthn grant (JSON body) with real attestations and assertions from a software authenticator.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientConfig } from '../src/index.js';
import {
  API,
  APP_ORIGIN,
  adminGet,
  adminPost,
  type DpopKey,
  decodePayload,
  dpopKey,
  dpopProof,
  type JsonResponse,
  postForm,
  readJson,
  useTenant,
} from '../src/testing.js';
import { SoftAuthenticator } from '../src/webauthn-authenticator.js';

const WEBAUTHN_GRANT = 'urn:okta:params:oauth:grant-type:webauthn';
const PASSKEY_SPA: ClientConfig = {
  clientId: 'passkey-spa',
  tokenEndpointAuthMethod: 'none',
  allowedOrigins: [APP_ORIGIN],
  grantTypes: [WEBAUTHN_GRANT, 'refresh_token'],
  dpop: 'allowed',
};

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
beforeEach(() => {
  server.tenant.admin.upsertClient(PASSKEY_SPA);
});

async function postJson(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(new URL(path, issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return readJson(response);
}

/** A fresh email per signup: users created by a signup stay in the directory across resets. */
function newEmail(): string {
  return `carol-${crypto.randomUUID()}@example.com`;
}

function register(profile: Record<string, unknown> = { email: newEmail(), name: 'Carol' }) {
  return postJson('passkey/register', { client_id: 'passkey-spa', user_profile: profile });
}

function challenge(body: Record<string, unknown> = {}) {
  return postJson('passkey/challenge', { client_id: 'passkey-spa', ...body });
}

function webauthnGrant(
  authSession: string,
  authnResponse: unknown,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return postJson(
    'oauth/token',
    {
      grant_type: WEBAUTHN_GRANT,
      client_id: 'passkey-spa',
      auth_session: authSession,
      authn_response: authnResponse,
      scope: 'openid profile email offline_access',
      ...extra,
    },
    headers,
  );
}

/** Signs up carol with a new authenticator; returns it and the grant's answer. */
async function signUp(): Promise<{ authenticator: SoftAuthenticator; tokens: JsonResponse }> {
  const authenticator = await SoftAuthenticator.create();
  const started = await register();
  const credential = await authenticator.register(started.body.authn_params_public_key, {
    origin: APP_ORIGIN,
  });
  const tokens = await webauthnGrant(started.body.auth_session, credential);
  return { authenticator, tokens };
}

describe('POST /passkey/register', () => {
  it('answers an auth_session and WebAuthn creation options (WIRE.md)', async () => {
    const response = await register();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      auth_session: expect.any(String),
      authn_params_public_key: {
        challenge: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
        timeout: 60000,
        rp: { id: 'localhost', name: 'auth0-enclave local tenant' },
        user: {
          id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
          name: expect.stringMatching(/^carol-.*@example\.com$/),
          displayName: 'Carol',
        },
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
          { type: 'public-key', alg: -8 },
        ],
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      },
    });
  });

  it('refuses an email that already belongs to a user, and a profile without email', async () => {
    const taken = await register({ email: 'alice@example.com' });
    expect(taken).toMatchObject({ status: 400, body: { error: 'user_exists' } });
    const noEmail = await register({ username: 'carol' });
    expect(noEmail).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const noProfile = await postJson('passkey/register', { client_id: 'passkey-spa' });
    expect(noProfile).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('refuses unknown clients, clients without the grant and clients without origins', async () => {
    const unknown = await postJson('passkey/register', {
      client_id: 'nobody',
      user_profile: { email: 'x@example.com' },
    });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const noGrant = await postJson('passkey/challenge', { client_id: 'test-spa' });
    expect(noGrant).toMatchObject({ status: 403, body: { error: 'unauthorized_client' } });
    server.tenant.admin.upsertClient({ ...PASSKEY_SPA, clientId: 'no-origin', allowedOrigins: [] });
    const noOrigin = await postJson('passkey/challenge', { client_id: 'no-origin' });
    expect(noOrigin).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('POST /passkey/challenge', () => {
  it('answers an auth_session and WebAuthn request options (WIRE.md)', async () => {
    const response = await challenge({ realm: 'Username-Password-Authentication' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      auth_session: expect.any(String),
      authn_params_public_key: {
        challenge: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
        timeout: 60000,
        rpId: 'localhost',
        userVerification: 'preferred',
      },
    });
  });

  it('refuses an unknown organization', async () => {
    const response = await challenge({ organization: 'org_nope' });
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });
});

describe('the webauthn grant', () => {
  it('signs a new user up, then logs them in with the same passkey', async () => {
    const { authenticator, tokens } = await signUp();
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid profile email offline_access',
      refresh_token: expect.any(String),
    });
    const claims = decodePayload(tokens.body.id_token);
    expect(claims).toMatchObject({
      sub: expect.stringMatching(/^auth0\|/),
      email: expect.stringMatching(/^carol-.*@example\.com$/),
      name: 'Carol',
      email_verified: false,
    });

    const started = await challenge();
    const assertion = await authenticator.authenticate(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const login = await webauthnGrant(started.body.auth_session, assertion, { audience: API });
    expect(login.status).toBe(200);
    expect(decodePayload(login.body.id_token).sub).toBe(claims.sub);
    expect(decodePayload(login.body.access_token)).toMatchObject({
      sub: claims.sub,
      aud: [API, `${issuer}userinfo`],
    });
  });

  it('accepts authn_response as a JSON string in a form body (auth-js’s form path)', async () => {
    const authenticator = await SoftAuthenticator.create();
    const started = await register();
    const credential = await authenticator.register(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const response = await postForm(`${issuer}oauth/token`, {
      grant_type: WEBAUTHN_GRANT,
      client_id: 'passkey-spa',
      auth_session: started.body.auth_session,
      authn_response: JSON.stringify(credential),
    });
    expect(response.status).toBe(200);
  });

  it('refuses a replayed assertion: the auth_session is single-use and the challenge changes', async () => {
    const { authenticator } = await signUp();
    const started = await challenge();
    const assertion = await authenticator.authenticate(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    expect((await webauthnGrant(started.body.auth_session, assertion)).status).toBe(200);
    const sameSession = await webauthnGrant(started.body.auth_session, assertion);
    expect(sameSession).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const fresh = await challenge();
    const newSession = await webauthnGrant(fresh.body.auth_session, assertion);
    expect(newSession).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });

  it('refuses an assertion whose signature counter did not move forward (a cloned key)', async () => {
    const { authenticator } = await signUp();
    const first = await challenge();
    const ok = await authenticator.authenticate(first.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    expect((await webauthnGrant(first.body.auth_session, ok)).status).toBe(200);
    const second = await challenge();
    const stale = await authenticator.authenticate(second.body.authn_params_public_key, {
      origin: APP_ORIGIN,
      counter: authenticator.counter,
    });
    const response = await webauthnGrant(second.body.auth_session, stale);
    expect(response).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    expect(response.body.error_description).toMatch(/counter/i);
  });

  it('refuses a wrong origin or RP ID in a login', async () => {
    const { authenticator } = await signUp();
    for (const overrides of [
      { origin: 'https://evil.example' },
      { origin: APP_ORIGIN, rpId: 'evil.example' },
      { origin: APP_ORIGIN, type: 'webauthn.create' },
      { origin: APP_ORIGIN, challenge: 'c3RvbGVuLWNoYWxsZW5nZQ' },
    ]) {
      const started = await challenge();
      const assertion = await authenticator.authenticate(
        started.body.authn_params_public_key,
        overrides,
      );
      const response = await webauthnGrant(started.body.auth_session, assertion);
      expect(response, JSON.stringify(overrides)).toMatchObject({
        status: 403,
        body: { error: 'invalid_grant' },
      });
    }
  });

  it('refuses a wrong origin or RP ID in a signup, and creates nobody', async () => {
    for (const overrides of [
      { origin: 'https://evil.example' },
      { origin: APP_ORIGIN, rpId: 'evil.example' },
      { origin: APP_ORIGIN, type: 'webauthn.get' },
    ]) {
      const authenticator = await SoftAuthenticator.create();
      const started = await register();
      const credential = await authenticator.register(
        started.body.authn_params_public_key,
        overrides,
      );
      const response = await webauthnGrant(started.body.auth_session, credential);
      expect(response, JSON.stringify(overrides)).toMatchObject({
        status: 403,
        body: { error: 'invalid_grant' },
      });
    }
  });

  it('creates no user when the signup grant fails', async () => {
    const email = newEmail();
    const authenticator = await SoftAuthenticator.create();
    const started = await register({ email });
    const credential = await authenticator.register(started.body.authn_params_public_key, {
      origin: 'https://evil.example',
    });
    expect((await webauthnGrant(started.body.auth_session, credential)).status).toBe(403);
    expect((await register({ email })).status).toBe(200);
  });

  it('refuses a second signup with the same email (user_exists at the grant too)', async () => {
    const email = newEmail();
    const first = await register({ email });
    const second = await register({ email });
    const a = await SoftAuthenticator.create();
    const b = await SoftAuthenticator.create();
    const ok = await webauthnGrant(
      first.body.auth_session,
      await a.register(first.body.authn_params_public_key, { origin: APP_ORIGIN }),
    );
    expect(ok.status).toBe(200);
    const taken = await webauthnGrant(
      second.body.auth_session,
      await b.register(second.body.authn_params_public_key, { origin: APP_ORIGIN }),
    );
    expect(taken).toMatchObject({ status: 400, body: { error: 'user_exists' } });
  });

  it('refuses an unknown passkey, a malformed response and an expired auth_session', async () => {
    const stranger = await SoftAuthenticator.create();
    const started = await challenge();
    const assertion = await stranger.authenticate(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const unknown = await webauthnGrant(started.body.auth_session, assertion);
    expect(unknown).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });

    const malformed = await webauthnGrant((await challenge()).body.auth_session, ['nope']);
    expect(malformed).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const missing = await postJson('oauth/token', {
      grant_type: WEBAUTHN_GRANT,
      client_id: 'passkey-spa',
      auth_session: (await challenge()).body.auth_session,
    });
    expect(missing).toMatchObject({ status: 400, body: { error: 'invalid_request' } });

    const { authenticator } = await signUp();
    const late = await challenge();
    await adminPost(issuer, 'clock', { advance: 301 });
    const lateAssertion = await authenticator.authenticate(late.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const expired = await webauthnGrant(late.body.auth_session, lateAssertion);
    expect(expired).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refuses an auth_session of another client', async () => {
    server.tenant.admin.upsertClient({ ...PASSKEY_SPA, clientId: 'other-spa' });
    const { authenticator } = await signUp();
    const started = await challenge();
    const assertion = await authenticator.authenticate(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const response = await webauthnGrant(started.body.auth_session, assertion, {
      client_id: 'other-spa',
    });
    expect(response).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('binds the tokens and the refresh token of a public client to its DPoP key', async () => {
    const key: DpopKey = await dpopKey();
    const { authenticator } = await signUp();
    const started = await challenge();
    const assertion = await authenticator.authenticate(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const htu = `${issuer}oauth/token`;
    const response = await webauthnGrant(
      started.body.auth_session,
      assertion,
      {},
      {
        DPoP: await dpopProof(key, { htu }),
      },
    );
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('DPoP');
    expect(decodePayload(response.body.access_token).cnf).toEqual({ jkt: key.jkt });
    const families = (await adminGet(issuer, 'tokens')).body.refreshTokens;
    expect(families.at(-1)).toMatchObject({ clientId: 'passkey-spa', jkt: key.jkt });
  });

  it('works with sample-spa (DPoP required, with nonces)', async () => {
    const key = await dpopKey();
    const authenticator = await SoftAuthenticator.create();
    const started = await postJson('passkey/register', {
      client_id: 'sample-spa',
      user_profile: { email: newEmail() },
    });
    const credential = await authenticator.register(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const htu = `${issuer}oauth/token`;
    const body = {
      client_id: 'sample-spa',
      auth_session: started.body.auth_session,
      authn_response: credential,
    };
    const first = await webauthnGrant(started.body.auth_session, credential, body, {
      DPoP: await dpopProof(key, { htu }),
    });
    expect(first).toMatchObject({ status: 400, body: { error: 'use_dpop_nonce' } });
    // The first attempt did not reach the grant: the auth_session is still good.
    const nonce = first.headers.get('dpop-nonce') ?? '';
    const second = await webauthnGrant(started.body.auth_session, credential, body, {
      DPoP: await dpopProof(key, { htu, nonce }),
    });
    expect(second.status).toBe(200);
    expect(second.body.token_type).toBe('DPoP');
  });

  it('forgets passkeys on reset', async () => {
    const { authenticator } = await signUp();
    await adminPost(issuer, 'reset');
    server.tenant.admin.upsertClient(PASSKEY_SPA);
    const started = await challenge();
    const assertion = await authenticator.authenticate(started.body.authn_params_public_key, {
      origin: APP_ORIGIN,
    });
    const response = await webauthnGrant(started.body.auth_session, assertion);
    expect(response).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });
});

describe('CORS', () => {
  it('answers the app origin’s preflight on /passkey/*', async () => {
    const response = await fetch(`${issuer}passkey/challenge`, {
      method: 'OPTIONS',
      headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });
});
