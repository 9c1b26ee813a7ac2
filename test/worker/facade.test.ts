import 'fake-indexeddb/auto';
import { ALICE, API, APP_ORIGIN, REDIRECT_URI, useTenant } from 'auth0-enclave-tenant/testing';
import { calculateJwkThumbprint, EmbeddedJWK, type JWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  InvalidStateError,
  LoginRequiredError,
  NotAllowedError,
  TokenNotExposedError,
} from '../../src/core/errors.js';
import { serializeError } from '../../src/rpc/errors.js';
import type { WorkerApi, WorkerMethod } from '../../src/rpc/protocol.js';
import type { AuthWorkerConfig, ResolvedConfig } from '../../worker/config.js';
import { createFacade } from '../../worker/facade.js';
import { tokenKey } from '../../worker/policy.js';
import { RESULT_TTL_MS } from '../../worker/vault.js';
import { callbackFromTenant, createWorker, loginThroughWorker } from '../helpers/worker-harness.js';
import { WORKER_METHODS } from '../helpers/worker-methods.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

const FILES_AUDIENCE = 'https://files.example.com/';

function facadeFor(config: Partial<AuthWorkerConfig> = {}, clientId = 'tab-1') {
  const worker = createWorker({
    issuer,
    config: {
      apis: [
        { url: `${API}v1` },
        { url: 'https://files.example.com', audience: FILES_AUDIENCE, scope: 'openid read:files' },
      ],
      ...config,
    },
  });
  return { worker, facade: createFacade(worker.deps, clientId) };
}

/** Calls a facade method with arguments its types would not allow (as a hostile page can). */
function callLoose(facade: WorkerApi, method: WorkerMethod, ...args: unknown[]): Promise<unknown> {
  return (facade[method] as (...values: unknown[]) => Promise<unknown>)(...args);
}

describe('the facade object', () => {
  let facade: WorkerApi;
  beforeAll(() => {
    facade = facadeFor().facade;
  });

  it('is frozen, has no prototype, and holds exactly the WorkerApi methods as plain values', () => {
    expect(Object.isFrozen(facade)).toBe(true);
    expect(Object.getPrototypeOf(facade)).toBeNull();
    expect(Reflect.ownKeys(facade).sort()).toEqual([...WORKER_METHODS].sort());
    for (const key of Reflect.ownKeys(facade)) {
      const descriptor = Object.getOwnPropertyDescriptor(facade, key);
      expect(descriptor?.get, String(key)).toBeUndefined();
      expect(descriptor?.set, String(key)).toBeUndefined();
      expect(typeof descriptor?.value, String(key)).toBe('function');
      expect(descriptor?.writable).toBe(false);
      expect(descriptor?.configurable).toBe(false);
    }
  });

  it('offers nothing to walk to: no constructor, no __proto__, no toString', () => {
    const loose = facade as unknown as Record<string, unknown>;
    for (const name of [
      'constructor',
      '__proto__',
      'toString',
      'valueOf',
      'hasOwnProperty',
      'then',
    ])
      expect(loose[name], name).toBeUndefined();
  });

  it('cannot be changed', () => {
    const loose = facade as unknown as Record<string, unknown>;
    expect(() => {
      loose.getTokenSilently = async () => ({ access_token: 'x' });
    }).toThrow(TypeError);
    expect(() => {
      loose.extra = 1;
    }).toThrow(TypeError);
    expect(() => Object.setPrototypeOf(facade, Object.prototype)).toThrow(TypeError);
  });

  it('is a new object per connection', () => {
    const { worker } = facadeFor();
    expect(createFacade(worker.deps, 'a')).not.toBe(createFacade(worker.deps, 'b'));
  });
});

