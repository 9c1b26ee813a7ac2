import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  API,
  authorizeParams,
  codeFlow,
  codeOf,
  decodePayload,
  dpopKey,
  dpopProof,
  loginThroughForm,
  postForm,
  REDIRECT_URI,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
const tokenUrl = `${issuer}oauth/token`;

async function freshCode(overrides: Record<string, string> = {}) {
  const { params, verifier } = await authorizeParams(overrides);
  const { response } = await loginThroughForm(issuer, params);
  return { code: codeOf(response, params.state), verifier, params };
}

function redeemParams(code: string, verifier: string, extra: Record<string, string> = {}) {
  return {
    grant_type: 'authorization_code',
    client_id: 'test-spa',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    ...extra,
  };
}

describe('authorization_code', () => {
  it('returns the token response WIRE.md describes, never cached', async () => {
    const { tokens } = await codeFlow(issuer, {
      overrides: { audience: API, scope: 'openid profile email offline_access read:notes' },
    });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email offline_access read:notes',
    });
    expect(typeof tokens.body.refresh_token).toBe('string');
    const access = decodePayload(tokens.body.access_token);
    expect(access).toMatchObject({
      iss: issuer,
      sub: 'auth0|alice',
      aud: [API, `${issuer}userinfo`],
      azp: 'test-spa',
      scope: 'openid profile email offline_access read:notes',
    });
    expect(typeof access.jti).toBe('string');
    expect(access.cnf).toBeUndefined();
  });

  it('without an audience the access token is for userinfo; without offline_access no refresh token', async () => {
    const { tokens } = await codeFlow(issuer, { overrides: { scope: 'openid profile' } });
    expect(decodePayload(tokens.body.access_token).aud).toBe(`${issuer}userinfo`);
    expect(tokens.body.refresh_token).toBeUndefined();
  });

  it('drops scopes nobody defines', async () => {
    const { tokens } = await codeFlow(issuer, {
      overrides: { audience: API, scope: 'openid read:notes delete:everything' },
    });
    expect(tokens.body.scope).toBe('openid read:notes');
  });

  it('a reused code is invalid_grant and revokes what it issued', async () => {
    const { code, verifier } = await freshCode();
    const first = await postForm(tokenUrl, redeemParams(code, verifier));
    expect(first.status).toBe(200);
    const second = await postForm(tokenUrl, redeemParams(code, verifier));
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');

    const { refreshTokens, accessTokens } = server.tenant.admin.tokens();
    expect(refreshTokens.map((token) => token.status)).toEqual(['revoked']);
    expect(accessTokens.map((token) => token.status)).toEqual(['revoked']);
    const refreshed = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      client_id: 'test-spa',
      refresh_token: first.body.refresh_token,
    });
    expect(refreshed.body.error).toBe('invalid_grant');
    const userinfo = await fetch(`${issuer}userinfo`, {
      headers: { authorization: `Bearer ${first.body.access_token}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it('an expired code is invalid_grant (tenant clock)', async () => {
    const { code, verifier } = await freshCode();
    server.tenant.clock.advance(61);
    const response = await postForm(tokenUrl, redeemParams(code, verifier));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_grant' });
    expect(response.body.error_description).toMatch(/expired/);
  });

  it('refuses a wrong or missing PKCE verifier, and the code is spent afterwards', async () => {
    const wrong = await freshCode();
    const other = 'x'.repeat(43);
    const refused = await postForm(
      tokenUrl,
      redeemParams(wrong.code, wrong.verifier, { code_verifier: other }),
    );
    expect(refused.body.error).toBe('invalid_grant');
    expect((await postForm(tokenUrl, redeemParams(wrong.code, wrong.verifier))).body.error).toBe(
      'invalid_grant',
    );

    const missing = await freshCode();
    const { code_verifier: _, ...withoutVerifier } = redeemParams(missing.code, missing.verifier);
    expect((await postForm(tokenUrl, withoutVerifier)).body.error).toBe('invalid_grant');
  });

  it('refuses a redirect_uri other than the one sent to /authorize', async () => {
    const { code, verifier } = await freshCode();
    const response = await postForm(
      tokenUrl,
      redeemParams(code, verifier, { redirect_uri: 'http://localhost:3000/other' }),
    );
    expect(response.body.error).toBe('invalid_grant');
  });

  it('refuses a code of another client', async () => {
    const { code, verifier } = await freshCode();
    const response = await postForm(
      tokenUrl,
      redeemParams(code, verifier, { client_id: 'sample-spa' }),
    );
    expect(response.status).toBe(400);
  });

  it('binds the code to dpop_jkt: only a proof from that key redeems it', async () => {
    const key = await dpopKey();
    const other = await dpopKey();
    const { code, verifier } = await freshCode({ dpop_jkt: key.jkt });
    const wrongKey = await tokenRequestWithDpop(issuer, redeemParams(code, verifier), other);
    expect(wrongKey.body.error).toBe('invalid_grant');

    const again = await freshCode({ dpop_jkt: key.jkt });
    const noProof = await postForm(tokenUrl, redeemParams(again.code, again.verifier));
    expect(noProof.body.error).toBe('invalid_grant');

    const good = await freshCode({ dpop_jkt: key.jkt });
    const tokens = await tokenRequestWithDpop(issuer, redeemParams(good.code, good.verifier), key);
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe('DPoP');
    expect(decodePayload(tokens.body.access_token).cnf).toEqual({ jkt: key.jkt });
  });
});

describe('sample-spa: DPoP required, with nonces', () => {
  it('runs the whole flow: use_dpop_nonce first, then tokens bound to the key', async () => {
    const key = await dpopKey();
    const { code, verifier } = await freshCode({ client_id: 'sample-spa', dpop_jkt: key.jkt });
    const params = redeemParams(code, verifier, { client_id: 'sample-spa' });

    const first = await postForm(tokenUrl, params, {
      DPoP: await dpopProof(key, { htu: tokenUrl }),
    });
    expect(first.status).toBe(400);
    expect(first.body.error).toBe('use_dpop_nonce');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toBeTruthy();

    const second = await postForm(tokenUrl, params, {
      DPoP: await dpopProof(key, { htu: tokenUrl, nonce: nonce ?? '' }),
    });
    expect(second.status).toBe(200);
    expect(second.body.token_type).toBe('DPoP');
    expect(second.headers.get('dpop-nonce')).toBe(nonce);
    expect(decodePayload(second.body.access_token).cnf).toEqual({ jkt: key.jkt });
    const [refresh] = server.tenant.admin.tokens().refreshTokens;
    expect(refresh).toMatchObject({ clientId: 'sample-spa', jkt: key.jkt, status: 'active' });
  });

  it('refuses a token request without any proof', async () => {
    const { code, verifier } = await freshCode({ client_id: 'sample-spa' });
    const response = await postForm(
      tokenUrl,
      redeemParams(code, verifier, { client_id: 'sample-spa' }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
    expect(response.body.error_description).toMatch(/DPoP/);
    expect(response.headers.get('dpop-nonce')).toBeTruthy();
  });
});

describe('token endpoint basics', () => {
  it('unknown grant types are unsupported_grant_type', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'urn:example:nope',
      client_id: 'test-spa',
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('unsupported_grant_type');
  });

  it('a grant the client may not use is unauthorized_client', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'password',
      client_id: 'test-spa',
      username: 'alice@example.com',
      password: 'wonderland',
    });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('unauthorized_client');
  });

  it('an unknown client is 401 invalid_client', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'authorization_code',
      client_id: 'nobody',
      code: 'x',
    });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
  });

  it('accepts JSON bodies', async () => {
    const { code, verifier } = await freshCode();
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(redeemParams(code, verifier)),
    });
    expect(response.status).toBe(200);
  });

  it('refuses repeated parameters and other media types', async () => {
    const repeated = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&grant_type=refresh_token&client_id=test-spa',
    });
    expect((await repeated.json()).error).toBe('invalid_request');
    const text = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'grant_type=authorization_code',
    });
    expect(text.status).toBe(400);
  });
});
