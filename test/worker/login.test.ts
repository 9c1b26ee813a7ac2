import 'fake-indexeddb/auto';
import {
  ALICE,
  API,
  APP_ORIGIN,
  REDIRECT_URI,
  sha256,
  useTenant,
} from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, InvalidStateError, NotAllowedError } from '../../src/core/errors.js';
import { deserializeError } from '../../src/rpc/errors.js';
import { completeCallback as completeLogin } from '../../worker/callback.js';
import { resolveConfig } from '../../worker/config.js';
import { startLogin } from '../../worker/login.js';
import { checkPageAuthorizationParams } from '../../worker/policy.js';
import { MAX_TRANSACTIONS, TRANSACTION_TTL_MS, type Transaction } from '../../worker/vault.js';
import {
  callbackFromTenant,
  createWorker,
  loginThroughWorker,
  loginTokenKey,
  readVault,
  restartWorker,
  vaultCounts,
} from '../helpers/worker-harness.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

function tokenRequests(grantType = 'authorization_code') {
  return server.tenant.admin
    .requests({ path: '/oauth/token' })
    .filter((entry) => entry.grantType === grantType);
}

describe('checkPageAuthorizationParams', () => {
  const config = resolveConfig(
    {
      domain: 'tenant.example.com',
      clientId: 'client',
      authorizationParams: {
        redirect_uri: `${APP_ORIGIN}/callback`,
        audience: API,
        scope: 'read:notes',
      },
      apis: [
        { url: 'https://api.example.com/v1' },
        { url: 'https://files.example.com', audience: 'https://files/', scope: 'read:files' },
      ],
    },
    APP_ORIGIN,
  );
  const check = (params: unknown) => checkPageAuthorizationParams(config, params as never);

  it('passes what the config allows, as a copy', () => {
    const params = {
      prompt: 'login',
      login_hint: 'alice@example.com',
      organization: 'org_wonderland',
      max_age: 300,
      screen_hint: 'signup',
      ui_locales: 'fr',
      response_mode: 'query',
      redirect_uri: `${APP_ORIGIN}/callback`,
      audience: 'https://files/',
      scope: ' openid  read:files\tprofile read:notes offline_access ',
    };
    const checked = check(params);
    expect(checked).toEqual(params);
    expect(checked).not.toBe(params);
    expect(check(undefined)).toEqual({});
    expect(check({ audience: API })).toEqual({ audience: API });
  });

  it.each([
    ['another redirect_uri', { redirect_uri: 'https://evil.example.com/callback' }],
    ['another path on the origin', { redirect_uri: `${APP_ORIGIN}/other` }],
    ['the redirect_uri with a query', { redirect_uri: `${APP_ORIGIN}/callback?x=1` }],
    ['response_mode fragment', { response_mode: 'fragment' }],
    ['response_mode form_post', { response_mode: 'form_post' }],
    ['response_mode web_message', { response_mode: 'web_message' }],
    ['an unknown audience', { audience: 'https://evil/' }],
    ['an audience that differs by a slash', { audience: 'https://api.example.com' }],
    ['an empty audience', { audience: '' }],
    ['a numeric audience', { audience: 7 }],
    ['an unknown scope', { scope: 'openid admin' }],
    ['a scope that only looks allowed', { scope: 'read:notes,write:notes' }],
  ])('refuses %s with NotAllowedError', (_, params) => {
    expect(() => check(params)).toThrow(NotAllowedError);
  });

  it.each([
    ['a numeric scope', { scope: 5 }],
    ['a scope array', { scope: ['openid'] }],
    ['null params', null],
    ['array params', []],
    ['string params', 'prompt=login'],
  ])('refuses %s with a TypeError', (_, params) => {
    expect(() => check(params)).toThrow(TypeError);
  });
});

