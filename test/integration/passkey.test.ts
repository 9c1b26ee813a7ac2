// AuthClient's passkey surface (`auth.passkey`) against the real local tenant over HTTP, with a
// software authenticator producing real attestations and assertions: signup, login, replay,
// wrong origin and RP ID, errors, organizations, and DPoP-bound tokens.

import type { ClientConfig } from 'auth0-enclave-tenant';
import { API, APP_ORIGIN, SoftAuthenticator, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  generateDpopKeyPair,
  PasskeyError,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';

const WEBAUTHN_GRANT = 'urn:okta:params:oauth:grant-type:webauthn';
const PASSKEY_SERVER: ClientConfig = {
  clientId: 'passkey-server',
  tokenEndpointAuthMethod: 'client_secret_post',
  clientSecret: 'passkey-secret',
  allowedOrigins: [APP_ORIGIN],
  grantTypes: [WEBAUTHN_GRANT, 'refresh_token'],
};

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
beforeEach(() => {
  server.tenant.admin.upsertClient(PASSKEY_SERVER);
});

function auth(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'passkey-server',
    clientSecret: 'passkey-secret',
    timeoutMs: 2_000,
    ...options,
  });
}

/** Users created by a signup stay across resets: every signup gets its own email. */
function newEmail(): string {
  return `erin-${crypto.randomUUID()}@example.com`;
}

async function signUp(client: AuthClient, email = newEmail()) {
  const authenticator = await SoftAuthenticator.create();
  const { authSession, authnParamsPublicKey } = await client.passkey.register({
    email,
    name: 'Erin',
    givenName: 'Erin',
  });
  const credential = await authenticator.register(authnParamsPublicKey, { origin: APP_ORIGIN });
  const tokens = await client.passkey.getTokenByPasskey({
    authSession,
    credential,
    scope: 'openid profile email offline_access',
  });
  return { authenticator, tokens, email };
}

describe('auth.passkey signup and login', () => {
  it('register answers camelCase options for navigator.credentials.create()', async () => {
    const response = await auth().passkey.register({ email: newEmail(), name: 'Erin' });
    expect(response).toEqual({
      authSession: expect.any(String),
      authnParamsPublicKey: {
        challenge: expect.any(String),
        timeout: 60000,
        rp: { id: 'localhost', name: expect.any(String) },
        user: { id: expect.any(String), name: expect.any(String), displayName: 'Erin' },
        pubKeyCredParams: expect.arrayContaining([{ type: 'public-key', alg: -7 }]),
        authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      },
    });
  });

  it('signs up, then logs in with the passkey; the ID tokens verify and name the same user', async () => {
    const client = auth();
    const { authenticator, tokens, email } = await signUp(client);
    expect(tokens).toMatchObject({
      tokenType: 'Bearer',
      refreshToken: expect.any(String),
      claims: { iss: issuer, aud: 'passkey-server', email, name: 'Erin', given_name: 'Erin' },
    });

    const { authSession, authnParamsPublicKey } = await client.passkey.challenge();
    expect(authnParamsPublicKey).toEqual({
      challenge: expect.any(String),
      timeout: 60000,
      rpId: 'localhost',
      userVerification: 'preferred',
    });
    const assertion = await authenticator.authenticate(authnParamsPublicKey, {
      origin: APP_ORIGIN,
    });
    const login = await client.passkey.getTokenByPasskey({
      authSession,
      credential: assertion,
      audience: API,
    });
    expect(login.claims?.sub).toBe(tokens.claims?.sub);
    expect(decodeJwt(login.accessToken).aud).toEqual([API, `${issuer}userinfo`]);
  });

  it('refuses a replayed assertion', async () => {
    const client = auth();
    const { authenticator } = await signUp(client);
    const first = await client.passkey.challenge();
    const assertion = await authenticator.authenticate(first.authnParamsPublicKey, {
      origin: APP_ORIGIN,
    });
    await client.passkey.getTokenByPasskey({
      authSession: first.authSession,
      credential: assertion,
    });
    await expectError(
      client.passkey.getTokenByPasskey({ authSession: first.authSession, credential: assertion }),
      PasskeyError,
      { code: 'passkey_error', error: 'invalid_grant', status: 400 },
    );
    const second = await client.passkey.challenge();
    await expectError(
      client.passkey.getTokenByPasskey({ authSession: second.authSession, credential: assertion }),
      PasskeyError,
      { error: 'invalid_grant', status: 403 },
    );
  });

  it('refuses a wrong origin or RP ID in clientDataJSON / authenticatorData', async () => {
    const client = auth();
    const { authenticator } = await signUp(client);
    for (const overrides of [
      { origin: 'https://evil.example' },
      { origin: APP_ORIGIN, rpId: 'evil.example' },
    ]) {
      const { authSession, authnParamsPublicKey } = await client.passkey.challenge();
      const assertion = await authenticator.authenticate(authnParamsPublicKey, overrides);
      await expectError(
        client.passkey.getTokenByPasskey({ authSession, credential: assertion }),
        PasskeyError,
        { error: 'invalid_grant', status: 403 },
      );
    }
  });

  it('refuses to sign up an email that has an account: PasskeyError user_exists', async () => {
    await expectError(auth().passkey.register({ email: 'alice@example.com' }), PasskeyError, {
      error: 'user_exists',
      status: 400,
    });
  });

  it('maps a client the tenant does not know to PasskeyError invalid_client (401)', async () => {
    await expectError(
      auth({ clientId: 'nobody', clientSecret: 'x' }).passkey.challenge(),
      PasskeyError,
      { error: 'invalid_client', status: 401 },
    );
  });

  it('logs in to an organization and checks the ID token’s org claims', async () => {
    const client = auth();
    const { authenticator } = await signUp(client);
    const { authSession, authnParamsPublicKey } = await client.passkey.challenge({
      organization: 'wonderland',
    });
    const assertion = await authenticator.authenticate(authnParamsPublicKey, {
      origin: APP_ORIGIN,
    });
    const tokens = await client.passkey.getTokenByPasskey({
      authSession,
      credential: assertion,
      organization: 'wonderland',
    });
    expect(tokens.claims).toMatchObject({ org_id: 'org_wonderland', org_name: 'wonderland' });
  });
});

