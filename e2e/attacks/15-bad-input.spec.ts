import { createHmac, createPublicKey } from 'node:crypto';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, TENANT_URL, USER } from '../support/environment.js';
import { callApi, expect, login, test } from '../support/fixtures.js';
import { callClient, loginAt, overrideDpopClient } from '../support/lifecycle.js';
import { dumpStorage, vaultStore } from '../support/storage.js';

// THREATS 15 — bad input in the browser flow, for the code exchange and for a refresh: ID tokens
// with a valid signature but wrong claims (the tenant re-signs them with its real key), forged
// signatures (tampered, `alg: none`, HS256 keyed with the public key, another key), malformed
// token responses, and malformed callback URLs. Each one: a typed error on the page, and nothing
// written — after a failed login no session and no refresh token anywhere; after a failed
// refresh the previous session exactly as it was, and still usable.

const APP = appUrl('dpop');

// ——— forging ID tokens (what a network attacker or a broken server would hand the worker) ———

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (jwt: string) => jwt.split('.') as [string, string, string];

function tamperedSignature(jwt: string): string {
  const [header, payload, signature] = parts(jwt);
  const flipped = signature[20] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, 20)}${flipped}${signature.slice(21)}`;
}

function algNone(jwt: string): string {
  const [, payload] = parts(jwt);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
}

/** The classic confusion: HS256 with the server's public key (as PEM) as the HMAC secret. */
async function hs256WithPublicKey(jwt: string): Promise<string> {
  const [header, payload] = parts(jwt);
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid?: string };
  const jwks = (await (await fetch(`${TENANT_URL}/.well-known/jwks.json`)).json()) as {
    keys: JWK[];
  };
  const pem = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const forgedHeader = b64({ alg: 'HS256', typ: 'JWT', kid });
  const signature = createHmac('sha256', pem)
    .update(`${forgedHeader}.${payload}`)
    .digest('base64url');
  return `${forgedHeader}.${payload}.${signature}`;
}

/** Same claims, signed by the attacker's own RSA key, which it also embeds (`jwk`) and names. */
async function ownKey(jwt: string): Promise<string> {
  const [header, payload] = parts(jwt);
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid?: string };
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: 'RS256',
      typ: 'JWT',
      ...(kid === undefined ? {} : { kid }),
      jwk: await exportJWK(publicKey),
    })
    .sign(privateKey);
}

const FORGERIES: [string, (jwt: string) => string | Promise<string>][] = [
  ['a tampered signature', tamperedSignature],
  ['alg: none', algNone],
  ['HS256 keyed with the public key', hs256WithPublicKey],
  ["the attacker's own key, embedded and named by the tenant's kid", ownKey],
];

/** Token responses no server should send; the worker must refuse each as `ResponseError`. */
const MALFORMED: [string, (real: Record<string, unknown>) => Parameters<Route['fulfill']>[0]][] = [
  [
    'an HTML page',
    () => ({ status: 200, contentType: 'text/html', body: '<html>maintenance</html>' }),
  ],
  ['a JSON array', () => ({ status: 200, contentType: 'application/json', body: '[]' })],
  ['no access_token', ({ access_token: _, ...rest }) => ({ status: 200, json: rest })],
  ['an unknown token_type', (real) => ({ status: 200, json: { ...real, token_type: 'mac' } })],
  ['a string expires_in', (real) => ({ status: 200, json: { ...real, expires_in: 'soon' } })],
  [
    'an id_token that is not a string',
    (real) => ({ status: 200, json: { ...real, id_token: 42 } }),
  ],
  [
    'invalid UTF-8',
    () => ({
      status: 200,
      contentType: 'application/json',
      body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]),
    }),
  ],
  [
    'a 2 MiB body',
    (real) => ({ status: 200, json: { ...real, padding: 'x'.repeat(2 * 1024 * 1024) } }),
  ],
];

/** What a forged answer needs so the worker's CORS fetch may read it. */
const CORS = { 'access-control-allow-origin': APP, 'cache-control': 'no-store' };

/**
 * Taps `/oauth/token` (context.route sees the worker's requests). `forge`, while set, decides the
 * answer to the next successful token response; everything the tenant issued is recorded.
 */
async function tokenEndpoint(context: BrowserContext): Promise<{
  issued: { idTokens: string[]; accessTokens: string[]; refreshTokens: string[] };
  forge: (
    mode:
      | { kind: 'idToken'; grant: string; rewrite: (jwt: string) => string | Promise<string> }
      | {
          kind: 'response';
          grant: string;
          answer: (real: Record<string, unknown>) => Parameters<Route['fulfill']>[0];
          offline?: Record<string, unknown>;
        }
      | undefined,
  ) => void;
}> {
  const issued = {
    idTokens: [] as string[],
    accessTokens: [] as string[],
    refreshTokens: [] as string[],
  };
  let mode: Parameters<Awaited<ReturnType<typeof tokenEndpoint>>['forge']>[0];
  await context.route(`${TENANT_URL}/oauth/token`, async (route) => {
    const grant = new URLSearchParams(route.request().postData() ?? '').get('grant_type');
    const current = mode?.grant === grant ? mode : undefined;
    if (current?.kind === 'response' && current.offline) {
      // Answered without the tenant: it never rotates anything.
      mode = undefined;
      await route.fulfill({ headers: CORS, ...current.answer(current.offline) });
      return;
    }
    const response = await route.fetch();
    const text = await response.text();
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {}
    if (typeof body?.id_token === 'string') issued.idTokens.push(body.id_token);
    if (typeof body?.access_token === 'string') issued.accessTokens.push(body.access_token);
    if (typeof body?.refresh_token === 'string') issued.refreshTokens.push(body.refresh_token);
    if (!current || response.status() !== 200 || !body) {
      await route.fulfill({ response, body: text });
      return;
    }
    mode = undefined;
    if (current.kind === 'response') {
      await route.fulfill({ headers: CORS, ...current.answer(body) });
      return;
    }
    body.id_token = await current.rewrite(String(body.id_token));
    await route.fulfill({ response, json: body });
  });
  return { issued, forge: (next) => (mode = next) };
}

/** A login that must fail: the typed error the page got, and proof that nothing was written. */
async function expectLoginRefused(
  page: Page,
  issued: { refreshTokens: string[]; accessTokens: string[] },
  error: string,
): Promise<void> {
  const shown = await loginAt(page, APP);
  expect(shown).toContain(`Login failed: ${error}`);
  expect(page.url()).toBe(`${APP}/`);
  expect(await callClient(page, 'isAuthenticated')).toEqual({ value: false });
  expect(await callClient(page, 'getUser')).toEqual({ value: undefined });
  const dump = await page.evaluate(dumpStorage);
  for (const store of ['session', 'transactions', 'results'])
    expect(vaultStore(dump, store), `vault ${store}`).toEqual([]);
  const text = JSON.stringify(dump);
  for (const token of [...issued.refreshTokens, ...issued.accessTokens])
    expect(text, 'a token the tenant issued is in storage').not.toContain(token);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    error: { code: 'login_required' },
  });
}

test('THREATS 15: code exchange — validly signed ID tokens with a wrong iss, aud, azp, nonce, exp or iat are refused; nothing is written', async ({
  page,
  context,
}) => {
  const { issued } = await tokenEndpoint(context);
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, Record<string, unknown>][] = [
    ['another issuer', { iss: 'https://evil.example/' }],
    ['the issuer without its trailing slash', { iss: TENANT_URL }],
    ['another audience', { aud: 'another-client' }],
    ['several audiences without azp', { aud: ['spa-dpop', 'another-client'], azp: null }],
    ['azp of another client', { aud: ['spa-dpop', 'another-client'], azp: 'another-client' }],
    ['another nonce', { nonce: 'forged-nonce' }],
    ['no nonce', { nonce: null }],
    ['expired', { exp: now - 3600, iat: now - 7200 }],
    ['no iat', { iat: null }],
    ['no sub', { sub: null }],
  ];
  for (const [what, claims] of cases) {
    await test.step(what, async () => {
      // Until cleared (not `times: 1`): a code exchange may need a nonce retry first.
      await tenantAdmin.addFault({
        path: '/oauth/token',
        idTokenClaims: claims,
        when: { grantType: 'authorization_code' },
      });
      await expectLoginRefused(page, issued, 'IdTokenValidationError (invalid_id_token)');
      await tenantAdmin.clearFaults();
    });
  }
  // Each time, the tenant did issue tokens: the worker refused them.
  const exchanges = (await tenantAdmin.requests('/oauth/token')).filter(
    (entry) => entry.grantType === 'authorization_code' && entry.status === 200,
  );
  expect(exchanges).toHaveLength(cases.length);
  expect(issued.refreshTokens.length).toBeGreaterThanOrEqual(cases.length);
});

test('THREATS 15: code exchange — forged signatures (tampered, alg none, HS256 with the public key, another key) and malformed token responses are refused; nothing is written', async ({
  page,
  context,
}) => {
  const { issued, forge } = await tokenEndpoint(context);
  for (const [what, rewrite] of FORGERIES) {
    await test.step(what, async () => {
      forge({ kind: 'idToken', grant: 'authorization_code', rewrite });
      await expectLoginRefused(page, issued, 'IdTokenValidationError (invalid_id_token)');
    });
  }
  for (const [what, answer] of MALFORMED) {
    await test.step(what, async () => {
      forge({ kind: 'response', grant: 'authorization_code', answer });
      await expectLoginRefused(page, issued, 'ResponseError (invalid_response)');
    });
  }
  // The same login, unforged, works: the failures left nothing in the way.
  forge(undefined);
  await loginAt(page, APP);
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
});

test('THREATS 15: malformed callback URLs — a typed error on a clean URL, no code redeemed, nothing written', async ({
  page,
}) => {
  await login(page, 'dpop');
  await page.evaluate(() =>
    window.auth0.logout({
      openUrl: false,
    }),
  );
  await tenantAdmin.clearRequests();
  /** Starts a login without leaving the page; returns its state. */
  const startLogin = () =>
    page.evaluate(async () => {
      let authorizeUrl = '';
      await window.auth0.loginWithRedirect({
        openUrl: (url) => {
          authorizeUrl = url;
        },
      });
      return new URL(authorizeUrl).searchParams.get('state') as string;
    });
  // The tenant names itself in every authorization response (RFC 9207) and says so in its
  // discovery document, so a callback without `iss` is refused too; the other cases carry the
  // right `iss`, so each tests what it names.
  const iss = `iss=${encodeURIComponent(`${TENANT_URL}/`)}`;
  const cases: [string, (state: string) => string, string][] = [
    ['no code', (s) => `state=${s}&${iss}`, 'ResponseError (invalid_response)'],
    [
      'the code twice',
      (s) => `state=${s}&code=a&code=b&${iss}`,
      'ResponseError (invalid_response)',
    ],
    [
      'the state twice',
      (s) => `state=${s}&state=other&code=a&${iss}`,
      'ResponseError (invalid_response)',
    ],
    [
      'another issuer',
      (s) => `state=${s}&code=a&iss=${encodeURIComponent('https://evil.example/')}`,
      'ResponseError (invalid_response)',
    ],
    [
      'no issuer, from a server that promises one',
      (s) => `state=${s}&code=a`,
      'ResponseError (invalid_response)',
    ],
    [
      'an error',
      (s) => `state=${s}&error=access_denied&error_description=denied&${iss}`,
      'AuthenticationError (authentication_error)',
    ],
    // Never intercepted (no query): the page asks for a result there is none of.
    ['a fragment response', (s) => `#state=${s}&code=a`, 'InvalidStateError (invalid_state)'],
  ];
  for (const [what, query, error] of cases) {
    await test.step(what, async () => {
      const state = await startLogin();
      const url = query(state).startsWith('#')
        ? `${APP}/callback${query(state)}`
        : `${APP}/callback?${query(state)}`;
      await page.goto(url);
      await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
      await expect(page.locator('#api-result')).toContainText(`Login failed: ${error}`);
      expect(page.url()).toBe(`${APP}/`);
      expect(await callClient(page, 'isAuthenticated')).toEqual({ value: false });
      const dump = await page.evaluate(dumpStorage);
      expect(vaultStore(dump, 'session')).toEqual([]);
      expect(vaultStore(dump, 'results')).toEqual([]);
    });
  }
  // None of them reached the token endpoint.
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);
});