describe('startLogin', () => {
  it('stores the transaction in the vault and returns only the /authorize URL, without a key yet', async () => {
    const worker = createWorker({ issuer });
    const url = new URL(
      (
        await startLogin(worker.deps, {
          authorizationParams: { prompt: 'login', max_age: 120, organization: 'org_wonderland' },
          appState: { returnTo: '/notes', list: [1, 2] },
        })
      ).url,
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}authorize`);
    const query = url.searchParams;
    // The session key is made when the code is redeemed (worker/key-binding.ts): this URL goes
    // through the page, so a dpop_jkt in it would be the page's to choose.
    expect(worker.session.key).toBeUndefined();
    expect(query.has('dpop_jkt')).toBe(false);
    expect(query.get('client_id')).toBe('sample-spa');
    expect(query.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(query.get('audience')).toBe(API);
    expect(query.get('scope')).toBe('openid profile email offline_access');
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('prompt')).toBe('login');

    const { transactions, keys } = await readVault(worker.vaultName);
    expect(keys).toHaveLength(0);
    expect(transactions).toHaveLength(1);
    const transaction = transactions?.[0] as Transaction;
    expect(transaction).toMatchObject({
      state: query.get('state'),
      nonce: query.get('nonce'),
      redirectUri: REDIRECT_URI,
      audience: API,
      scope: 'openid profile email offline_access',
      maxAge: 120,
      organization: 'org_wonderland',
      appState: { returnTo: '/notes', list: [1, 2] },
      jkt: undefined,
    });
    expect(await sha256(transaction.codeVerifier)).toBe(query.get('code_challenge'));
    // The verifier stays in the worker.
    expect(url.href).not.toContain(transaction.codeVerifier);
  });

  it('gives every login a key of its own, made at redemption, and stores only the latest', async () => {
    const worker = createWorker({ issuer });
    await loginThroughWorker(worker, issuer);
    const first = worker.session.key?.thumbprint;
    await loginThroughWorker(worker, issuer);
    const second = worker.session.key?.thumbprint;
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const redeemed = tokenRequests().filter((entry) => entry.status === 200);
    expect(redeemed.map((entry) => entry.dpopJkt)).toEqual([first, second]);
    expect((await readVault(worker.vaultName)).keys).toHaveLength(1);
  });

  it('sends no dpop_jkt and stores no key without DPoP', async () => {
    const worker = createWorker({ issuer, config: { clientId: 'test-spa', useDpop: false } });
    const url = new URL((await startLogin(worker.deps, {})).url);
    expect(url.searchParams.has('dpop_jkt')).toBe(false);
    const { keys, transactions } = await readVault(worker.vaultName);
    expect(keys).toHaveLength(0);
    expect(transactions).toHaveLength(1);
    expect((transactions as Transaction[])[0]).toMatchObject({ jkt: undefined });
  });

  it.each([
    ['client_id', { client_id: 'other-client' }],
    ['response_type', { response_type: 'token' }],
    ['state', { state: 'chosen' }],
    ['nonce', { nonce: 'chosen' }],
    ['code_challenge', { code_challenge: 'chosen' }],
    ['code_challenge_method', { code_challenge_method: 'plain' }],
    ['dpop_jkt', { dpop_jkt: 'attacker-key' }],
    ['request_uri', { request_uri: 'urn:ietf:params:oauth:request_uri:x' }],
  ])('refuses a page-chosen %s and stores nothing', async (_, authorizationParams) => {
    const worker = createWorker({ issuer });
    await expect(startLogin(worker.deps, { authorizationParams })).rejects.toThrow(TypeError);
    expect((await vaultCounts(worker.vaultName)).transactions).toBe(0);
  });

  it.each([
    ['too large', { blob: 'x'.repeat(16 * 1024) }, /appState.*16384/],
    [
      'circular',
      (() => {
        const value: Record<string, unknown> = {};
        value.self = value;
        return value;
      })(),
      /appState.*JSON/,
    ],
    ['a BigInt', { n: 10n }, /appState.*JSON/],
    ['a function', () => {}, /appState.*JSON/],
    ['a symbol', Symbol('x'), /appState.*JSON/],
  ])(
    'refuses an appState that is %s with a TypeError, before writing anything',
    async (_, appState, message) => {
      const worker = createWorker({ issuer });
      const attempt = startLogin(worker.deps, { appState });
      await expect(attempt).rejects.toThrow(TypeError);
      await expect(attempt).rejects.toThrow(message);
      expect(await vaultCounts(worker.vaultName)).toMatchObject({ keys: 0, transactions: 0 });
    },
  );

  it('keeps an appState just under the limit, as JSON', async () => {
    const worker = createWorker({ issuer });
    const appState = { blob: 'x'.repeat(16 * 1024 - 100), when: new Date(0), skip: undefined };
    await startLogin(worker.deps, { appState });
    const [transaction] = (await readVault(worker.vaultName)).transactions as Transaction[];
    expect(transaction?.appState).toEqual({
      blob: appState.blob,
      when: '1970-01-01T00:00:00.000Z',
    });
  });

  it(`refuses more than MAX_TRANSACTIONS (${MAX_TRANSACTIONS}) pending logins until old ones expire`, async () => {
    const worker = createWorker({ issuer });
    for (let i = 0; i < MAX_TRANSACTIONS; i++) (await startLogin(worker.deps, {})).url;
    await expect(startLogin(worker.deps, {})).rejects.toBeInstanceOf(NotAllowedError);
    expect((await vaultCounts(worker.vaultName)).transactions).toBe(MAX_TRANSACTIONS);
    worker.clock.offsetMs = TRANSACTION_TTL_MS + 1000;
    await startLogin(worker.deps, {});
    // The expired ones were pruned when the new one was stored.
    expect((await vaultCounts(worker.vaultName)).transactions).toBe(1);
  });
});

describe('completeLogin against the tenant (DPoP required, with nonces)', () => {
  it('redeems the code with a DPoP proof of the session key and establishes the session', async () => {
    const worker = createWorker({ issuer });
    const authorizeUrl = (await startLogin(worker.deps, { appState: { returnTo: '/notes' } })).url;
    const callback = await callbackFromTenant(issuer, authorizeUrl);
    expect(new URL(callback).origin + new URL(callback).pathname).toBe(REDIRECT_URI);

    const result = await completeLogin(worker.deps, callback);
    expect(result).toEqual({
      ok: true,
      appState: { returnTo: '/notes' },
      mode: 'redirect',
      loginId: expect.any(String),
      createdAt: expect.any(Number),
    });

    const jkt = worker.session.key?.thumbprint;
    const exchanges = tokenRequests();
    // First without a nonce (the tenant answers use_dpop_nonce), then once with it.
    expect(exchanges.map((entry) => entry.status)).toEqual([400, 200]);
    expect(exchanges.every((entry) => entry.dpopJkt === jkt)).toBe(true);
    expect(new Set(exchanges.map((entry) => entry.dpopJti)).size).toBe(2);

    const state = await worker.session.state();
    expect(state).toMatchObject({
      authenticated: true,
      user: { sub: ALICE.sub, email: ALICE.email },
    });
    expect(state.user).not.toHaveProperty('nonce');
    expect(state.user).not.toHaveProperty('iss');
    expect(worker.broadcasts).toEqual([{ authenticated: true, user: state.user, reason: 'login' }]);

    const token = await worker.session.getAccessToken(loginTokenKey(worker));
    expect(token.tokenType).toBe('DPoP');
    expect(decodeJwt(token.accessToken).cnf).toEqual({ jkt });
    // Served from memory: no refresh.
    expect(tokenRequests('refresh_token')).toHaveLength(0);

    const vault = await readVault(worker.vaultName);
    expect(vault.transactions).toHaveLength(0);
    expect(vault.session).toHaveLength(1);
    // The DPoP nonce the tenant sent is kept for the next worker.
    expect(vault.nonces).toHaveLength(1);
  });

  it('redeems a state once: a second completeLogin sends no token request', async () => {
    const worker = createWorker({ issuer });
    const callback = await callbackFromTenant(issuer, (await startLogin(worker.deps, {})).url);
    expect((await completeLogin(worker.deps, callback)).ok).toBe(true);
    const before = tokenRequests().length;

    const again = await completeLogin(worker.deps, callback);
    expect(again.ok).toBe(false);
    expect(deserializeError(again.error as never)).toBeInstanceOf(InvalidStateError);
    expect(again.appState).toBeUndefined();
    expect(tokenRequests()).toHaveLength(before);
    expect(await worker.session.state()).toMatchObject({ authenticated: true });
  });

  it.each([
    ['an unknown state', `${REDIRECT_URI}?code=abc&state=not-a-state`],
    ['no state', `${REDIRECT_URI}?code=abc`],
    ['an empty state', `${REDIRECT_URI}?code=abc&state=`],
    ['a state in the fragment only', `${REDIRECT_URI}#code=abc&state=x`],
    ['not a URL', 'callback?code=abc&state=x'],
  ])('drops a callback with %s without any token request', async (_, callback) => {
    const worker = createWorker({ issuer });
    await startLogin(worker.deps, {});
    const result = await completeLogin(worker.deps, callback);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toMatch(/invalid_state|invalid_response/);
    expect(tokenRequests()).toHaveLength(0);
    expect(worker.broadcasts).toEqual([]);
    // The pending login is still there for its real callback.
    expect((await vaultCounts(worker.vaultName)).transactions).toBe(1);
  });

  it('an error callback (prompt=none, no tenant session) is an AuthenticationError with the appState', async () => {
    const worker = createWorker({ issuer });
    const authorizeUrl = (
      await startLogin(worker.deps, {
        authorizationParams: { prompt: 'none' },
        appState: { returnTo: '/silent' },
      })
    ).url;
    const response = await fetch(authorizeUrl, { redirect: 'manual' });
    const callback = response.headers.get('location') ?? '';
    expect(new URL(callback).searchParams.get('error')).toBe('login_required');

    const result = await completeLogin(worker.deps, callback);
    expect(result.ok).toBe(false);
    expect(result.appState).toEqual({ returnTo: '/silent' });
    const error = deserializeError(result.error as never);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      error: 'login_required',
      code: 'authentication_error',
      appState: { returnTo: '/silent' },
      state: new URL(authorizeUrl).searchParams.get('state'),
    });
    expect(tokenRequests()).toHaveLength(0);
    expect(await worker.session.state()).toEqual({ authenticated: false });
    // The transaction was used up by its error.
    expect((await vaultCounts(worker.vaultName)).transactions).toBe(0);
  });

  it('an expired transaction is an unknown state; the code is not redeemed', async () => {
    const worker = createWorker({ issuer });
    const callback = await callbackFromTenant(issuer, (await startLogin(worker.deps, {})).url);
    worker.clock.offsetMs = TRANSACTION_TTL_MS + 1000;
    const result = await completeLogin(worker.deps, callback);
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe('InvalidStateError');
    expect(tokenRequests()).toHaveLength(0);
    expect((await vaultCounts(worker.vaultName)).transactions).toBe(0);
  });

  it('a tampered code fails typed and stores nothing', async () => {
    const worker = createWorker({ issuer });
    const callback = new URL(
      await callbackFromTenant(issuer, (await startLogin(worker.deps, {})).url),
    );
    callback.searchParams.set('code', `${callback.searchParams.get('code')}x`);
    const result = await completeLogin(worker.deps, callback.href);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ name: 'OAuthError', error: 'invalid_grant' });
    expect(await worker.session.state()).toEqual({ authenticated: false });
    expect((await vaultCounts(worker.vaultName)).session).toBe(0);
  });

  it('a worker restarted between /authorize and the callback completes the login', async () => {
    const first = createWorker({ issuer });
    const callback = await callbackFromTenant(issuer, (await startLogin(first.deps, {})).url);

    const restarted = restartWorker(first, issuer);
    const result = await completeLogin(restarted.deps, callback);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    const thumbprint = restarted.session.key?.thumbprint;
    expect(thumbprint).toBeDefined();
    expect(tokenRequests().at(-1)).toMatchObject({ status: 200, dpopJkt: thumbprint });
  });

  it('a login started before a logout is refused after it (its key is gone)', async () => {
    const worker = createWorker({ issuer });
    const callback = await callbackFromTenant(issuer, (await startLogin(worker.deps, {})).url);
    await worker.session.logout({});
    // The logout wiped the transaction too: the state is unknown now.
    const result = await completeLogin(worker.deps, callback);
    expect(result.ok).toBe(false);
    expect(result.error?.name).toBe('InvalidStateError');
    expect(tokenRequests()).toHaveLength(0);
  });

  it('uses the redirect_uri exactly as sent to /authorize when redeeming the code', async () => {
    // `window.location.origin` (no trailing slash) is a common redirect_uri.
    server.tenant.admin.upsertClient({
      clientId: 'spa-root',
      tokenEndpointAuthMethod: 'none',
      redirectUris: [APP_ORIGIN],
      allowedOrigins: [APP_ORIGIN],
      allowedLogoutUrls: [APP_ORIGIN],
      dpop: 'required',
      dpopNonce: true,
    });
    const worker = createWorker({
      issuer,
      config: {
        clientId: 'spa-root',
        authorizationParams: { redirect_uri: APP_ORIGIN, audience: API },
      },
    });
    const result = await loginThroughWorker(worker, issuer);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
  });
});
