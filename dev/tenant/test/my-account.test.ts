// The My Account API connect flow at the local tenant, over real HTTP: connect → the simulated
// provider's consent page → complete, its errors (problem details), and Token Vault afterwards.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantOptions } from '../src/index.js';
import {
  ALICE,
  API,
  APP_ORIGIN,
  adminPost,
  authorizeParams,
  codeFlow,
  codeOf,
  type DpopKey,
  decodePayload,
  dpopKey,
  dpopProof,
  type JsonResponse,
  loginThroughForm,
  pkce,
  postForm,
  REDIRECT_URI,
  readJson,
  TEST_SPA,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const VAULT = 'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';
const ME_SCOPES =
  'create:me:connected_accounts read:me:connected_accounts delete:me:connected_accounts';
const GOOGLE_SCOPES = [
  'openid',
  'email',
  'profile',
  'https://www.googleapis.com/auth/calendar.readonly',
];

const defaults = defaultTenantOptions();
const server = await useTenant(
  { afterAll, beforeEach },
  {
    clients: [
      ...defaults.clients,
      { ...TEST_SPA, grantTypes: [...(TEST_SPA.grantTypes ?? []), VAULT] },
    ],
    users: [
      ...defaults.users,
      { user_id: 'auth0|bob', email: 'bob@example.com', password: 'builder' },
    ],
  },
);
const { issuer } = server;
const me = `${issuer}me/`;

interface MeTokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
}

/** Logs alice (or `credentials`) in with test-spa for the My Account API. */
async function meTokens(
  options: { scope?: string; key?: DpopKey; credentials?: typeof ALICE } = {},
): Promise<MeTokens> {
  const { params, verifier } = await authorizeParams({
    audience: me,
    scope: options.scope ?? `openid offline_access ${ME_SCOPES}`,
  });
  const { response } = await loginThroughForm(issuer, params, options.credentials ?? ALICE);
  const tokenParams = {
    grant_type: 'authorization_code',
    client_id: 'test-spa',
    code: codeOf(response, params.state),
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  };
  const tokens = options.key
    ? await tokenRequestWithDpop(issuer, tokenParams, options.key)
    : await postForm(`${issuer}oauth/token`, tokenParams);
  expect(tokens.status).toBe(200);
  return tokens.body;
}

async function callMe(
  method: string,
  path: string,
  options: {
    token?: MeTokens | string;
    body?: unknown;
    key?: DpopKey;
    headers?: Record<string, string>;
  } = {},
): Promise<JsonResponse> {
  const url = `${me}${path}`;
  const headers: Record<string, string> = { ...options.headers };
  const token = typeof options.token === 'string' ? options.token : options.token?.access_token;
  if (token !== undefined) {
    if (options.key) {
      headers.authorization = `DPoP ${token}`;
      headers.dpop = await dpopProof(options.key, { htm: method, htu: url, accessToken: token });
    } else headers.authorization = `Bearer ${token}`;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return readJson(
    await fetch(url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    }),
  );
}

interface Started {
  connect: JsonResponse;
  verifier: string;
  state: string;
}

async function startConnect(
  token: MeTokens | string,
  overrides: Record<string, unknown> = {},
  key?: DpopKey,
): Promise<Started> {
  const { verifier, challenge } = await pkce();
  const state = `state-${crypto.randomUUID()}`;
  const connect = await callMe('POST', 'v1/connected-accounts/connect', {
    token,
    ...(key ? { key } : {}),
    body: {
      connection: 'google-oauth2',
      redirect_uri: REDIRECT_URI,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    },
  });
  return { connect, verifier, state };
}

/** Opens the consent page of a started flow and answers it; returns the redirect back. */
async function consent(started: Started, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const url = new URL(started.connect.body.connect_uri);
  url.searchParams.set('ticket', started.connect.body.connect_params.ticket);
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('Connect Google');
  const ticket = /name="ticket" value="([^"]+)"/.exec(html)?.[1];
  expect(ticket).toBe(started.connect.body.connect_params.ticket);
  const answer = await fetch(new URL('connect', issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket: ticket ?? '', decision }),
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

