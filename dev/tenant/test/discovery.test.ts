import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { codeFlow, useTenant } from '../src/testing.js';

const server = await useTenant({ afterAll });

describe('discovery and keys', () => {
  it('issues a loopback http issuer with a trailing slash on the actual port', () => {
    expect(server.issuer).toBe(`http://localhost:${server.port}/`);
    expect(server.url).toBe(`http://localhost:${server.port}`);
  });

  it('publishes every endpoint WIRE.md lists', async () => {
    const response = await fetch(`${server.issuer}.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const config = await response.json();
    const at = (path: string) => `${server.issuer}${path}`;
    expect(config).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: at('authorize'),
      token_endpoint: at('oauth/token'),
      userinfo_endpoint: at('userinfo'),
      jwks_uri: at('.well-known/jwks.json'),
      revocation_endpoint: at('oauth/revoke'),
      end_session_endpoint: at('oidc/logout'),
      mfa_challenge_endpoint: at('mfa/challenge'),
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      dpop_signing_alg_values_supported: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      introspection_endpoint: at('oauth/introspect'),
      token_endpoint_auth_methods_supported: [
        'none',
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      revocation_endpoint_auth_methods_supported: [
        'none',
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      introspection_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'private_key_jwt',
      ],
      token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      revocation_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      introspection_endpoint_auth_signing_alg_values_supported: [
        'RS256',
        'PS256',
        'ES256',
        'EdDSA',
      ],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    expect(config.response_modes_supported).toEqual([
      'query',
      'fragment',
      'form_post',
      'web_message',
    ]);
    expect(config.grant_types_supported).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'password',
        'http://auth0.com/oauth/grant-type/password-realm',
        'client_credentials',
      ]),
    );
  });

  it('publishes one RS256 signing key that verifies issued tokens', async () => {
    const jwks = await (await fetch(`${server.issuer}.well-known/jwks.json`)).json();
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
    expect(typeof key.kid).toBe('string');
    expect(key.d).toBeUndefined();

    const { tokens } = await codeFlow(server.issuer);
    const keySet = createLocalJWKSet(jwks);
    const { protectedHeader } = await jwtVerify(tokens.body.id_token, keySet, {
      issuer: server.issuer,
      audience: 'test-spa',
    });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: key.kid });
    await jwtVerify(tokens.body.access_token, keySet, { issuer: server.issuer });
  });
});

describe('endpointOrigin: endpoints on another host than the issuer (as Google has)', () => {
  it('advertises the endpoints there and keeps the issuer; the tenant answers there', async () => {
    const { createTenant, listen } = await import('../src/index.js');
    const endpoints = await listen(() => new Response(null, { status: 503 }), { port: 0 });
    const endpointOrigin = endpoints.url;
    await endpoints.close();
    const tenant = createTenant({ endpointOrigin });
    const { url: issuerUrl, close } = await tenant.listen({ port: 0 });
    const second = await listen(tenant.app.fetch, { port: Number(new URL(endpointOrigin).port) });
    try {
      const config = await (await fetch(`${issuerUrl}/.well-known/openid-configuration`)).json();
      expect(config.issuer).toBe(`${issuerUrl}/`);
      expect(config.token_endpoint).toBe(`${endpointOrigin}/oauth/token`);
      expect(config.authorization_endpoint).toBe(`${endpointOrigin}/authorize`);
      expect(config.revocation_endpoint).toBe(`${endpointOrigin}/oauth/revoke`);
      // The same tenant answers there: an unknown code is its OAuth error, not a network one.
      const answer = await fetch(config.token_endpoint, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_id: 'x' }),
      });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(await answer.json()).toHaveProperty('error');
    } finally {
      await second.close();
      await close();
    }
  });

  it('refuses anything but an origin', () => {
    return import('../src/index.js').then(({ createTenant }) => {
      for (const bad of [
        'not a url',
        'http://localhost:1/path',
        'http://localhost:1/?q',
        'data:,x',
      ]) {
        expect(() => createTenant({ endpointOrigin: bad }), bad).toThrow(TypeError);
      }
    });
  });
});