describe('auth.passkey with DPoP', () => {
  it('gets DPoP-bound tokens from sample-spa (public, DPoP required with nonces)', async () => {
    const dpop = await generateDpopKeyPair();
    const client = new AuthClient({
      domain: issuer,
      clientId: 'sample-spa',
      dpop,
      timeoutMs: 2_000,
    });
    const { tokens, authenticator } = await signUp(client);
    expect(tokens.tokenType).toBe('DPoP');
    expect(decodeJwt(tokens.accessToken).cnf).toEqual({ jkt: dpop.thumbprint });

    const { authSession, authnParamsPublicKey } = await client.passkey.challenge();
    const assertion = await authenticator.authenticate(authnParamsPublicKey, {
      origin: APP_ORIGIN,
    });
    const login = await client.passkey.getTokenByPasskey({
      authSession,
      credential: assertion,
      scope: 'openid offline_access',
    });
    expect(login.tokenType).toBe('DPoP');
    // The refresh token of this public client is bound to the key: it refreshes with it…
    const refreshed = await client.getTokenByRefreshToken({
      refreshToken: login.refreshToken ?? '',
    });
    expect(decodeJwt(refreshed.accessToken).cnf).toEqual({ jkt: dpop.thumbprint });
    // …and not with another one.
    const thief = new AuthClient({
      domain: issuer,
      clientId: 'sample-spa',
      dpop: await generateDpopKeyPair(),
      timeoutMs: 2_000,
    });
    await expect(
      thief.getTokenByRefreshToken({ refreshToken: refreshed.refreshToken ?? '' }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('auth.passkey option checks', () => {
  it('throws TypeErrors naming the option', async () => {
    const { passkey } = auth();
    expect(() => passkey.register({} as never)).toThrow(/"options.email"/);
    expect(() => passkey.register({ email: 'a@example.com', name: 7 } as never)).toThrow(
      /"options.name"/,
    );
    expect(() =>
      passkey.register({ email: 'a@example.com', userMetadata: { a: 1 } } as never),
    ).toThrow(/"options.userMetadata.a"/);
    expect(() => passkey.challenge({ organization: '' })).toThrow(/"options.organization"/);
    expect(() => passkey.getTokenByPasskey({ authSession: 's' } as never)).toThrow(
      /"options.credential"/,
    );
    expect(() =>
      passkey.getTokenByPasskey({
        authSession: 's',
        credential: { id: 'a', rawId: 'a', type: 'public-key', response: {} },
      } as never),
    ).toThrow(/"options.credential.response.clientDataJSON"/);
  });
});
