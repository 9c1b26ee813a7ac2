import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  API,
  codeFlow,
  decodePayload,
  dpopKey,
  postForm,
  TEST_SPA,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
const tokenUrl = `${issuer}oauth/token`;
beforeEach(() => {
  server.tenant.admin.upsertClient(TEST_SPA);
});

function refresh(refreshToken: string, extra: Record<string, string> = {}) {
  return postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: 'test-spa',
    refresh_token: refreshToken,
    ...extra,
  });
}

async function initialRefreshToken(overrides: Record<string, string> = {}): Promise<string> {
  const { tokens } = await codeFlow(issuer, { overrides });
  expect(tokens.status).toBe(200);
  return tokens.body.refresh_token;
}

describe('refresh token rotation', () => {
  it('issues a new refresh token each time and marks the old one rotated', async () => {
    const first = await initialRefreshToken();
    const a = await refresh(first);
    expect(a.status).toBe(200);
    expect(a.body.refresh_token).toBeTruthy();
    expect(a.body.refresh_token).not.toBe(first);
    expect(a.body.id_token).toBeTruthy();
    const b = await refresh(a.body.refresh_token);
    expect(b.status).toBe(200);
    const statuses = server.tenant.admin.tokens().refreshTokens.map((token) => token.status);
    expect(statuses).toEqual(['rotated', 'rotated', 'active']);
  });

  it('reuse of a rotated token revokes the whole family', async () => {
    const first = await initialRefreshToken();
    const rotated = await refresh(first);
    const reuse = await refresh(first);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    expect(reuse.body.error_description).toMatch(/reuse/);
    // The legitimate newest token is gone too: the family is revoked.
    const newest = await refresh(rotated.body.refresh_token);
    expect(newest.body.error).toBe('invalid_grant');
    const statuses = server.tenant.admin.tokens().refreshTokens.map((token) => token.status);
    expect(statuses).toEqual(['revoked', 'revoked']);
    // And the access tokens of the family stop working at /userinfo.
    const userinfo = await fetch(`${issuer}userinfo`, {
      headers: { authorization: `Bearer ${rotated.body.access_token}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it('allows reuse inside the reuse interval, and detects it after', async () => {
    server.tenant.admin.upsertClient({ ...TEST_SPA, refreshTokenReuseIntervalSeconds: 30 });
    const first = await initialRefreshToken();
    const a = await refresh(first);
    const b = await refresh(first);
    expect(b.status).toBe(200);
    expect(b.body.refresh_token).not.toBe(a.body.refresh_token);
    server.tenant.clock.advance(31);
    const late = await refresh(first);
    expect(late.body.error).toBe('invalid_grant');
    expect((await refresh(b.body.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('without rotation keeps the same refresh token and returns none', async () => {
    server.tenant.admin.upsertClient({ ...TEST_SPA, refreshTokenRotation: false });
    const first = await initialRefreshToken();
    const a = await refresh(first);
    const b = await refresh(first);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.refresh_token).toBeUndefined();
  });

  it('expires a family after its lifetime (tenant clock)', async () => {
    server.tenant.admin.upsertClient({ ...TEST_SPA, refreshTokenLifetimeSeconds: 100 });
    const first = await initialRefreshToken();
    server.tenant.clock.advance(101);
    expect((await refresh(first)).body.error).toBe('invalid_grant');
  });
});

describe('scope and audience on refresh', () => {
  it('narrows scope, and refuses a wider one', async () => {
    const first = await initialRefreshToken({
      audience: API,
      scope: 'openid offline_access read:notes write:notes',
    });
    const narrow = await refresh(first, { scope: 'openid read:notes' });
    expect(narrow.body.scope).toBe('openid read:notes');
    const wide = await refresh(narrow.body.refresh_token, { scope: 'openid read:notes admin' });
    expect(wide.status).toBe(400);
    expect(wide.body.error).toBe('invalid_scope');
  });

  it('switches to another known API, and refuses an unknown one', async () => {
    await server.tenant.admin.upsertClient(TEST_SPA);
    const first = await initialRefreshToken({ scope: 'openid offline_access' });
    const switched = await refresh(first, {
      audience: API,
      scope: 'openid offline_access read:notes',
    });
    expect(switched.status).toBe(200);
    expect(decodePayload(switched.body.access_token).aud).toEqual([API, `${issuer}userinfo`]);
    expect(switched.body.scope).toBe('openid offline_access read:notes');
    const unknown = await refresh(switched.body.refresh_token, {
      audience: 'https://nope.example/',
    });
    expect(unknown.status).toBe(403);
    expect(unknown.body.error).toBe('access_denied');
  });
});

describe('DPoP-bound refresh tokens of public clients', () => {
  it('accepts proofs from the key that obtained it, and refuses any other key', async () => {
    const key = await dpopKey();
    const { tokens } = await codeFlow(issuer, { key });
    expect(tokens.body.token_type).toBe('DPoP');
    const params = {
      grant_type: 'refresh_token',
      client_id: 'test-spa',
      refresh_token: tokens.body.refresh_token,
    };

    const thief = await tokenRequestWithDpop(issuer, params, await dpopKey());
    expect(thief.status).toBe(400);
    expect(thief.body.error).toBe('invalid_grant');
    const bearer = await postForm(tokenUrl, params);
    expect(bearer.body.error).toBe('invalid_grant');

    // A thief's attempt neither rotates nor revokes: the owner carries on.
    const owner = await tokenRequestWithDpop(issuer, params, key);
    expect(owner.status).toBe(200);
    expect(owner.body.token_type).toBe('DPoP');
    expect(decodePayload(owner.body.access_token).cnf).toEqual({ jkt: key.jkt });
    expect(server.tenant.admin.tokens().refreshTokens.every((token) => token.jkt === key.jkt)).toBe(
      true,
    );
  });

  it('an unbound family stays Bearer: a proof at refresh binds nothing, so no key is vouched for', async () => {
    const { tokens } = await codeFlow(issuer);
    expect(tokens.body.token_type).toBe('Bearer');
    const planted = await dpopKey();
    const refreshed = await tokenRequestWithDpop(
      issuer,
      {
        grant_type: 'refresh_token',
        client_id: 'test-spa',
        refresh_token: tokens.body.refresh_token,
      },
      planted,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe('Bearer');
    expect(decodePayload(refreshed.body.access_token).cnf).toBeUndefined();
    expect(server.tenant.admin.tokens().refreshTokens.every((token) => !token.jkt)).toBe(true);
  });
});
