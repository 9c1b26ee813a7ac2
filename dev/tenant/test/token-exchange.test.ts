// Custom Token Exchange (RFC 8693) and Token Vault at the local tenant, over real HTTP.
import { SignJWT } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ClientConfig,
  createTenant,
  defaultTenantOptions,
  SAMPLE_SUBJECT_TOKEN,
  SAMPLE_SUBJECT_TOKEN_TYPE,
  type TokenExchangeProfileConfig,
  type TokenExchangeValidationContext,
} from '../src/index.js';
import {
  ALICE,
  API,
  adminDelete,
  adminGet,
  adminPost,
  decodePayload,
  dpopKey,
  type JsonResponse,
  postForm,
  startTestTenant,
  TEST_SPA,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const CTE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const VAULT = 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
const VAULT_TOKEN_TYPE = 'http://auth0.com/oauth/token-type/federated-connection-access-token';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';
const AGENT_TYPE = 'urn:acme:agent-token';
const JWT_TYPE = 'urn:acme:partner-jwt';
const FN_TYPE = 'https://acme.example/token-type/fn';
const SECRET = 'a-shared-secret-of-at-least-32-characters!';
const SERVER = { client_id: 'sample-server', client_secret: 'sample-server-secret' };

/** A public SPA that may use both exchanges (like sample-spa, without nonces). */
const CTE_SPA: ClientConfig = {
  ...TEST_SPA,
  clientId: 'cte-spa',
  grantTypes: ['authorization_code', 'refresh_token', CTE, VAULT],
};

const seen: TokenExchangeValidationContext[] = [];
const profiles: TokenExchangeProfileConfig[] = [
  ...defaultTenantOptions().tokenExchangeProfiles,
  { subjectTokenType: AGENT_TYPE, tokens: { 'agent-token-1': 'agent|calendar-bot' } },
  { subjectTokenType: JWT_TYPE, hs256Secret: SECRET, audience: API },
  {
    subjectTokenType: FN_TYPE,
    validate: async (token, context) => {
      seen.push(context);
      if (token === 'fn-ghost') return { user_id: 'auth0|nobody' };
      if (token !== 'fn-alice') throw new Error('not one of ours');
      return { user_id: ALICE.sub };
    },
  },
];

const defaults = defaultTenantOptions();
const server = await useTenant(
  { afterAll, beforeEach },
  {
    clients: [...defaults.clients, TEST_SPA, CTE_SPA],
    users: [
      ...defaults.users,
      { user_id: 'auth0|bob', email: 'bob@example.com', password: 'builder', name: 'Bob' },
    ],
    organizations: [
      ...defaults.organizations,
      { id: 'org_closed', name: 'closed', members: ['auth0|bob'] },
    ],
    tokenExchangeProfiles: profiles,
  },
);
const { issuer } = server;
const tokenUrl = `${issuer}oauth/token`;
beforeEach(() => {
  seen.length = 0;
});

function exchange(
  params: Record<string, string>,
  client: Record<string, string> = SERVER,
): Promise<JsonResponse> {
  return postForm(tokenUrl, {
    grant_type: CTE,
    subject_token_type: SAMPLE_SUBJECT_TOKEN_TYPE,
    subject_token: SAMPLE_SUBJECT_TOKEN,
    ...client,
    ...params,
  });
}

function vault(
  params: Record<string, string>,
  client: Record<string, string> = SERVER,
): Promise<JsonResponse> {
  return postForm(tokenUrl, {
    grant_type: VAULT,
    connection: 'google-oauth2',
    requested_token_type: VAULT_TOKEN_TYPE,
    ...client,
    ...params,
  });
}

async function aliceTokens(scope = 'openid offline_access'): Promise<JsonResponse['body']> {
  const response = await postForm(tokenUrl, {
    grant_type: 'password',
    ...SERVER,
    username: ALICE.email,
    password: ALICE.password,
    audience: API,
    scope,
  });
  expect(response.status).toBe(200);
  return response.body;
}

describe('Custom Token Exchange', () => {
  it('issues tokens like a login, with issued_token_type', async () => {
    const response = await exchange({
      audience: API,
      scope: 'openid profile offline_access read:notes',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      issued_token_type: ACCESS_TOKEN_TYPE,
      scope: 'openid profile offline_access read:notes',
      expires_in: 3600,
    });
    expect(decodePayload(response.body.access_token)).toMatchObject({
      sub: ALICE.sub,
      aud: [API, `${issuer}userinfo`],
      azp: 'sample-server',
    });
    expect(decodePayload(response.body.id_token)).toMatchObject({
      sub: ALICE.sub,
      aud: 'sample-server',
      name: 'Alice Liddell',
    });
    expect(decodePayload(response.body.id_token).nonce).toBeUndefined();
    const refreshed = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      ...SERVER,
      refresh_token: response.body.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(decodePayload(refreshed.body.access_token).sub).toBe(ALICE.sub);
  });

  it('gives no ID token without openid and no refresh token without offline_access', async () => {
    const response = await exchange({ audience: API, scope: 'read:notes' });
    expect(response.status).toBe(200);
    expect(response.body.id_token).toBeUndefined();
    expect(response.body.refresh_token).toBeUndefined();
  });

  it('gives no refresh token to a client without rotation', async () => {
    await adminPost(issuer, 'clients', {
      ...CTE_SPA,
      clientId: 'no-rotation',
      refreshTokenRotation: false,
    });
    const response = await exchange(
      { scope: 'openid offline_access' },
      { client_id: 'no-rotation' },
    );
    expect(response.status).toBe(200);
    expect(response.body.refresh_token).toBeUndefined();
  });

  it('binds tokens to the DPoP key of a public client', async () => {
    const key = await dpopKey();
    const params = {
      grant_type: CTE,
      client_id: 'cte-spa',
      subject_token_type: SAMPLE_SUBJECT_TOKEN_TYPE,
      subject_token: SAMPLE_SUBJECT_TOKEN,
      scope: 'openid offline_access',
    };
    const response = await tokenRequestWithDpop(issuer, params, key);
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('DPoP');
    expect(decodePayload(response.body.access_token).cnf).toEqual({ jkt: key.jkt });
    // The refresh token is bound too: another key cannot use it.
    const refresh = { grant_type: 'refresh_token', client_id: 'cte-spa' };
    const stolen = await tokenRequestWithDpop(
      issuer,
      { ...refresh, refresh_token: response.body.refresh_token },
      await dpopKey(),
    );
    expect(stolen.body.error).toBe('invalid_grant');
  });

  it('adds act for an access-token actor, and keeps it on refresh', async () => {
    const agent = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      ...SERVER,
      audience: API,
    });
    const response = await exchange({
      audience: API,
      scope: 'openid offline_access',
      actor_token: agent.body.access_token,
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(response.status).toBe(200);
    expect(decodePayload(response.body.access_token)).toMatchObject({
      sub: ALICE.sub,
      act: { sub: 'sample-server@clients' },
    });
    const refreshed = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      ...SERVER,
      refresh_token: response.body.refresh_token,
    });
    expect(decodePayload(refreshed.body.access_token).act).toEqual({
      sub: 'sample-server@clients',
    });
    // Delegating a delegated token nests the chain (RFC 8693 §4.1).
    const nested = await exchange({
      actor_token: response.body.access_token,
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(decodePayload(nested.body.access_token).act).toEqual({
      sub: ALICE.sub,
      act: { sub: 'sample-server@clients' },
    });
  });

  it('adds act for an actor token of a configured profile type', async () => {
    const response = await exchange({ actor_token: 'agent-token-1', actor_token_type: AGENT_TYPE });
    expect(response.status).toBe(200);
    expect(decodePayload(response.body.access_token).act).toEqual({ sub: 'agent|calendar-bot' });
    const bad = await exchange({ actor_token: 'nope', actor_token_type: AGENT_TYPE });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_grant');
  });

  it('refuses an actor token of an unsupported type, or a revoked one', async () => {
    const unsupported = await exchange({ actor_token: 'x', actor_token_type: 'urn:acme:unknown' });
    expect(unsupported.body).toMatchObject({ error: 'invalid_request' });
    const { access_token } = await aliceTokens();
    await postForm(`${issuer}oauth/revoke`, { ...SERVER, token: access_token });
    const revoked = await exchange({
      actor_token: access_token,
      actor_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(revoked.body.error).toBe('invalid_grant');
  });

  it('puts the organization in both tokens, and refuses non-members', async () => {
    const response = await exchange({ organization: 'wonderland', scope: 'openid' });
    expect(response.status).toBe(200);
    expect(decodePayload(response.body.access_token).org_id).toBe('org_wonderland');
    expect(decodePayload(response.body.id_token)).toMatchObject({
      org_id: 'org_wonderland',
      org_name: 'wonderland',
    });
    const closed = await exchange({ organization: 'org_closed' });
    expect(closed.status).toBe(403);
    expect(closed.body.error).toBe('access_denied');
    const unknown = await exchange({ organization: 'nowhere' });
    expect(unknown.body.error).toBe('invalid_request');
  });

  it('refuses an unknown or reserved subject token type', async () => {
    for (const type of ['urn:acme:unknown', ACCESS_TOKEN_TYPE]) {
      const response = await exchange({ subject_token_type: type });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    }
  });

  it('refuses an invalid subject token with invalid_grant', async () => {
    const response = await exchange({ subject_token: 'not-a-legacy-token' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_grant' });
  });

  it('wants actor_token and actor_token_type together', async () => {
    const token = await exchange({ actor_token: 'agent-token-1' });
    expect(token.body.error).toBe('invalid_request');
    const type = await exchange({ actor_token_type: AGENT_TYPE });
    expect(type.body.error).toBe('invalid_request');
  });

  it('refuses missing parameters and requested token types it cannot issue', async () => {
    expect((await exchange({ subject_token: '' })).body.error).toBe('invalid_request');
    const refresh = await exchange({ requested_token_type: REFRESH_TOKEN_TYPE });
    expect(refresh.body.error).toBe('invalid_request');
    const access = await exchange({ requested_token_type: ACCESS_TOKEN_TYPE });
    expect(access.status).toBe(200);
  });

  it('refuses a client whose grant types do not include it', async () => {
    const response = await exchange({}, { client_id: 'test-spa' });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('unauthorized_client');
  });

  it('refuses an unknown audience like other grants', async () => {
    const response = await exchange({ audience: 'https://unknown.example/' });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('access_denied');
  });

  it('checks HS256 subject tokens on the tenant clock, with the profile audience', async () => {
    const sign = (secret: string, exp: number) =>
      new SignJWT({ sub: ALICE.sub })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const good = await exchange({
      subject_token_type: JWT_TYPE,
      subject_token: await sign(SECRET, now + 60),
    });
    expect(good.status).toBe(200);
    expect(decodePayload(good.body.access_token).aud).toEqual([API, `${issuer}userinfo`]);
    const forged = await exchange({
      subject_token_type: JWT_TYPE,
      subject_token: await sign('another-secret-that-is-also-32-chars-long', now + 60),
    });
    expect(forged.body.error).toBe('invalid_grant');
    const token = await sign(SECRET, now + 60);
    await adminPost(issuer, 'clock', { advance: 120 });
    const expired = await exchange({ subject_token_type: JWT_TYPE, subject_token: token });
    expect(expired.body.error).toBe('invalid_grant');
  });

  it('passes the request to a validate function, and maps its refusals to invalid_grant', async () => {
    const ok = await exchange({
      subject_token_type: FN_TYPE,
      subject_token: 'fn-alice',
      audience: API,
      scope: 'openid read:notes',
      device_id: 'device-1',
    });
    expect(ok.status).toBe(200);
    expect(seen[0]).toMatchObject({
      subjectTokenType: FN_TYPE,
      clientId: 'sample-server',
      audience: API,
      scope: ['openid', 'read:notes'],
      actor: false,
    });
    expect(seen[0]?.param('device_id')).toBe('device-1');
    expect(seen[0]?.param('client_secret')).toBeUndefined();
    const refused = await exchange({ subject_token_type: FN_TYPE, subject_token: 'fn-mallory' });
    expect(refused.body).toMatchObject({ error: 'invalid_grant' });
    expect(refused.body.error_description).toContain('not one of ours');
    const ghost = await exchange({ subject_token_type: FN_TYPE, subject_token: 'fn-ghost' });
    expect(ghost.body.error).toBe('invalid_grant');
  });

  it('is advertised in discovery', async () => {
    const config = await (await fetch(`${issuer}.well-known/openid-configuration`)).json();
    expect(config.grant_types_supported).toEqual(expect.arrayContaining([CTE, VAULT]));
  });
});

describe('profile configuration', () => {
  it('refuses reserved subject token types and ambiguous profiles, naming the option', () => {
    const bad = (profile: unknown) =>
      createTenant({ tokenExchangeProfiles: [profile as TokenExchangeProfileConfig] });
    for (const type of [
      'urn:ietf:params:oauth:token-type:jwt',
      'urn:auth0:thing',
      'https://auth0.com/token',
      'http://okta.com/x',
      'not a uri',
    ]) {
      expect(() => bad({ subjectTokenType: type, tokens: {} })).toThrow(
        /options\.tokenExchangeProfiles\[0\]\.subjectTokenType/,
      );
    }
    expect(() => bad({ subjectTokenType: 'urn:acme:x' })).toThrow(/exactly one of/);
    expect(() => bad({ subjectTokenType: 'urn:acme:x', tokens: {}, hs256Secret: SECRET })).toThrow(
      /exactly one of/,
    );
    expect(() => bad({ subjectTokenType: 'urn:acme:x', hs256Secret: 'short' })).toThrow(
      /hs256Secret/,
    );
    expect(() => bad({ subjectTokenType: 'urn:acme:x', tokens: { a: 7 } })).toThrow(/tokens/);
  });
});

describe('Token Vault', () => {
  const account = {
    connection: 'google-oauth2',
    user_id: ALICE.sub,
    access_token: 'ya29.alice-google-token',
    scope: 'openid https://www.googleapis.com/auth/calendar.readonly',
    expires_in: 1800,
  };

  it('answers 401 federated_connection_refresh_token_not_found without a connected account', async () => {
    const { access_token } = await aliceTokens();
    const response = await vault({
      subject_token: access_token,
      subject_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: 'federated_connection_refresh_token_not_found',
      error_description: 'Federated connection Refresh Token not found.',
    });
  });

  it("returns the connected account's token for an access-token subject", async () => {
    await adminPost(issuer, 'connected-accounts', account);
    const { access_token } = await aliceTokens();
    const response = await vault({
      subject_token: access_token,
      subject_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      access_token: 'ya29.alice-google-token',
      token_type: 'Bearer',
      expires_in: 1800,
      scope: 'openid https://www.googleapis.com/auth/calendar.readonly',
      issued_token_type: VAULT_TOKEN_TYPE,
    });
  });

  it('accepts a refresh-token subject, without rotating it', async () => {
    await adminPost(issuer, 'connected-accounts', account);
    const { refresh_token } = await aliceTokens();
    for (let i = 0; i < 2; i++) {
      const response = await vault({
        subject_token: refresh_token,
        subject_token_type: REFRESH_TOKEN_TYPE,
      });
      expect(response.status).toBe(200);
      expect(response.body.access_token).toBe('ya29.alice-google-token');
      expect(response.body.refresh_token).toBeUndefined();
    }
    // Only the client the refresh token belongs to may use it.
    await adminPost(issuer, 'clients', {
      ...CTE_SPA,
      clientId: 'other',
      tokenEndpointAuthMethod: 'none',
    });
    const other = await vault(
      { subject_token: refresh_token, subject_token_type: REFRESH_TOKEN_TYPE },
      { client_id: 'other' },
    );
    expect(other.body.error).toBe('invalid_grant');
  });

  it('refuses revoked subject tokens', async () => {
    await adminPost(issuer, 'connected-accounts', account);
    const { access_token, refresh_token } = await aliceTokens();
    await postForm(`${issuer}oauth/revoke`, { ...SERVER, token: access_token });
    const access = await vault({
      subject_token: access_token,
      subject_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(access.status).toBe(400);
    expect(access.body.error).toBe('invalid_grant');
    await postForm(`${issuer}oauth/revoke`, { ...SERVER, token: refresh_token });
    const refresh = await vault({
      subject_token: refresh_token,
      subject_token_type: REFRESH_TOKEN_TYPE,
    });
    expect(refresh.body.error).toBe('invalid_grant');
    const forged = await vault({
      subject_token: 'not.a.jwt',
      subject_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(forged.body.error).toBe('invalid_grant');
  });

  it('refuses an expired access token subject', async () => {
    await adminPost(issuer, 'connected-accounts', account);
    const { access_token } = await aliceTokens();
    await adminPost(issuer, 'clock', { advance: 3601 });
    const response = await vault({
      subject_token: access_token,
      subject_token_type: ACCESS_TOKEN_TYPE,
    });
    expect(response.body.error).toBe('invalid_grant');
  });

  it('wants a proof from the key a DPoP-bound subject token is bound to', async () => {
    await adminPost(issuer, 'connected-accounts', account);
    const key = await dpopKey();
    const login = await tokenRequestWithDpop(
      issuer,
      { grant_type: 'password', ...SERVER, username: ALICE.email, password: ALICE.password },
      key,
    );
    expect(login.body.token_type).toBe('DPoP');
    const params = {
      grant_type: VAULT,
      ...SERVER,
      connection: 'google-oauth2',
      subject_token: login.body.access_token,
      subject_token_type: ACCESS_TOKEN_TYPE,
    };
    expect((await postForm(tokenUrl, params)).body.error).toBe('invalid_grant');
    expect((await tokenRequestWithDpop(issuer, params, await dpopKey())).body.error).toBe(
      'invalid_grant',
    );
    const proven = await tokenRequestWithDpop(issuer, params, key);
    expect(proven.status).toBe(200);
    // The provider's token is a bearer token whatever the Auth0 token was bound to.
    expect(proven.body.token_type).toBe('Bearer');
  });

  it('refuses bad parameters', async () => {
    await adminPost(issuer, 'connected-accounts', account);
    const { access_token } = await aliceTokens();
    const base = { subject_token: access_token, subject_token_type: ACCESS_TOKEN_TYPE };
    expect((await vault({ ...base, connection: 'github' })).body.error).toBe('invalid_request');
    expect((await vault({ ...base, subject_token_type: 'urn:acme:x' })).body.error).toBe(
      'invalid_request',
    );
    expect((await vault({ ...base, requested_token_type: ACCESS_TOKEN_TYPE })).body.error).toBe(
      'invalid_request',
    );
    expect((await vault({ ...base, connection: '' })).body.error).toBe('invalid_request');
    const scope = await vault({ ...base, scope: 'https://www.googleapis.com/auth/gmail.send' });
    expect(scope.body.error).toBe('invalid_scope');
    const subset = await vault({ ...base, scope: 'openid' });
    expect(subset.status).toBe(200);
  });

  it('matches login_hint against the account', async () => {
    await adminPost(issuer, 'connected-accounts', { ...account, login_hint: 'alice@gmail.com' });
    const { access_token } = await aliceTokens();
    const base = { subject_token: access_token, subject_token_type: ACCESS_TOKEN_TYPE };
    expect((await vault({ ...base, login_hint: 'alice@gmail.com' })).status).toBe(200);
    const other = await vault({ ...base, login_hint: 'someone@gmail.com' });
    expect(other.status).toBe(401);
    expect(other.body.error).toBe('federated_connection_refresh_token_not_found');
  });

  it('refuses a client whose grant types do not include it', async () => {
    const { access_token } = await aliceTokens();
    const response = await vault(
      { subject_token: access_token, subject_token_type: ACCESS_TOKEN_TYPE },
      { client_id: 'test-spa' },
    );
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('unauthorized_client');
  });

  it('admin: sets, lists (without tokens) and clears accounts; reset forgets them', async () => {
    const set = await adminPost(issuer, 'connected-accounts', account);
    expect(set.body.id).toMatch(/^cac_/);
    const list = await adminGet(issuer, 'connected-accounts');
    expect(list.body).toEqual([
      {
        id: set.body.id,
        connection: 'google-oauth2',
        user_id: ALICE.sub,
        scopes: ['openid', 'https://www.googleapis.com/auth/calendar.readonly'],
        expires_in: 1800,
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain('ya29');
    expect((await adminDelete(issuer, 'connected-accounts?user_id=auth0|bob')).body).toEqual({
      cleared: 0,
    });
    expect((await adminDelete(issuer, 'connected-accounts')).body).toEqual({ cleared: 1 });
    await adminPost(issuer, 'connected-accounts', account);
    await adminPost(issuer, 'reset');
    expect((await adminGet(issuer, 'connected-accounts')).body).toEqual([]);
    const bad = await adminPost(issuer, 'connected-accounts', { ...account, connection: 'github' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toContain('connection');
  });
});

describe('configured connected accounts', () => {
  it('are served, survive an admin reset, and are checked at start', async () => {
    const tenant = await startTestTenant({
      connections: [
        {
          name: 'google-oauth2',
          accounts: { [ALICE.sub]: { access_token: 'ya29.configured', scope: 'email' } },
        },
      ],
    });
    try {
      await adminPost(tenant.issuer, 'reset');
      const login = await postForm(`${tenant.issuer}oauth/token`, {
        grant_type: 'password',
        ...SERVER,
        username: ALICE.email,
        password: ALICE.password,
      });
      const response = await postForm(`${tenant.issuer}oauth/token`, {
        grant_type: VAULT,
        ...SERVER,
        connection: 'google-oauth2',
        subject_token: login.body.access_token,
        subject_token_type: ACCESS_TOKEN_TYPE,
      });
      expect(response.body).toMatchObject({
        access_token: 'ya29.configured',
        scope: 'email',
        expires_in: 3600,
      });
    } finally {
      await tenant.close();
    }
    expect(() =>
      createTenant({
        connections: [{ name: 'google-oauth2', accounts: { x: { access_token: '' } } }],
      }),
    ).toThrow(/access_token/);
    expect(() => createTenant({ connections: [{ name: 'a' }, { name: 'a' }] })).toThrow(/unique/);
  });
});
