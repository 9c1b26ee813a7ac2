import { afterAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, postForm, useTenant } from '../src/testing.js';

const server = await useTenant({ afterAll });

function preflight(path: string, origin: string) {
  return fetch(new URL(path, server.issuer), {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, dpop',
    },
  });
}

describe('CORS', () => {
  for (const path of [
    'oauth/token',
    'userinfo',
    'oauth/revoke',
    'mfa/challenge',
    'passkey/challenge',
    '.well-known/openid-configuration',
  ]) {
    it(`answers the app origin's preflight on /${path}`, async () => {
      const response = await preflight(path, APP_ORIGIN);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'content-type, dpop, authorization, auth0-client',
      );
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    });
  }

  it('exposes DPoP-Nonce, WWW-Authenticate and Location to the app origin on real responses', async () => {
    const response = await postForm(
      `${server.issuer}oauth/token`,
      { grant_type: 'refresh_token', client_id: 'sample-spa', refresh_token: 'x' },
      { origin: APP_ORIGIN },
    );
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    // Location: the My Account API's enrollment answer names the new method with it.
    expect(response.headers.get('access-control-expose-headers')).toBe(
      'DPoP-Nonce, WWW-Authenticate, Location',
    );
    expect(response.headers.get('dpop-nonce')).toBeTruthy();
  });

  it('gives other origins no CORS headers at all', async () => {
    const response = await preflight('oauth/token', 'https://evil.example');
    for (const name of [
      'access-control-allow-origin',
      'access-control-allow-headers',
      'access-control-allow-methods',
    ]) {
      expect(response.headers.get(name)).toBeNull();
    }
    const real = await fetch(`${server.issuer}.well-known/openid-configuration`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(real.headers.get('access-control-allow-origin')).toBeNull();
    expect(real.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('does not answer CORS on the pages (authorize, login)', async () => {
    const response = await preflight('u/login', APP_ORIGIN);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('picks up origins of clients added later', async () => {
    server.tenant.admin.upsertClient({
      clientId: 'late-spa',
      tokenEndpointAuthMethod: 'none',
      allowedOrigins: ['http://localhost:5173'],
    });
    const response = await preflight('oauth/token', 'http://localhost:5173');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});

describe('request bodies', () => {
  it('answers 413 to a body over 64 KiB', async () => {
    const big = 'a'.repeat(65 * 1024);
    const response = await postForm(`${server.issuer}oauth/token`, {
      grant_type: 'password',
      filler: big,
    });
    expect(response.status).toBe(413);
    expect(response.body.error).toBe('invalid_request');
  });

  it('answers 413 to a chunked body over 64 KiB too', async () => {
    const chunk = new TextEncoder().encode('a'.repeat(16 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i += 1) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${server.issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });
});
