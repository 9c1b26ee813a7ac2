import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startTenant } from '../src/index.js';
import {
  adminDelete,
  adminGet,
  adminPost,
  authorizeParams,
  codeFlow,
  getAuthorize,
  loginThroughForm,
  postForm,
  TEST_SPA,
  useTenant,
} from '../src/testing.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

const passwordGrant = {
  grant_type: 'password',
  client_id: 'sample-server',
  client_secret: 'sample-server-secret',
  username: 'alice@example.com',
  password: 'wonderland',
  scope: 'openid offline_access',
};

describe('admin surface availability', () => {
  it('is off by default: every admin path is 404', async () => {
    const plain = await startTenant({ port: 0 });
    try {
      for (const [method, path] of [
        ['POST', 'reset'],
        ['POST', 'clock'],
        ['GET', 'requests'],
        ['GET', 'tokens'],
        ['DELETE', 'sessions'],
        ['POST', 'dpop-nonce/rotate'],
      ] as const) {
        const response = await fetch(`${plain.issuer}__admin/${path}`, { method });
        expect(response.status).toBe(404);
      }
    } finally {
      await plain.close();
    }
  });
});

describe('admin operations', () => {
  it('clock: advance and reset', async () => {
    const before = Math.floor(Date.now() / 1000);
    const advanced = await adminPost(issuer, 'clock', { advance: 3600 });
    expect(advanced.body.now).toBeGreaterThanOrEqual(before + 3600);
    const reset = await adminPost(issuer, 'clock', { reset: true });
    expect(reset.body.now).toBeLessThan(before + 60);
    const bad = await adminPost(issuer, 'clock', { advance: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
  });

  it('users: upsert, then log in as the new user', async () => {
    const user = {
      user_id: 'auth0|bob',
      email: 'bob@example.com',
      password: 'builder',
      name: 'Bob',
      team: 'blue',
    };
    expect((await adminPost(issuer, 'users', user)).status).toBe(200);
    const response = await postForm(`${issuer}oauth/token`, {
      ...passwordGrant,
      username: 'bob@example.com',
      password: 'builder',
      scope: 'openid profile',
    });
    expect(response.status).toBe(200);
    const bad = await adminPost(issuer, 'users', { user_id: 'auth0|x', email: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error_description).toMatch(/user\.email/);
  });

  it('clients: upsert', async () => {
    const response = await adminPost(issuer, 'clients', { ...TEST_SPA, clientId: 'another-spa' });
    expect(response.status).toBe(200);
    const { params } = await authorizeParams({ client_id: 'another-spa' });
    expect((await getAuthorize(issuer, params)).status).toBe(200);
    const bad = await adminPost(issuer, 'clients', {
      clientId: 'x',
      tokenEndpointAuthMethod: 'magic',
    });
    expect(bad.status).toBe(400);
  });

  it('requests: logs method, path, grant type, client and status; filters by path; clears', async () => {
    await postForm(`${issuer}oauth/token`, passwordGrant);
    await fetch(`${issuer}.well-known/openid-configuration`);
    const all = await adminGet(issuer, 'requests');
    expect(all.body).toHaveLength(2);
    const token = await adminGet(issuer, 'requests?path=/oauth/token');
    expect(token.body).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/oauth/token',
        grantType: 'password',
        clientId: 'sample-server',
        status: 200,
      }),
    ]);
    expect(new Date(token.body[0].at).toISOString()).toBe(token.body[0].at);
    await adminDelete(issuer, 'requests');
    expect((await adminGet(issuer, 'requests')).body).toEqual([]);
  });

  it('tokens: lists refresh and access tokens without the token strings', async () => {
    const issued = await postForm(`${issuer}oauth/token`, passwordGrant);
    const tokens = await adminGet(issuer, 'tokens');
    expect(tokens.body.refreshTokens).toEqual([
      {
        familyId: expect.any(String),
        sub: 'auth0|alice',
        clientId: 'sample-server',
        status: 'active',
      },
    ]);
    expect(tokens.body.accessTokens).toEqual([
      { jti: expect.any(String), sub: 'auth0|alice', aud: `${issuer}userinfo`, status: 'active' },
    ]);
    const text = JSON.stringify(tokens.body);
    expect(text).not.toContain(issued.body.refresh_token);
    expect(text).not.toContain(issued.body.access_token);
  });

  it('refresh-tokens/revoke: by sub and client', async () => {
    const issued = await postForm(`${issuer}oauth/token`, passwordGrant);
    const none = await adminPost(issuer, 'refresh-tokens/revoke', { sub: 'auth0|nobody' });
    expect(none.body.revoked).toBe(0);
    const revoked = await adminPost(issuer, 'refresh-tokens/revoke', {
      sub: 'auth0|alice',
      clientId: 'sample-server',
    });
    expect(revoked.body.revoked).toBe(1);
    const refresh = await postForm(`${issuer}oauth/token`, {
      ...passwordGrant,
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('sessions: DELETE ends every session', async () => {
    const { cookie } = await loginThroughForm(issuer, (await authorizeParams()).params);
    expect((await adminDelete(issuer, 'sessions')).body.ended).toBe(1);
    const { params } = await authorizeParams({ prompt: 'none' });
    const location = (await getAuthorize(issuer, params, cookie)).headers.get('location') ?? '';
    expect(new URL(location).searchParams.get('error')).toBe('login_required');
  });

  it('dpop-nonce/rotate: the token endpoint hands out the new nonce', async () => {
    const { body } = await adminPost(issuer, 'dpop-nonce/rotate');
    const response = await postForm(`${issuer}oauth/token`, {
      grant_type: 'refresh_token',
      client_id: 'sample-spa',
      refresh_token: 'x',
    });
    expect(response.headers.get('dpop-nonce')).toBe(body.nonce);
  });

  it('reset: clears tokens, sessions, log and clock, keeps config', async () => {
    await adminPost(issuer, 'users', {
      user_id: 'auth0|carol',
      email: 'carol@example.com',
      password: 'c',
    });
    await codeFlow(issuer);
    await adminPost(issuer, 'clock', { advance: 999 });
    await adminPost(issuer, 'reset');
    const tokens = await adminGet(issuer, 'tokens');
    expect(tokens.body).toEqual({ refreshTokens: [], accessTokens: [] });
    expect((await adminGet(issuer, 'requests')).body).toEqual([]);
    expect(Math.abs(server.tenant.clock.now() - Date.now() / 1000)).toBeLessThan(2);
    const carol = await postForm(`${issuer}oauth/token`, {
      ...passwordGrant,
      username: 'carol@example.com',
      password: 'c',
    });
    expect(carol.status).toBe(200);
  });
});

describe('faults', () => {
  it('answers an injected status and body, `times` times', async () => {
    const { body } = await adminPost(issuer, 'faults', {
      path: '/oauth/token',
      method: 'POST',
      status: 503,
      body: { error: 'temporarily_unavailable' },
      times: 2,
    });
    expect(body.id).toMatch(/^fault_/);
    for (let i = 0; i < 2; i += 1) {
      const response = await postForm(`${issuer}oauth/token`, passwordGrant);
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: 'temporarily_unavailable' });
    }
    expect((await postForm(`${issuer}oauth/token`, passwordGrant)).status).toBe(200);
    const log = (await adminGet(issuer, 'requests?path=/oauth/token')).body;
    expect(log.map((entry: { status: number }) => entry.status)).toEqual([503, 503, 200]);
  });

  it('delays and then proceeds when it has only delayMs', async () => {
    await adminPost(issuer, 'faults', { path: '/.well-known/jwks.json', delayMs: 300, times: 1 });
    const started = Date.now();
    const response = await fetch(`${issuer}.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('matches on grant type, and lasts until cleared without `times`', async () => {
    await adminPost(issuer, 'faults', {
      path: '/oauth/token',
      status: 500,
      when: { grantType: 'refresh_token' },
    });
    const issued = await postForm(`${issuer}oauth/token`, passwordGrant);
    expect(issued.status).toBe(200);
    const refresh = {
      ...passwordGrant,
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token,
    };
    expect((await postForm(`${issuer}oauth/token`, refresh)).status).toBe(500);
    expect((await postForm(`${issuer}oauth/token`, refresh)).status).toBe(500);
    expect((await adminDelete(issuer, 'faults')).body.cleared).toBe(1);
    expect((await postForm(`${issuer}oauth/token`, refresh)).status).toBe(200);
  });

  it('refuses faults that would do nothing or hit the admin surface', async () => {
    expect((await adminPost(issuer, 'faults', { path: '/oauth/token' })).status).toBe(400);
    expect(
      (await adminPost(issuer, 'faults', { path: '/__admin/reset', status: 500 })).status,
    ).toBe(400);
  });
});