describe('getConfiguration', () => {
  it('returns the public configuration as a copy', async () => {
    const { facade, worker } = facadeFor();
    const config = await facade.getConfiguration();
    expect(config).toEqual({
      domain: issuer,
      clientId: 'sample-spa',
      issuer: new URL(issuer).href,
      leeway: 60,
      authorizationParams: {
        redirect_uri: REDIRECT_URI,
        audience: API,
        scope: 'openid profile email offline_access',
      },
      apis: [
        { url: `${API}v1`, audience: API, scope: 'openid profile email offline_access' },
        { url: 'https://files.example.com', audience: FILES_AUDIENCE, scope: 'openid read:files' },
      ],
      useDpop: true,
      persistence: 'indexeddb',
      exposeAccessTokens: false,
      exposeDpopProofs: false,
      fetchWithAuthOnly: true,
      version: expect.any(String),
    });
    config.authorizationParams.audience = 'https://evil/';
    config.exposeAccessTokens = true;
    expect(worker.config.authorizationParams.audience).toBe(API);
    expect((await facade.getConfiguration()).exposeAccessTokens).toBe(false);
  });
});

describe('tokenKey: only audiences and scopes of the config', () => {
  let config: ResolvedConfig;
  beforeAll(() => {
    config = facadeFor().worker.config;
  });

  it('defaults to the login audience and scope, or the matching entry’s scope', () => {
    expect(tokenKey(config, undefined)).toEqual({
      audience: API,
      scope: 'openid profile email offline_access',
    });
    expect(tokenKey(config, { audience: FILES_AUDIENCE })).toEqual({
      audience: FILES_AUDIENCE,
      scope: 'openid read:files',
    });
    expect(tokenKey(config, { scope: 'openid email' })).toEqual({
      audience: API,
      scope: 'openid email',
    });
  });

  it.each([
    ['an unknown audience', { audience: 'https://evil.example.com/' }],
    ['an audience that differs by a slash', { audience: 'https://api.example.com' }],
    ['an unknown scope', { scope: 'openid admin:all' }],
    ['one unknown scope among known ones', { scope: 'openid read:files delete:files' }],
  ])('refuses %s with NotAllowedError', (_, options) => {
    expect(() => tokenKey(config, options)).toThrow(NotAllowedError);
  });

  it.each([
    ['a numeric audience', { audience: 1 }],
    ['an empty audience', { audience: '' }],
    ['a scope array', { scope: ['openid'] }],
    ['an empty scope', { scope: '' }],
    ['options that are not an object', 'audience'],
    ['null options', null],
  ])('refuses %s with a TypeError', (_, options) => {
    expect(() => tokenKey(config, options as never)).toThrow(TypeError);
  });
});

