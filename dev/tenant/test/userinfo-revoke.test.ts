import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  codeFlow,
  dpopKey,
  dpopProof,
  postForm,
  readJson,
  useTenant,
} from '../src/testing.js';

const server = await useTenant({ afterAll, beforeEach });
const userinfoUrl = `${server.issuer}userinfo`;

describe('/userinfo', () => {
  it('answers a Bearer token with the claims its scope releases', async () => {
    const { tokens } = await codeFlow(server.issuer, { overrides: { scope: 'openid email' } });
    for (const method of ['GET', 'POST']) {
      const response = await readJson(
        await fetch(userinfoUrl, {
          method,
          headers: { authorization: `Bearer ${tokens.body.access_token}` },
        }),
      );
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ sub: ALICE.sub, email: ALICE.email, email_verified: true });
    }
  });

  it('answers a DPoP token with a proof that carries ath', async () => {
    const key = await dpopKey();
    const { tokens } = await codeFlow(server.issuer, { key });
    const token = tokens.body.access_token;
    const proof = await dpopProof(key, { htm: 'GET', htu: userinfoUrl, accessToken: token });
    const response = await readJson(
      await fetch(userinfoUrl, { headers: { authorization: `DPoP ${token}`, dpop: proof } }),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      sub: ALICE.sub,
      name: 'Alice Liddell',
      nickname: 'alice',
    });
  });

  it('refuses a DPoP-bound token sent as Bearer, a proof without ath, and a foreign key', async () => {
    const key = await dpopKey();
    const { tokens } = await codeFlow(server.issuer, { key });
    const token = tokens.body.access_token;

    const asBearer = await fetch(userinfoUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP error="invalid_token"/);

    const noAth = await fetch(userinfoUrl, {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await dpopProof(key, { htm: 'GET', htu: userinfoUrl }),
      },
    });
    expect(noAth.status).toBe(401);
    expect(noAth.headers.get('www-authenticate')).toMatch(/error="invalid_dpop_proof"/);

    const other = await dpopKey();
    const foreign = await fetch(userinfoUrl, {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await dpopProof(other, { htm: 'GET', htu: userinfoUrl, accessToken: token }),
      },
    });
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('challenges a request without a token, and refuses an expired one (tenant clock)', async () => {
    const none = await fetch(userinfoUrl);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="[^"]+", DPoP algs="ES256 RS256 PS256 EdDSA"$/,
    );

    const { tokens } = await codeFlow(server.issuer);
    server.tenant.clock.advance(3601);
    const expired = await fetch(userinfoUrl, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  });
});

describe('/oauth/revoke', () => {
  const revokeUrl = () => `${server.issuer}oauth/revoke`;

  it('revoking a refresh token revokes its family', async () => {
    const { tokens } = await codeFlow(server.issuer);
    const refreshed = await postForm(`${server.issuer}oauth/token`, {
      grant_type: 'refresh_token',
      client_id: 'test-spa',
      refresh_token: tokens.body.refresh_token,
    });
    const response = await fetch(revokeUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'test-spa',
        token: refreshed.body.refresh_token,
        token_type_hint: 'refresh_token',
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(server.tenant.admin.tokens().refreshTokens.map((token) => token.status)).toEqual([
      'revoked',
      'revoked',
    ]);
    const again = await postForm(`${server.issuer}oauth/token`, {
      grant_type: 'refresh_token',
      client_id: 'test-spa',
      refresh_token: refreshed.body.refresh_token,
    });
    expect(again.body.error).toBe('invalid_grant');
  });

  it('revokes access tokens too, and answers 200 for unknown tokens', async () => {
    const { tokens } = await codeFlow(server.issuer);
    const revoke = (token: string) => postForm(revokeUrl(), { client_id: 'test-spa', token });
    expect((await revoke(tokens.body.access_token)).status).toBe(200);
    const userinfo = await fetch(userinfoUrl, {
      headers: { authorization: `Bearer ${tokens.body.access_token}` },
    });
    expect(userinfo.status).toBe(401);
    expect((await revoke('never-issued')).status).toBe(200);
  });

  it('does not let another client revoke, and requires client authentication', async () => {
    const { tokens } = await codeFlow(server.issuer);
    const other = await postForm(revokeUrl(), {
      client_id: 'sample-server',
      client_secret: 'sample-server-secret',
      token: tokens.body.refresh_token,
    });
    expect(other.status).toBe(200);
    expect(server.tenant.admin.tokens().refreshTokens[0]?.status).toBe('active');
    const anonymous = await postForm(revokeUrl(), { token: tokens.body.refresh_token });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('invalid_client');
  });
});
