import { describe, expect, test } from 'vitest';
import {
  DEFAULT_SCOPE,
  mergeScopes,
  RESERVED_AUTHORIZE_PARAMS,
} from '../../src/core/authorization-params.js';
import { buildAuthorizationUrl } from '../../src/core/authorize-url.js';
import { generateDpopKeyPair } from '../../src/core/dpop-key.js';
import type { AuthorizationParams } from '../../src/core/index.js';
import { s256 } from '../../src/core/pkce.js';
import { testContext } from '../helpers/context.js';
import { createFetchStub } from '../helpers/fetch-stub.js';
import { CLIENT_ID, ISSUER } from '../helpers/jwt-factory.js';

const REDIRECT = 'https://app.example/callback';

function context(dpop?: Awaited<ReturnType<typeof generateDpopKeyPair>>) {
  // Static metadata: no request may be sent while building a URL.
  const stub = createFetchStub();
  return { stub, context: testContext({ fetch: stub.fetch, ...(dpop ? { dpop } : {}) }) };
}

describe('buildAuthorizationUrl', () => {
  test('sets the protocol parameters and sends no request', async () => {
    const { stub, context: ctx } = context();
    const request = await buildAuthorizationUrl(ctx, {
      authorizationParams: { redirect_uri: REDIRECT },
    });
    const url = request.authorizationUrl;
    expect(`${url.origin}${url.pathname}`).toBe(`${ISSUER}authorize`);
    const search = url.searchParams;
    expect(search.get('client_id')).toBe(CLIENT_ID);
    expect(search.get('response_type')).toBe('code');
    expect(search.get('redirect_uri')).toBe(REDIRECT);
    expect(search.get('scope')).toBe(DEFAULT_SCOPE);
    expect(search.get('state')).toBe(request.state);
    expect(search.get('nonce')).toBe(request.nonce);
    expect(search.get('code_challenge_method')).toBe('S256');
    expect(search.get('code_challenge')).toBe(await s256(request.codeVerifier));
    expect(search.has('dpop_jkt')).toBe(false);
    for (const name of ['client_id', 'response_type', 'state', 'nonce', 'code_challenge']) {
      expect(search.getAll(name)).toHaveLength(1);
    }
    expect(stub.requests).toHaveLength(0);
  });

  test('passes every WIRE.md parameter through', async () => {
    const { context: ctx } = context();
    const params = {
      redirect_uri: REDIRECT,
      audience: 'https://api.example/',
      response_mode: 'web_message',
      prompt: 'none',
      organization: 'org_123',
      invitation: 'inv-1',
      screen_hint: 'signup',
      login_hint: 'user@example.com',
      max_age: 300,
      ui_locales: 'fr-CA en',
      acr_values: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
      connection: 'google-oauth2',
      auth0Client: 'eyJuYW1lIjoieCJ9',
      custom_flag: true,
    } satisfies AuthorizationParams;
    const { authorizationUrl, params: sent } = await buildAuthorizationUrl(ctx, {
      authorizationParams: params,
    });
    for (const [key, value] of Object.entries(params)) {
      expect(authorizationUrl.searchParams.get(key), key).toBe(String(value));
    }
    expect(sent).toMatchObject(params);
  });

  test('per-call parameters win over defaults; undefined values are left out', async () => {
    const { context: ctx } = context();
    const { authorizationUrl } = await buildAuthorizationUrl(ctx, {
      defaults: { redirect_uri: 'https://app.example/default', audience: 'a', custom: 'x' },
      authorizationParams: { redirect_uri: REDIRECT, audience: 'b', custom: undefined },
    });
    expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(authorizationUrl.searchParams.get('audience')).toBe('b');
    expect(authorizationUrl.searchParams.has('custom')).toBe(false);
  });

  test('openid is always in the scope; per-call scopes add to the default without duplicates', async () => {
    const { context: ctx } = context();
    const scopeOf = async (defaults?: string, perCall?: string) =>
      (
        await buildAuthorizationUrl(ctx, {
          defaults: {
            redirect_uri: REDIRECT,
            ...(defaults === undefined ? {} : { scope: defaults }),
          },
          authorizationParams: perCall === undefined ? {} : { scope: perCall },
        })
      ).authorizationUrl.searchParams.get('scope');
    expect(await scopeOf()).toBe('openid profile email');
    expect(await scopeOf('profile')).toBe('openid profile');
    expect(await scopeOf(undefined, 'offline_access')).toBe('openid profile email offline_access');
    expect(await scopeOf('read:x openid', 'read:x  write:y openid')).toBe('openid read:x write:y');
    expect(await scopeOf('', '')).toBe('openid');
  });

  test.each(RESERVED_AUTHORIZE_PARAMS)(
    'reserved parameter %s is refused with a TypeError naming it',
    async (name) => {
      const { context: ctx } = context();
      const attempt = (where: 'defaults' | 'authorizationParams') =>
        buildAuthorizationUrl(ctx, {
          [where]: { redirect_uri: REDIRECT, [name]: 'x' },
        });
      await expect(attempt('authorizationParams')).rejects.toThrow(TypeError);
      await expect(attempt('authorizationParams')).rejects.toThrow(`authorizationParams.${name}"`);
      await expect(attempt('defaults')).rejects.toThrow(TypeError);
    },
  );

  test('the reserved list covers the parameters the SDK sets', () => {
    for (const name of [
      'state',
      'nonce',
      'code_challenge',
      'code_challenge_method',
      'client_id',
      'response_type',
      'dpop_jkt',
    ]) {
      expect(RESERVED_AUTHORIZE_PARAMS).toContain(name);
    }
  });

  test.each([
    ['an object', { a: 1 }],
    ['an array', ['a']],
    ['null', null],
    ['a function', () => 'x'],
  ])('a non-scalar parameter (%s) is a TypeError naming the option', async (_label, value) => {
    const { context: ctx } = context();
    const params = { redirect_uri: REDIRECT, audience: value } as unknown as AuthorizationParams;
    const attempt = buildAuthorizationUrl(ctx, { authorizationParams: params });
    await expect(attempt).rejects.toThrow(TypeError);
    await expect(buildAuthorizationUrl(ctx, { authorizationParams: params })).rejects.toThrow(
      '"authorizationParams.audience"',
    );
  });

  test.each([
    ['missing', {}],
    ['empty', { redirect_uri: '' }],
  ])('a %s redirect_uri is a TypeError naming the option', async (_label, params) => {
    const { context: ctx } = context();
    await expect(buildAuthorizationUrl(ctx, { authorizationParams: params })).rejects.toThrow(
      TypeError,
    );
    await expect(buildAuthorizationUrl(ctx, { authorizationParams: params })).rejects.toThrow(
      '"authorizationParams.redirect_uri"',
    );
  });

  test('dpop_jkt is the key thumbprint when the context has a DPoP key', async () => {
    const dpop = await generateDpopKeyPair();
    const { context: ctx } = context(dpop);
    const { authorizationUrl } = await buildAuthorizationUrl(ctx, {
      authorizationParams: { redirect_uri: REDIRECT },
    });
    expect(authorizationUrl.searchParams.get('dpop_jkt')).toBe(dpop.thumbprint);
  });

  test('state, nonce and verifier are fresh on every call', async () => {
    const { context: ctx } = context();
    const requests = await Promise.all(
      Array.from({ length: 5 }, () =>
        buildAuthorizationUrl(ctx, { authorizationParams: { redirect_uri: REDIRECT } }),
      ),
    );
    for (const field of ['state', 'nonce', 'codeVerifier'] as const) {
      expect(new Set(requests.map((request) => request[field])).size).toBe(5);
    }
    const first = requests[0];
    expect(first).toBeDefined();
    if (first) expect(first.state).not.toBe(first.nonce);
  });
});

describe('mergeScopes', () => {
  test('joins in first-seen order with openid first', () => {
    expect(mergeScopes()).toBe('openid');
    expect(mergeScopes('a b', undefined, 'b\tc\n a')).toBe('openid a b c');
  });
});
