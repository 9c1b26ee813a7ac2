// The tenant where it claims a standard: HTTP Basic client authentication (RFC 6749 §2.3.1),
// invalid_client challenges (§5.2), request objects refused (RFC 9101), assertion algorithms
// limited to the advertised ones, RFC 9068 access-token claims, introspection (RFC 7662).
// test/conformance/ runs a standards client library against the same surface.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedTenant } from '../src/index.js';
import {
  API,
  authorizeParams,
  codeFlow,
  decodePayload,
  dpopKey,
  getAuthorize,
  nowSeconds,
  postForm,
  startTestTenant,
  tokenRequestWithDpop,
} from '../src/testing.js';

let server: StartedTenant;
let tokenUrl: string;
let revokeUrl: string;
let introspectUrl: string;
const SECRET = 'sample-server-secret';
const keys: Record<string, CryptoKey> = {};

function basic(clientId: string, secret: string): Record<string, string> {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return {
    authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`,
  };
}

async function assertion(alg: string, audience = server.issuer): Promise<string> {
  const now = nowSeconds();
  return new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg, kid: alg })
    .setIssuer('jwt-client')
    .setSubject('jwt-client')
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(keys[alg] as CryptoKey);
}

beforeAll(async () => {
  server = await startTestTenant();
  tokenUrl = `${server.issuer}oauth/token`;
  revokeUrl = `${server.issuer}oauth/revoke`;
  introspectUrl = `${server.issuer}oauth/introspect`;
  const jwks = [];
  for (const alg of ['ES256', 'ES384']) {
    const pair = await generateKeyPair(alg);
    keys[alg] = pair.privateKey;
    jwks.push({ ...(await exportJWK(pair.publicKey)), kid: alg, alg });
  }
  server.tenant.admin.upsertClient({
    clientId: 'jwt-client',
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: { keys: jwks },
    grantTypes: ['client_credentials'],
  });
  server.tenant.admin.upsertClient({
    clientId: 'basic client',
    tokenEndpointAuthMethod: 'client_secret_basic',
    clientSecret: 'a secret: with+symbols/',
    grantTypes: ['client_credentials'],
  });
});
afterAll(() => server.close());

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  it('authenticates a client_secret_post client at the token endpoint', async () => {
    const response = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials', audience: API },
      basic('sample-server', SECRET),
    );
    expect(response.status).toBe(200);
    expect(decodePayload(response.body.access_token).client_id).toBe('sample-server');
  });

  it('form-decodes the id and secret, and a client registered for Basic may also post', async () => {
    const viaBasic = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials', audience: API },
      basic('basic client', 'a secret: with+symbols/'),
    );
    expect(viaBasic.status).toBe(200);
    const viaBody = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      audience: API,
      client_id: 'basic client',
      client_secret: 'a secret: with+symbols/',
    });
    expect(viaBody.status).toBe(200);
  });

  it('authenticates at the revocation endpoint', async () => {
    const tokens = await postForm(tokenUrl, {
      grant_type: 'password',
      client_id: 'sample-server',
      client_secret: SECRET,
      username: 'alice@example.com',
      password: 'wonderland',
      scope: 'openid offline_access',
    });
    const revoked = await postForm(
      revokeUrl,
      { token: tokens.body.refresh_token },
      basic('sample-server', SECRET),
    );
    expect(revoked.status).toBe(200);
    const refresh = await postForm(tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: 'sample-server',
      client_secret: SECRET,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('a wrong secret is 401 invalid_client with a Basic challenge, at token and revocation', async () => {
    for (const [url, params] of [
      [tokenUrl, { grant_type: 'client_credentials', audience: API }],
      [revokeUrl, { token: 'x' }],
    ] as const) {
      const response = await postForm(url, params, basic('sample-server', 'wrong'));
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
      expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="[^"]+"/);
    }
  });

  it('every 401 invalid_client carries a challenge, whatever method was tried', async () => {
    const post = await postForm(tokenUrl, {
      grant_type: 'client_credentials',
      client_id: 'sample-server',
      client_secret: 'wrong',
      audience: API,
    });
    expect(post.status).toBe(401);
    expect(post.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const unknown = await postForm(revokeUrl, { token: 'x', client_id: 'nobody' });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('refuses two methods at once, a mismatched client_id, and a malformed header', async () => {
    const twice = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials', audience: API, client_secret: SECRET },
      basic('sample-server', SECRET),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('invalid_request');
    const mismatch = await postForm(
      tokenUrl,
      { grant_type: 'client_credentials', audience: API, client_id: 'test-spa' },
      basic('sample-server', SECRET),
    );
    expect(mismatch.status).toBe(401);
    for (const authorization of ['Bearer abc', 'Basic !!!', `Basic ${btoa('no-colon')}`]) {
      const response = await postForm(
        tokenUrl,
        { grant_type: 'client_credentials', audience: API },
        { authorization },
      );
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    }
  });

  it('a public client cannot present a secret by Basic', async () => {
    const response = await postForm(revokeUrl, { token: 'x' }, basic('test-spa', 'anything'));
    expect(response.status).toBe(401);
  });
});

describe('private_key_jwt algorithms', () => {
  it('accepts an advertised algorithm and refuses one it does not advertise', async () => {
    const form = (jwt: string) => ({
      grant_type: 'client_credentials',
      audience: API,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    });
    expect((await postForm(tokenUrl, form(await assertion('ES256')))).status).toBe(200);
    const es384 = await postForm(tokenUrl, form(await assertion('ES384')));
    expect(es384.status).toBe(401);
    expect(es384.body.error_description).toMatch(/alg/);
  });
});

describe('request objects (RFC 9101) are refused, not ignored', () => {
  it('request → request_not_supported, request_uri → request_uri_not_supported, to the client', async () => {
    for (const [param, error] of [
      ['request', 'request_not_supported'],
      ['request_uri', 'request_uri_not_supported'],
      ['registration', 'registration_not_supported'],
    ] as const) {
      const { params } = await authorizeParams({ [param]: 'eyJhbGciOiJub25lIn0.e30.' });
      const response = await getAuthorize(server.issuer, params);
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe(params.state);
    }
  });

  it('a request_uri the tenant did not issue, without redirect_uri, is an error page', async () => {
    const response = await getAuthorize(server.issuer, {
      client_id: 'test-spa',
      request_uri: 'urn:ietf:params:oauth:request_uri:forged',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('request_uri');
  });
});

describe('JWT access tokens (RFC 9068)', () => {
  it('carry client_id beside azp', async () => {
    const { tokens } = await codeFlow(server.issuer);
    const claims = decodePayload(tokens.body.access_token);
    expect(claims).toMatchObject({ client_id: 'test-spa', azp: 'test-spa' });
    for (const claim of ['iss', 'exp', 'aud', 'sub', 'iat', 'jti'])
      expect(claims[claim]).toBeDefined();
  });
});

describe('introspection (RFC 7662)', () => {
  const secret = { client_id: 'sample-server', client_secret: SECRET };

  it('describes an active access token and its refresh token to their client', async () => {
    const key = await dpopKey();
    const tokens = await tokenRequestWithDpop(
      server.issuer,
      {
        grant_type: 'password',
        ...secret,
        username: 'alice@example.com',
        password: 'wonderland',
        scope: 'openid offline_access read:notes',
        audience: API,
      },
      key,
    );
    const access = await postForm(introspectUrl, { token: tokens.body.access_token, ...secret });
    expect(access.status).toBe(200);
    expect(access.headers.get('cache-control')).toBe('no-store');
    expect(access.body).toMatchObject({
      active: true,
      client_id: 'sample-server',
      sub: 'auth0|alice',
      token_type: 'DPoP',
      cnf: { jkt: key.jkt },
      iss: server.issuer,
    });
    expect(access.body.scope).toContain('read:notes');
    const refresh = await postForm(
      introspectUrl,
      { token: tokens.body.refresh_token, token_type_hint: 'refresh_token' },
      basic('sample-server', SECRET),
    );
    expect(refresh.body).toMatchObject({ active: true, client_id: 'sample-server', aud: API });

    await postForm(revokeUrl, { token: tokens.body.refresh_token, ...secret });
    for (const token of [tokens.body.access_token, tokens.body.refresh_token]) {
      expect((await postForm(introspectUrl, { token, ...secret })).body).toEqual({
        active: false,
      });
    }
  });

  it('answers active:false for unknown tokens and for tokens of other clients', async () => {
    const { tokens } = await codeFlow(server.issuer);
    for (const token of [tokens.body.access_token, tokens.body.refresh_token, 'garbage']) {
      const response = await postForm(introspectUrl, { token, ...secret });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ active: false });
    }
  });

  it('refuses public clients, failed authentication and a missing token', async () => {
    const { tokens } = await codeFlow(server.issuer);
    const spa = await postForm(introspectUrl, {
      token: tokens.body.access_token,
      client_id: 'test-spa',
    });
    expect(spa.status).toBe(401);
    expect(spa.body.error).toBe('invalid_client');
    expect(spa.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await postForm(introspectUrl, { token: 'x' }, basic('sample-server', 'nope'));
    expect(wrong.status).toBe(401);
    const missing = await postForm(introspectUrl, secret);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
  });
});