/** The session as page script and storage show it, to compare before and after a failed refresh. */
async function sessionSnapshot(page: Page): Promise<unknown> {
  const dump = await page.evaluate(dumpStorage);
  return {
    authenticated: await callClient(page, 'isAuthenticated'),
    user: await callClient(page, 'getUser'),
    claims: await callClient(page, 'getIdTokenClaims'),
    vault: vaultStore(dump, 'session'),
    keys: vaultStore(dump, 'keys'),
  };
}

test('THREATS 15: refresh — forged ID tokens and malformed responses are refused; the previous session is intact and still refreshes', async ({
  page,
  context,
}) => {
  const { issued, forge } = await tokenEndpoint(context);
  await login(page, 'dpop');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const before = await sessionSnapshot(page);
  const idToken = issued.idTokens.at(-1) as string;
  const accessToken = issued.accessTokens.at(-1) as string;
  // What a refresh response would look like — answered by the test, so the tenant rotates nothing.
  const refreshResponse = {
    access_token: accessToken,
    token_type: 'DPoP',
    expires_in: 3600,
    id_token: idToken,
    refresh_token: 'forged-refresh-token',
    scope: 'openid profile email read:notes write:notes offline_access',
  };
  await tenantAdmin.advanceClock(2 * 60 * 60);

  const attempts: [string, Parameters<Route['fulfill']>[0], string][] = [];
  for (const [what, rewrite] of FORGERIES) {
    attempts.push([
      what,
      { status: 200, json: { ...refreshResponse, id_token: await rewrite(idToken) } },
      'IdTokenValidationError',
    ]);
  }
  for (const [what, answer] of MALFORMED)
    attempts.push([what, answer(refreshResponse), 'ResponseError']);
  for (const [what, answer, error] of attempts) {
    await test.step(what, async () => {
      forge({
        kind: 'response',
        grant: 'refresh_token',
        answer: () => answer,
        offline: refreshResponse,
      });
      expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
        error: {
          name: error,
          code: error === 'ResponseError' ? 'invalid_response' : 'invalid_id_token',
        },
      });
      expect(await sessionSnapshot(page)).toEqual(before);
    });
  }
  const text = JSON.stringify(await page.evaluate(dumpStorage));
  expect(text).not.toContain('forged-refresh-token');
  // The session was never touched: the real refresh token still works.
  forge(undefined);
  await tenantAdmin.clearRequests();
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub: USER.sub },
  });
  expect((await tenantAdmin.refreshRequests()).map((entry) => entry.status)).toEqual([200]);
});

