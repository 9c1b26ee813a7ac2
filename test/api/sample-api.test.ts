import type { RunningServer } from 'auth0-enclave-tenant';
import {
  API,
  APP_ORIGIN,
  type DpopKey,
  dpopKey,
  dpopProof,
  postForm,
  readJson,
  tokenRequestWithDpop,
  useTenant,
} from 'auth0-enclave-tenant/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSampleApi, type SampleApi } from '../../dev/api/index.js';

const tenant = await useTenant({ afterAll, beforeEach });
let api: SampleApi;
let apiServer: RunningServer;
let strictApi: SampleApi;
let strictServer: RunningServer;

beforeAll(async () => {
  const common = {
    issuer: tenant.issuer,
    audience: API,
    clock: tenant.tenant.clock,
    allowedOrigins: [APP_ORIGIN],
    admin: true,
  };
  api = createSampleApi({ ...common, dpop: 'allowed', requireNonce: false });
  apiServer = await api.listen({ port: 0 });
  strictApi = createSampleApi({ ...common, dpop: 'required', requireNonce: true });
  strictServer = await strictApi.listen({ port: 0 });
});
afterAll(async () => {
  await apiServer.close();
  await strictServer.close();
});
beforeEach(() => {
  api.clearRequests();
});

async function tokenFor(
  scope: string,
  key?: DpopKey,
  audience: string | null = API,
): Promise<string> {
  const params = {
    grant_type: 'password',
    client_id: 'sample-server',
    client_secret: 'sample-server-secret',
    username: 'alice@example.com',
    password: 'wonderland',
    scope,
    ...(audience === null ? {} : { audience }),
  };
  const response = key
    ? await tokenRequestWithDpop(tenant.issuer, params, key)
    : await postForm(`${tenant.issuer}oauth/token`, params);
  expect(response.status).toBe(200);
  return response.body.access_token;
}

async function dpopGet(base: string, path: string, token: string, key: DpopKey, nonce?: string) {
  const url = `${base}${path}`;
  const proof = await dpopProof(key, {
    htm: 'GET',
    htu: url,
    accessToken: token,
    ...(nonce ? { nonce } : {}),
  });
  return fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
}

