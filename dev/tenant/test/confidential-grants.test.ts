import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  API,
  decodePayload,
  dpopKey,
  nowSeconds,
  postForm,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const server_ = { client_id: 'sample-server', client_secret: 'sample-server-secret' };

const server = await useTenant({ afterAll });
const tokenUrl = `${server.issuer}oauth/token`;
const { privateKey: signingKey, publicKey } = await generateKeyPair('ES256');
server.tenant.admin.upsertClient({
  clientId: 'jwt-client',
  tokenEndpointAuthMethod: 'private_key_jwt',
  jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] },
  grantTypes: ['client_credentials'],
});
beforeEach(() => {
  server.tenant.admin.clearRequests();
});

async function assertion(claims: Record<string, unknown> = {}, key = signingKey): Promise<string> {
  const now = nowSeconds();
  return new SignJWT({
    iss: 'jwt-client',
    sub: 'jwt-client',
    aud: server.issuer,
    iat: now,
    exp: now + 60,
    jti: crypto.randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .sign(key);
}

function withAssertion(jwt: string, extra: Record<string, string> = {}) {
  return postForm(tokenUrl, {
    grant_type: 'client_credentials',
    audience: API,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
    ...extra,
  });
}

describe('password and password-realm', () => {
  it('password: tokens for the user, with auth0-forwarded-for accepted', async () => {
    const response = await postForm(
      tokenUrl,
      {
        grant_type: 'password',
        ...server_,
        username: ALICE.email,
        password: ALICE.password,
        audience: API,
        scope: 'openid profile offline_access read:notes',
        realm: 'Username-Password-Authentication',
      },
      { 'auth0-forwarded-for': '203.0.113.7' },
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid profile offline_access read:notes',
    });
    expect(response.body.id_token).toBeTruthy();
    expect(response.body.refresh_token).toBeTruthy();
    expect(decodePayload(response.body.access_token)).toMatchObject({
      sub: ALICE.sub,
      azp: 'sample-server',
      gty: 'password',
    });
  });

  it('password-realm: requires realm', async () => {
    const grant = 'http://auth0.com/oauth/grant-type/password-realm';
    const base = { grant_type: grant, ...server_, username: ALICE.email, password: ALICE.password };
    expect((await postForm(tokenUrl, base)).body.error).toBe('invalid_request');
    const ok = await postForm(tokenUrl, { ...base, realm: 'Username-Password-Authentication' });
    expect(ok.status).toBe(200);
    expect(decodePayload(ok.body.access_token).aud).toBe(`${server.issuer}userinfo`);
  });

  it('wrong credentials are 403 invalid_grant', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'password',
      ...server_,
      username: ALICE.email,
      password: 'wrong',
    });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('invalid_grant');
  });

  it('refresh tokens of confidential clients are not bound to a DPoP key', async () => {
    const key = await dpopKey();
    const params = {
      grant_type: 'password',
      ...server_,
      username: ALICE.email,
      password: ALICE.password,
      scope: 'openid offline_access',
    };
    const first = await tokenRequestWithDpop(server.issuer, params, key);
    expect(first.body.token_type).toBe('DPoP');
    const refresh = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      ...server_,
      refresh_token: first.body.refresh_token,
    });
    expect(refresh.status).toBe(200);
    expect(refresh.body.token_type).toBe('Bearer');
  });
});

describe('client_credentials with client_secret_post', () => {
  it('issues an API token for the client, with no ID or refresh token', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      ...server_,
      audience: API,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'read:notes write:notes',
    });
    expect(response.body.id_token).toBeUndefined();
    expect(response.body.refresh_token).toBeUndefined();
    expect(decodePayload(response.body.access_token)).toMatchObject({
      sub: 'sample-server@clients',
      aud: API,
      azp: 'sample-server',
      gty: 'client-credentials',
    });
  });

  it('narrows to the requested scope', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      ...server_,
      audience: API,
      scope: 'read:notes',
    });
    expect(response.body.scope).toBe('read:notes');
  });

  it('binds to DPoP when the client sends a proof', async () => {
    const key = await dpopKey();
    const response = await tokenRequestWithDpop(
      server.issuer,
      { grant_type: 'client_credentials', ...server_, audience: API },
      key,
    );
    expect(response.body.token_type).toBe('DPoP');
    expect(decodePayload(response.body.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('requires a known audience', async () => {
    const none = await postForm(tokenUrl, { grant_type: 'client_credentials', ...server_ });
    expect(none.status).toBe(403);
    expect(none.body.error).toBe('access_denied');
    const unknown = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      ...server_,
      audience: 'https://x.example/',
    });
    expect(unknown.body.error).toBe('access_denied');
  });

  it('a wrong or missing secret is 401 invalid_client', async () => {
    for (const secret of ['wrong', undefined]) {
      const response = await postForm(tokenUrl, {
        grant_type: 'client_credentials',
        client_id: 'sample-server',
        audience: API,
        ...(secret === undefined ? {} : { client_secret: secret }),
      });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    }
  });

  it('public clients cannot use it', async () => {
    const response = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_id: 'test-spa',
      audience: API,
    });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('unauthorized_client');
  });
});

describe('client_credentials with private_key_jwt', () => {
  it('accepts a fresh assertion for the issuer or the token endpoint', async () => {
    const response = await withAssertion(await assertion());
    expect(response.status).toBe(200);
    expect(decodePayload(response.body.access_token).sub).toBe('jwt-client@clients');
    const toEndpoint = await withAssertion(await assertion({ aud: tokenUrl }));
    expect(toEndpoint.status).toBe(200);
  });

  it('refuses a replayed assertion', async () => {
    const jwt = await assertion();
    expect((await withAssertion(jwt)).status).toBe(200);
    const replay = await withAssertion(jwt);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
    expect(replay.body.error_description).toMatch(/jti/);
  });

  it('refuses expired, long-lived, mis-addressed and wrongly signed assertions', async () => {
    const now = nowSeconds();
    const { privateKey: stranger } = await generateKeyPair('ES256');
    const bad = [
      await assertion({ exp: now - 10 }),
      await assertion({ exp: now + 3600 }),
      await assertion({ aud: 'https://elsewhere.example/' }),
      await assertion({ sub: 'someone-else' }),
      await assertion({}, stranger),
    ];
    for (const jwt of bad) {
      const response = await withAssertion(jwt);
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    }
  });

  it('refuses a client_secret instead of an assertion, and a mismatched client_id', async () => {
    const secret = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_id: 'jwt-client',
      client_secret: 'x',
      audience: API,
    });
    expect(secret.status).toBe(401);
    const mismatch = await withAssertion(await assertion(), { client_id: 'sample-server' });
    expect(mismatch.status).toBe(401);
  });
});