test('THREATS 15: refresh — validly signed ID tokens with a wrong iss, aud, azp, exp, iat or another user are refused; the previous session is intact', async ({
  page,
  context,
}) => {
  // The tenant rotates the refresh token before the worker refuses its answer; the worker keeps
  // the previous one, which is then a reused token. A reuse interval (see THREATS 11) lets the
  // intact session go on; with none, the next refresh ends it with login_required.
  const restore = await overrideDpopClient({ refreshTokenReuseIntervalSeconds: 60 });
  try {
    await tokenEndpoint(context);
    await login(page, 'dpop');
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    const before = await sessionSnapshot(page);
    await tenantAdmin.advanceClock(2 * 60 * 60);
    const now = Math.floor(Date.now() / 1000) + 2 * 60 * 60;
    const cases: [string, Record<string, unknown>][] = [
      ['another issuer', { iss: 'https://evil.example/' }],
      ['another audience', { aud: 'another-client' }],
      ['azp of another client', { aud: ['spa-dpop', 'another-client'], azp: 'another-client' }],
      ['expired', { exp: Math.floor(Date.now() / 1000) - 3600, iat: now - 7200 }],
      ['no iat', { iat: null }],
      // OIDC Core §12.2: a refreshed ID token is for the same user (sub) from the same issuer.
      ['another user', { sub: 'auth0|mallory', name: 'Mallory', email: 'mallory@example.com' }],
    ];
    for (const [what, claims] of cases) {
      await test.step(what, async () => {
        await tenantAdmin.addFault({
          path: '/oauth/token',
          idTokenClaims: claims,
          when: { grantType: 'refresh_token' },
        });
        expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
          error: { name: 'IdTokenValidationError', code: 'invalid_id_token' },
        });
        await tenantAdmin.clearFaults();
        expect(await sessionSnapshot(page)).toEqual(before);
      });
    }
    await tenantAdmin.clearRequests();
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { sub: USER.sub },
    });
    expect(await callClient(page, 'getUser')).toMatchObject({
      value: { sub: USER.sub, name: USER.name },
    });
    const { refreshTokens } = await tenantAdmin.tokens();
    expect(refreshTokens.filter((token) => token.status === 'revoked')).toEqual([]);
  } finally {
    await restore();
  }
});