function complete(
  token: MeTokens | string,
  started: Started,
  connectCode: string,
  overrides: Record<string, unknown> = {},
  key?: DpopKey,
): Promise<JsonResponse> {
  return callMe('POST', 'v1/connected-accounts/complete', {
    token,
    ...(key ? { key } : {}),
    body: {
      auth_session: started.connect.body.auth_session,
      connect_code: connectCode,
      redirect_uri: REDIRECT_URI,
      code_verifier: started.verifier,
      ...overrides,
    },
  });
}

function vault(refreshToken: string): Promise<JsonResponse> {
  return postForm(`${issuer}oauth/token`, {
    grant_type: VAULT,
    client_id: 'test-spa',
    connection: 'google-oauth2',
    subject_token: refreshToken,
    subject_token_type: REFRESH_TOKEN_TYPE,
  });
}

function expectProblem(response: JsonResponse, status: number, type?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  if (type !== undefined) expect(response.body.type).toBe(type);
}

describe('the connect flow', () => {
  it('connect → consent page → complete makes the account usable by Token Vault', async () => {
    const tokens = await meTokens();
    expect(decodePayload(tokens.access_token).aud).toEqual([me, `${issuer}userinfo`]);
    expect((await vault(tokens.refresh_token)).status).toBe(401);

    const started = await startConnect(tokens);
    expect(started.connect.status).toBe(201);
    expect(started.connect.body).toEqual({
      connect_uri: `${issuer}connect`,
      auth_session: expect.any(String),
      connect_params: { ticket: expect.any(String) },
      expires_in: 300,
    });
    const back = await consent(started);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe(started.state);
    const connectCode = back.searchParams.get('connect_code') ?? '';
    expect(connectCode.length).toBeGreaterThan(20);
    expect(connectCode.length).toBeLessThanOrEqual(46);

    const completed = await complete(tokens, started, connectCode);
    expect(completed.status).toBe(201);
    expect(completed.body).toEqual({
      id: expect.stringMatching(/^cac_/),
      connection: 'google-oauth2',
      access_type: 'offline',
      scopes: GOOGLE_SCOPES,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const google = await vault(tokens.refresh_token);
    expect(google.status).toBe(200);
    expect(google.body).toMatchObject({
      token_type: 'Bearer',
      scope: GOOGLE_SCOPES.join(' '),
      issued_token_type: 'http://auth0.com/oauth/token-type/federated-connection-access-token',
    });
    expect(google.body.access_token).toMatch(/^google-oauth2\./);
  });

  it('grants the scopes asked for, lists accounts and deletes them', async () => {
    const tokens = await meTokens();
    const started = await startConnect(tokens, {
      scopes: ['openid', 'https://www.googleapis.com/auth/gmail.send'],
      authorization_params: { login_hint: 'alice@gmail.com', prompt: 'consent' },
    });
    const back = await consent(started);
    const completed = await complete(tokens, started, back.searchParams.get('connect_code') ?? '');
    expect(completed.body.scopes).toEqual(['openid', 'https://www.googleapis.com/auth/gmail.send']);

    const list = await callMe('GET', 'v1/connected-accounts/accounts', { token: tokens });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ accounts: [completed.body] });
    const filtered = await callMe('GET', 'v1/connected-accounts/accounts?connection=github', {
      token: tokens,
    });
    expect(filtered.body).toEqual({ accounts: [] });

    const removed = await callMe('DELETE', `v1/connected-accounts/accounts/${completed.body.id}`, {
      token: tokens,
    });
    expect(removed.status).toBe(204);
    expect((await vault(tokens.refresh_token)).status).toBe(401);
    const again = await callMe('DELETE', `v1/connected-accounts/accounts/${completed.body.id}`, {
      token: tokens,
    });
    expectProblem(again, 404);
  });

  it('works with a DPoP-bound token (proof with ath), and refuses it as Bearer', async () => {
    const key = await dpopKey();
    const tokens = await meTokens({ key });
    expect(tokens.token_type).toBe('DPoP');
    const asBearer = await startConnect(tokens);
    expectProblem(asBearer.connect, 401, 'https://auth0.com/api-errors/A0E-401-0003');
    expect(asBearer.connect.headers.get('www-authenticate')).toMatch(/^DPoP /);
    const started = await startConnect(tokens, {}, key);
    expect(started.connect.status).toBe(201);
    const back = await consent(started);
    const code = back.searchParams.get('connect_code') ?? '';
    const completed = await complete(tokens, started, code, {}, key);
    expect(completed.status).toBe(201);
  });

  it('gets a My Account token by refreshing with an audience switch', async () => {
    const { tokens } = await codeFlow(issuer, {
      overrides: { audience: API, scope: 'openid offline_access read:notes' },
    });
    const switched = await postForm(`${issuer}oauth/token`, {
      grant_type: 'refresh_token',
      client_id: 'test-spa',
      refresh_token: tokens.body.refresh_token,
      audience: me,
      scope: 'create:me:connected_accounts',
    });
    expect(switched.status).toBe(200);
    expect(decodePayload(switched.body.access_token)).toMatchObject({
      aud: me,
      scope: 'create:me:connected_accounts',
    });
    expect((await startConnect(switched.body.access_token)).connect.status).toBe(201);
  });

  it('answers CORS for the app origin', async () => {
    const preflight = await fetch(`${me}v1/connected-accounts/connect`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, dpop, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const tokens = await meTokens();
    const started = await startConnect(tokens);
    const refused = await callMe('POST', 'v1/connected-accounts/connect', {
      headers: { origin: APP_ORIGIN },
      body: {},
    });
    expect(refused.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(started.connect.status).toBe(201);
  });
});

describe('connect flow errors', () => {
  it('a wrong code_verifier is refused, and spends the flow', async () => {
    const tokens = await meTokens();
    const started = await startConnect(tokens);
    const code = (await consent(started)).searchParams.get('connect_code') ?? '';
    const wrong = await complete(tokens, started, code, { code_verifier: 'x'.repeat(43) });
    expectProblem(wrong, 400, 'urn:auth0-enclave:problem:invalid-code-verifier');
    const retry = await complete(tokens, started, code);
    expectProblem(retry, 400, 'urn:auth0-enclave:problem:invalid-connect-code');
    expect((await vault(tokens.refresh_token)).status).toBe(401);
  });

  it('a connect_code works once', async () => {
    const tokens = await meTokens();
    const started = await startConnect(tokens);
    const code = (await consent(started)).searchParams.get('connect_code') ?? '';
    expect((await complete(tokens, started, code)).status).toBe(201);
    const reused = await complete(tokens, started, code);
    expectProblem(reused, 400, 'urn:auth0-enclave:problem:invalid-connect-code');
    expect(reused.body.detail).toContain('already been used');
  });

  it('an expired connect_code is refused', async () => {
    const tokens = await meTokens();
    const started = await startConnect(tokens);
    const code = (await consent(started)).searchParams.get('connect_code') ?? '';
    await adminPost(issuer, 'clock', { advance: 61 });
    const expired = await complete(tokens, started, code);
    expectProblem(expired, 400, 'urn:auth0-enclave:problem:invalid-connect-code');
    expect(expired.body.detail).toContain('expired');
  });

  it('a wrong connect_code or redirect_uri is refused', async () => {
    const tokens = await meTokens();
    const started = await startConnect(tokens);
    await consent(started);
    expectProblem(
      await complete(tokens, started, 'not-the-code'),
      400,
      'urn:auth0-enclave:problem:invalid-connect-code',
    );
    const other = await startConnect(tokens);
    const code = (await consent(other)).searchParams.get('connect_code') ?? '';
    expectProblem(
      await complete(tokens, other, code, { redirect_uri: `${APP_ORIGIN}/elsewhere` }),
      400,
      'urn:auth0-enclave:problem:invalid-redirect-uri',
    );
  });

  it('a denied consent redirects with access_denied, and complete refuses', async () => {
    const tokens = await meTokens();
    const started = await startConnect(tokens);
    const back = await consent(started, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(started.state);
    expect(back.searchParams.get('connect_code')).toBeNull();
    const refused = await complete(tokens, started, 'whatever');
    expectProblem(refused, 400, 'urn:auth0-enclave:problem:invalid-connect-code');
  });

  it('the consent page refuses unknown, used and expired tickets, and cross-site posts', async () => {
    const tokens = await meTokens();
    const unknown = await fetch(`${issuer}connect?ticket=nope`);
    expect(unknown.status).toBe(400);
    const started = await startConnect(tokens);
    const ticket = started.connect.body.connect_params.ticket;
    const crossSite = await fetch(`${issuer}connect`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
      },
      body: new URLSearchParams({ ticket, decision: 'allow' }),
    });
    expect(crossSite.status).toBe(403);
    await consent(started);
    expect((await fetch(`${issuer}connect?ticket=${ticket}`)).status).toBe(400);
    const late = await startConnect(tokens);
    await adminPost(issuer, 'clock', { advance: 301 });
    const page = await fetch(`${issuer}connect?ticket=${late.connect.body.connect_params.ticket}`);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('a token without the scope is 403 problem details', async () => {
    const tokens = await meTokens({ scope: 'openid offline_access read:me:connected_accounts' });
    const started = await startConnect(tokens);
    expectProblem(started.connect, 403, 'urn:auth0-enclave:problem:insufficient-scope');
    expect(started.connect.body.detail).toContain('create:me:connected_accounts');
    expect(started.connect.headers.get('www-authenticate')).toContain('insufficient_scope');
    const list = await callMe('GET', 'v1/connected-accounts/accounts', { token: tokens });
    expect(list.status).toBe(200);
  });

  it('no token, a token for another audience, or a revoked one is 401 problem details', async () => {
    expectProblem((await startConnect('')).connect, 401);
    const none = await callMe('POST', 'v1/connected-accounts/connect', { body: {} });
    expectProblem(none, 401, 'https://auth0.com/api-errors/A0E-401-0003');
    const { tokens: api } = await codeFlow(issuer, {
      overrides: { audience: API, scope: `openid ${ME_SCOPES}` },
    });
    expectProblem((await startConnect(api.body.access_token)).connect, 401);
    const tokens = await meTokens();
    await postForm(`${issuer}oauth/revoke`, { client_id: 'test-spa', token: tokens.refresh_token });
    expectProblem((await startConnect(tokens)).connect, 401);
  });

  it('invalid input is a 400 listing every field', async () => {
    const tokens = await meTokens();
    const response = await callMe('POST', 'v1/connected-accounts/connect', {
      token: tokens,
      body: {
        connection: 'github',
        redirect_uri: 'https://evil.example/callback',
        code_challenge: 'short',
        code_challenge_method: 'plain',
        scopes: 'openid',
      },
    });
    expectProblem(response, 400, 'urn:auth0-enclave:problem:validation-error');
    const fields = response.body.validation_errors.map((error: { field: string }) => error.field);
    expect(fields.sort()).toEqual(
      [
        'code_challenge',
        'code_challenge_method',
        'connection',
        'redirect_uri',
        'scopes',
        'state',
      ].sort(),
    );
    expect(response.body.validation_errors[0]).toMatchObject({
      detail: expect.any(String),
      pointer: expect.stringMatching(/^\//),
      source: 'body',
    });
    const notJson = await callMe('POST', 'v1/connected-accounts/complete', {
      token: tokens,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(notJson, 400);
    const missing = await callMe('POST', 'v1/connected-accounts/complete', {
      token: tokens,
      body: {},
    });
    expect(missing.body.validation_errors).toHaveLength(4);
  });

  it("another user's auth_session is refused", async () => {
    const alice = await meTokens();
    const started = await startConnect(alice);
    const code = (await consent(started)).searchParams.get('connect_code') ?? '';
    const bob = await meTokens({
      credentials: { ...ALICE, email: 'bob@example.com', password: 'builder' },
    });
    expectProblem(
      await complete(bob, started, code),
      400,
      'urn:auth0-enclave:problem:invalid-auth-session',
    );
    expect((await complete(alice, started, code)).status).toBe(201);
  });
});