describe('sample API: Bearer', () => {
  it('serves /api/public without a token', async () => {
    expect((await fetch(`${apiServer.url}/api/public`)).status).toBe(200);
  });

  it('serves /api/me for a Bearer token', async () => {
    const token = await tokenFor('read:notes');
    const me = await readJson(
      await fetch(`${apiServer.url}/api/me`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      sub: 'auth0|alice',
      scope: 'read:notes',
      tokenType: 'Bearer',
      jkt: null,
    });
  });

  it('challenges a request without a token for both schemes', async () => {
    const response = await fetch(`${apiServer.url}/api/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(
      /^Bearer realm=".*", DPoP algs="ES256 RS256 PS256 EdDSA"$/,
    );
  });

  it('refuses tokens for another audience, and tokens past expiry on the shared clock', async () => {
    const userinfoOnly = await tokenFor('openid', undefined, null);
    const wrongAudience = await fetch(`${apiServer.url}/api/me`, {
      headers: { authorization: `Bearer ${userinfoOnly}` },
    });
    expect(wrongAudience.status).toBe(401);
    expect(await wrongAudience.text()).toMatch(/aud/);
    const token = await tokenFor('read:notes');
    tenant.tenant.clock.advance(3601);
    const response = await fetch(`${apiServer.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    tenant.tenant.clock.reset();
    const fresh = await fetch(`${apiServer.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(fresh.status).toBe(200);
  });

  it('enforces scopes: 403 insufficient_scope', async () => {
    const reader = await tokenFor('read:notes');
    const headers = { authorization: `Bearer ${reader}`, 'content-type': 'application/json' };
    expect((await fetch(`${apiServer.url}/api/notes`, { headers })).status).toBe(200);
    const write = await fetch(`${apiServer.url}/api/notes`, {
      method: 'POST',
      headers,
      body: '{"text":"hi"}',
    });
    expect(write.status).toBe(403);
    expect((await write.json()).error).toBe('insufficient_scope');
    expect(write.headers.get('www-authenticate')).toMatch(
      /^Bearer error="insufficient_scope".*scope="write:notes"/,
    );

    const writer = await tokenFor('read:notes write:notes');
    const writerHeaders = { authorization: `Bearer ${writer}`, 'content-type': 'application/json' };
    const created = await readJson(
      await fetch(`${apiServer.url}/api/notes`, {
        method: 'POST',
        headers: writerHeaders,
        body: '{"text":"hi"}',
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ text: 'hi', id: expect.stringMatching(/^note_/) });
    const list = await readJson(
      await fetch(`${apiServer.url}/api/notes`, { headers: writerHeaders }),
    );
    expect(list.body.notes).toEqual([created.body]);
  });
});

describe('sample API: DPoP', () => {
  it('serves a DPoP-bound token with a proof', async () => {
    const key = await dpopKey();
    const token = await tokenFor('read:notes', key);
    const me = await readJson(await dpopGet(apiServer.url, '/api/me', token, key));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tokenType: 'DPoP', jkt: key.jkt });
  });

  it('refuses a DPoP-bound token sent as Bearer', async () => {
    const key = await dpopKey();
    const token = await tokenFor('read:notes', key);
    const response = await fetch(`${apiServer.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
  });

  it('refuses wrong ath, wrong htu, wrong htm, a replayed jti and a foreign key', async () => {
    const key = await dpopKey();
    const token = await tokenFor('read:notes', key);
    const url = `${apiServer.url}/api/me`;
    const send = (proof: string) =>
      fetch(url, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
    const cases = [
      await dpopProof(key, { htm: 'GET', htu: url, accessToken: 'another-token' }),
      await dpopProof(key, { htm: 'GET', htu: `${apiServer.url}/api/notes`, accessToken: token }),
      await dpopProof(key, { htm: 'POST', htu: url, accessToken: token }),
    ];
    for (const proof of cases) {
      const response = await send(proof);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_dpop_proof"/);
    }
    const good = await dpopProof(key, { htm: 'GET', htu: url, accessToken: token });
    expect((await send(good)).status).toBe(200);
    const replay = await send(good);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/jti/);
    const foreign = await dpopProof(await dpopKey(), { htm: 'GET', htu: url, accessToken: token });
    const response = await send(foreign);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('refuses a Bearer token where DPoP is required', async () => {
    const token = await tokenFor('read:notes');
    const response = await fetch(`${strictServer.url}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);
  });
});

describe('sample API: nonces', () => {
  it('asks for a nonce with 401 use_dpop_nonce, accepts it, and hands out rotations', async () => {
    const key = await dpopKey();
    const token = await tokenFor('read:notes', key);
    const first = await dpopGet(strictServer.url, '/api/me', token, key);
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toMatch(
      /^DPoP error="use_dpop_nonce", error_description="[^"]+"/,
    );
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();

    const second = await dpopGet(strictServer.url, '/api/me', token, key, nonce ?? '');
    expect(second.status).toBe(200);
    expect(second.headers.get('dpop-nonce')).toBe(nonce);

    const rotated = await readJson(
      await fetch(`${strictServer.url}/__admin/dpop-nonce/rotate`, { method: 'POST' }),
    );
    // The previous nonce still works once more, and the answer carries the fresh one.
    const third = await dpopGet(strictServer.url, '/api/me', token, key, nonce ?? '');
    expect(third.status).toBe(200);
    expect(third.headers.get('dpop-nonce')).toBe(rotated.body.nonce);
  });
});

describe('sample API: CORS and test aids', () => {
  it('answers preflights for allowed origins only', async () => {
    const preflight = (origin: string) =>
      fetch(`${apiServer.url}/api/me`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization, dpop',
        },
      });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toBe(
      'authorization, dpop, content-type',
    );
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const real = await fetch(`${apiServer.url}/api/me`, { headers: { origin: APP_ORIGIN } });
    expect(real.headers.get('access-control-expose-headers')).toBe('DPoP-Nonce, WWW-Authenticate');
  });

  it('/api/echo shows what arrived; /api/redirect redirects', async () => {
    const echo = await readJson(
      await fetch(`${apiServer.url}/api/echo?q=1`, { headers: { 'x-probe': 'yes' } }),
    );
    expect(echo.body).toMatchObject({
      method: 'GET',
      url: `${apiServer.url}/api/echo?q=1`,
      headers: { 'x-probe': 'yes' },
    });
    expect(echo.body.headers.authorization).toBeUndefined();
    const redirect = await fetch(
      `${apiServer.url}/api/redirect?to=${encodeURIComponent('https://elsewhere.example/x')}`,
      { redirect: 'manual' },
    );
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://elsewhere.example/x');
  });

  it('logs scheme, proof jti and key, and status; clears on DELETE', async () => {
    const key = await dpopKey();
    const token = await tokenFor('read:notes', key);
    await fetch(`${apiServer.url}/api/public`);
    await dpopGet(apiServer.url, '/api/me', token, key);
    await fetch(`${apiServer.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const log = await readJson(await fetch(`${apiServer.url}/__admin/requests`));
    expect(log.body).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/api/public',
        authScheme: null,
        status: 200,
      }),
      expect.objectContaining({
        path: '/api/me',
        authScheme: 'DPoP',
        dpopJkt: key.jkt,
        dpopJti: expect.any(String),
        status: 200,
      }),
      expect.objectContaining({ path: '/api/me', authScheme: 'Bearer', status: 401 }),
    ]);
    expect(JSON.stringify(log.body)).not.toContain(token);
    await fetch(`${apiServer.url}/__admin/requests`, { method: 'DELETE' });
    expect((await readJson(await fetch(`${apiServer.url}/__admin/requests`))).body).toEqual([]);
  });
});
