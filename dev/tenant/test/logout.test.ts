import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  authorizeParams,
  codeFlow,
  getAuthorize,
  loginThroughForm,
  TEST_SPA,
  useTenant,
} from '../src/testing.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
let receiver: Server;
let receiverUrl: string;
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, 'localhost', resolve));
  receiverUrl = `http://localhost:${(receiver.address() as AddressInfo).port}/backchannel`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});
beforeEach(() => {
  received.length = 0;
});

async function loggedInCookie(): Promise<string> {
  const { cookie } = await loginThroughForm(issuer, (await authorizeParams()).params);
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

async function silentLoginWorks(cookie: string): Promise<boolean> {
  const { params } = await authorizeParams({ prompt: 'none' });
  const location = new URL(
    (await getAuthorize(issuer, params, cookie)).headers.get('location') ?? '',
  );
  return location.searchParams.has('code');
}

function get(path: string, cookie: string) {
  return fetch(new URL(path, issuer), { redirect: 'manual', headers: { cookie } });
}

describe('/v2/logout', () => {
  it('ends the session, clears the cookie and redirects to an allowed returnTo', async () => {
    const cookie = await loggedInCookie();
    expect(await silentLoginWorks(cookie)).toBe(true);
    const response = await get(
      `v2/logout?client_id=test-spa&returnTo=${encodeURIComponent(APP_ORIGIN)}&federated`,
      cookie,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(APP_ORIGIN);
    expect(response.headers.getSetCookie().join()).toMatch(/enclave_tenant_session=;.*Max-Age=0/);
    expect(await silentLoginWorks(cookie)).toBe(false);
  });

  it('refuses a returnTo that is not allowed, without redirecting or logging out', async () => {
    const cookie = await loggedInCookie();
    for (const returnTo of ['https://evil.example/', `${APP_ORIGIN}/elsewhere`]) {
      const response = await get(
        `v2/logout?client_id=test-spa&returnTo=${encodeURIComponent(returnTo)}`,
        cookie,
      );
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
    expect(await silentLoginWorks(cookie)).toBe(true);
  });

  it('without returnTo shows a logged-out page', async () => {
    const cookie = await loggedInCookie();
    const response = await get('v2/logout', cookie);
    expect(response.status).toBe(200);
    expect(await silentLoginWorks(cookie)).toBe(false);
  });
});

describe('/oidc/logout', () => {
  it('redirects to an allowed post_logout_redirect_uri and echoes state', async () => {
    const cookie = await loggedInCookie();
    const target = `${APP_ORIGIN}/logged-out`;
    const response = await get(
      `oidc/logout?client_id=test-spa&post_logout_redirect_uri=${encodeURIComponent(target)}&state=s-1&logout_hint=x`,
      cookie,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${target}?state=s-1`);
    expect(await silentLoginWorks(cookie)).toBe(false);
  });

  it('finds the client from id_token_hint', async () => {
    const { tokens, cookie } = await codeFlow(issuer);
    const response = await get(
      `oidc/logout?id_token_hint=${tokens.body.id_token}&post_logout_redirect_uri=${encodeURIComponent(APP_ORIGIN)}`,
      cookie ?? '',
    );
    expect(response.status).toBe(302);
  });

  it('refuses disallowed redirects and forged hints with a 400 page', async () => {
    const cookie = await loggedInCookie();
    const bad = [
      `oidc/logout?client_id=test-spa&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
      `oidc/logout?post_logout_redirect_uri=${encodeURIComponent(APP_ORIGIN)}`,
      'oidc/logout?id_token_hint=eyJhbGciOiJub25lIn0.e30.&client_id=test-spa',
    ];
    for (const path of bad) {
      const response = await get(path, cookie);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
    expect(await silentLoginWorks(cookie)).toBe(true);
  });
});

describe('back-channel logout', () => {
  it('POSTs a signed logout_token with sid and the logout event, and no nonce', async () => {
    server.tenant.admin.upsertClient({ ...TEST_SPA, backchannelLogoutUri: receiverUrl });
    const { cookie } = await codeFlow(issuer);
    await get('v2/logout', cookie ?? '');
    await expect.poll(() => received.length).toBe(1);
    const token = new URLSearchParams(received[0]).get('logout_token') ?? '';
    const jwks = createLocalJWKSet(await (await fetch(`${issuer}.well-known/jwks.json`)).json());
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer,
      audience: 'test-spa',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'auth0|alice',
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(typeof payload.sid).toBe('string');
    expect(typeof payload.jti).toBe('string');
    expect(payload.nonce).toBeUndefined();
    server.tenant.admin.upsertClient(TEST_SPA);
  });
});