describe('getTokenSilently', () => {
  it('refuses with TokenNotExposedError unless the worker config exposes tokens, before anything else', async () => {
    const { facade, worker } = facadeFor();
    await loginThroughWorker(worker, issuer);
    for (const options of [undefined, {}, { cacheMode: 'off' }, { audience: 'https://evil/' }]) {
      await expect(callLoose(facade, 'getTokenSilently', options)).rejects.toBeInstanceOf(
        TokenNotExposedError,
      );
    }
    expect(server.tenant.admin.requests({ path: '/oauth/token' })).toHaveLength(2); // the login only
  });

  it('hands the token out when exposeAccessTokens is set, within the config', async () => {
    const { facade, worker } = facadeFor({ exposeAccessTokens: true });
    await expect(facade.getTokenSilently({ cacheMode: 'cache-only' })).rejects.toBeInstanceOf(
      LoginRequiredError,
    );
    await loginThroughWorker(worker, issuer);
    const details = await facade.getTokenSilently();
    expect(details).toEqual({
      access_token: expect.any(String),
      token_type: 'DPoP',
      expires_in: expect.any(Number),
      scope: expect.any(String),
    });
    expect(details.expires_in).toBeGreaterThan(3500);
    expect((await facade.getTokenSilently({ cacheMode: 'cache-only' })).access_token).toBe(
      details.access_token,
    );
    const fresh = await facade.getTokenSilently({ cacheMode: 'off' });
    expect(fresh.access_token).not.toBe(details.access_token);
    await expect(
      facade.getTokenSilently({ audience: 'https://evil.example.com/' }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(callLoose(facade, 'getTokenSilently', { cacheMode: 'sometimes' })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('login through the facade', () => {
  it('startLogin refuses options that are not an object', async () => {
    const { facade } = facadeFor();
    for (const options of [null, 'x', 1, []])
      await expect(callLoose(facade, 'startLogin', options)).rejects.toThrow(TypeError);
  });

  it.each([
    ['another origin', 'https://evil.example.com/callback?code=x&state=y'],
    ['another scheme', `${REDIRECT_URI.replace('http:', 'https:')}?code=x&state=y`],
    ['another port', 'http://localhost:3001/callback?code=x&state=y'],
    ['another path', `${APP_ORIGIN}/callbackx?code=x&state=y`],
    ['a sub-path', `${APP_ORIGIN}/callback/x?code=x&state=y`],
    ['a look-alike host', 'http://localhost.evil.com:3000/callback?code=x&state=y'],
  ])('redeemCallback refuses a URL on %s, without a token request', async (_, url) => {
    const { facade } = facadeFor();
    await expect(facade.redeemCallback(url)).rejects.toBeInstanceOf(NotAllowedError);
    expect(server.tenant.admin.requests({ path: '/oauth/token' })).toHaveLength(0);
  });

  it('redeemCallback refuses what is not a URL string with a TypeError', async () => {
    const { facade } = facadeFor();
    for (const url of [undefined, 1, '', 'callback?code=x', { href: REDIRECT_URI }])
      await expect(callLoose(facade, 'redeemCallback', url)).rejects.toThrow(TypeError);
  });

  it('redeemCallback redeems the redirect_uri callback once, then answers InvalidStateError', async () => {
    const { facade, worker } = facadeFor();
    const callback = await callbackFromTenant(
      issuer,
      (await facade.startLogin({ appState: { to: '/x' } })).url,
    );
    expect(await facade.redeemCallback(callback)).toEqual({ appState: { to: '/x' } });
    expect(await facade.getSession()).toMatchObject({
      authenticated: true,
      user: { sub: ALICE.sub },
    });
    expect(await facade.getIdTokenClaims()).toMatchObject({ sub: ALICE.sub, iss: issuer });
    expect(await facade.checkSession()).toMatchObject({ authenticated: true });
    await expect(facade.redeemCallback(callback)).rejects.toBeInstanceOf(InvalidStateError);
    expect(worker.broadcasts).toHaveLength(1);
  });

  it('takeLoginResult without a result is InvalidStateError', async () => {
    const { facade } = facadeFor();
    await expect(facade.takeLoginResult()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('takeLoginResult hands a result to its page once (or the "latest" one), and not after five minutes', async () => {
    const { facade, worker } = facadeFor({}, 'tab-1');
    const now = Date.now();
    await worker.vault.putResult('tab-1', { ok: true, appState: { mine: true }, createdAt: now });
    await worker.vault.putResult('tab-2', { ok: true, appState: { theirs: true }, createdAt: now });
    expect(await facade.takeLoginResult()).toEqual({ appState: { mine: true } });
    await expect(facade.takeLoginResult()).rejects.toBeInstanceOf(InvalidStateError);

    await worker.vault.putResult('latest', { ok: true, appState: 'latest', createdAt: now });
    expect(await facade.takeLoginResult()).toEqual({ appState: 'latest' });

    await worker.vault.putResult('tab-1', { ok: true, appState: 1, createdAt: now });
    worker.clock.offsetMs = RESULT_TTL_MS + 1000;
    await expect(facade.takeLoginResult()).rejects.toBeInstanceOf(InvalidStateError);
  });

  it('takeLoginResult rethrows a failed login as its own class, with the appState', async () => {
    const { facade, worker } = facadeFor();
    const error = new AuthenticationError({
      error: 'access_denied',
      message: 'The user said no.',
      state: 's',
      appState: { to: '/y' },
    });
    await worker.vault.putResult('tab-1', {
      ok: false,
      error: serializeError(error),
      appState: { to: '/y' },
      createdAt: Date.now(),
    });
    const taken = facade.takeLoginResult();
    await expect(taken).rejects.toBeInstanceOf(AuthenticationError);
    await expect(taken).rejects.toMatchObject({
      error: 'access_denied',
      error_description: 'The user said no.',
      appState: { to: '/y' },
    });
  });
});

describe('session calls', () => {
  it('checkSession without a session is LoginRequiredError; getSession says unauthenticated', async () => {
    const { facade } = facadeFor();
    await expect(facade.checkSession()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(await facade.getSession()).toEqual({ authenticated: false });
    expect(await facade.getIdTokenClaims()).toBeUndefined();
  });

  it('checkSession refuses audiences outside the config', async () => {
    const { facade, worker } = facadeFor();
    await loginThroughWorker(worker, issuer);
    await expect(facade.checkSession({ audience: 'https://evil/' })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
  });

  it('getDpopNonce reads the nonce of a server origin', async () => {
    const { facade, worker } = facadeFor();
    expect(await facade.getDpopNonce()).toBeUndefined();
    await loginThroughWorker(worker, issuer);
    const nonce = await facade.getDpopNonce();
    expect(nonce).toEqual(expect.any(String));
    expect(await facade.getDpopNonce(`${issuer}any/path?q`)).toBe(nonce);
    expect(await facade.getDpopNonce('https://api.example.com')).toBeUndefined();
    await expect(callLoose(facade, 'getDpopNonce', 'not a url')).rejects.toThrow(TypeError);
    await expect(callLoose(facade, 'getDpopNonce', 42)).rejects.toThrow(TypeError);
  });

  it('setDpopNonce and generateDpopProof are refused unless exposeDpopProofs, and change nothing', async () => {
    const { facade, worker } = facadeFor();
    await loginThroughWorker(worker, issuer);
    const nonce = await facade.getDpopNonce();
    await expect(facade.setDpopNonce('attacker-nonce')).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      facade.setDpopNonce('attacker-nonce', 'https://api.example.com'),
    ).rejects.toBeInstanceOf(NotAllowedError);
    await expect(
      facade.generateDpopProof({ url: `${API}v1/notes`, method: 'GET' }),
    ).rejects.toBeInstanceOf(NotAllowedError);
    expect(await facade.getDpopNonce()).toBe(nonce);
    expect(await facade.getDpopNonce('https://api.example.com')).toBeUndefined();
  });

  it('with exposeDpopProofs, proofs are signed by the session key and nonces are checked', async () => {
    const { facade, worker } = facadeFor({ exposeDpopProofs: true });
    await expect(
      facade.generateDpopProof({ url: `${API}v1/notes`, method: 'GET' }),
    ).rejects.toBeInstanceOf(LoginRequiredError);
    await loginThroughWorker(worker, issuer);
    await facade.setDpopNonce('api-nonce', 'https://api.example.com/v1/x');
    expect(await facade.getDpopNonce('https://api.example.com')).toBe('api-nonce');
    for (const bad of ['', 'has space', 'quote"', 'x'.repeat(513)])
      await expect(facade.setDpopNonce(bad)).rejects.toThrow(TypeError);
    await expect(
      callLoose(facade, 'generateDpopProof', { url: 'x', method: 'GET' }),
    ).rejects.toThrow(TypeError);

    const proof = await facade.generateDpopProof({
      url: `${API}v1/notes?page=2#top`,
      method: 'post',
      nonce: 'api-nonce',
      accessToken: 'at',
    });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    expect(await calculateJwkThumbprint(protectedHeader.jwk as JWK)).toBe(
      worker.session.key?.thumbprint,
    );
    expect(payload).toMatchObject({ htm: 'POST', htu: `${API}v1/notes`, nonce: 'api-nonce' });
    expect(payload.ath).toEqual(expect.any(String));
  });

  it('logout checks its options, returns the URL, or nothing with localOnly', async () => {
    const { facade, worker } = facadeFor();
    await expect(callLoose(facade, 'logout', 'x')).rejects.toThrow(TypeError);
    await expect(callLoose(facade, 'logout', { returnTo: 5 })).rejects.toThrow(TypeError);
    await loginThroughWorker(worker, issuer);
    const url = new URL((await facade.logout()) ?? '');
    expect(url.origin).toBe(new URL(issuer).origin);
    expect(await facade.getSession()).toEqual({ authenticated: false });
    expect(await facade.logout({ localOnly: true })).toBeUndefined();
    expect(worker.broadcasts.at(-1)).toEqual({ authenticated: false, reason: 'logout' });
  });
});
