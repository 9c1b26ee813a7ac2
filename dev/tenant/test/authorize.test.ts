import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  APP_ORIGIN,
  authorizeParams,
  codeOf,
  decodePayload,
  getAuthorize,
  loginThroughForm,
  postForm,
  REDIRECT_URI,
  sessionCookieOf,
  submitLogin,
  TEST_SPA,
  transactionIdOf,
  useTenant,
} from '../src/testing.js';

const server = await useTenant(
  { afterAll, beforeEach },
  {
    organizations: [
      { id: 'org_wonderland', name: 'wonderland' },
      { id: 'org_lookingglass', name: 'looking-glass', members: ['auth0|bob'] },
    ],
  },
);
const { issuer } = server;

function locationOf(response: Response): URL {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(location);
}

/**
 * A client like TEST_SPA with the app's origin in its Allowed Web Origins, as Auth0 needs for
 * web_message; returns its client_id. (TEST_SPA itself lists none, like the sample SPA.)
 */
function webMessageClient(): { client_id: string } {
  server.tenant.admin.upsertClient({
    ...TEST_SPA,
    clientId: 'web-message-spa',
    allowedWebOrigins: [APP_ORIGIN],
  });
  return { client_id: 'web-message-spa' };
}

async function redeem(code: string, verifier: string) {
  return postForm(`${issuer}oauth/token`, {
    grant_type: 'authorization_code',
    client_id: 'test-spa',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
}

describe('the login page', () => {
  it('is an accessible form that loads nothing from elsewhere and cannot be framed', async () => {
    const { params } = await authorizeParams({ login_hint: 'alice@example.com' });
    const response = await getAuthorize(issuer, params);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<button type="submit">Continue<\/button>/);
    expect(html).toContain('value="alice@example.com"');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`form-action 'self' ${APP_ORIGIN}`);
    // Nothing of the request but the transaction id travels in the form.
    expect(html).not.toContain(params.code_challenge);
    expect(html).not.toContain(params.state);
  });

  it('re-renders with an error and status 400 on a wrong password', async () => {
    const { params } = await authorizeParams();
    const page = await getAuthorize(issuer, params);
    const tx = transactionIdOf(await page.text());
    const wrong = await submitLogin(issuer, tx, { email: ALICE.email, password: 'nope' });
    expect(wrong.status).toBe(400);
    expect(sessionCookieOf(wrong)).toBeUndefined();
    expect(await wrong.text()).toContain('role="alert"');
    // The same transaction still works with the right password.
    const right = await submitLogin(issuer, tx);
    expect(right.status).toBe(302);
  });

  it('refuses an unknown transaction id', async () => {
    const response = await submitLogin(issuer, 'not-a-transaction');
    expect(response.status).toBe(400);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie on success', async () => {
    const { params } = await authorizeParams();
    const { response } = await loginThroughForm(issuer, params);
    const cookie = response.headers
      .getSetCookie()
      .find((c) => c.startsWith('enclave_tenant_session='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
  });
});

describe('GET /authorize response modes', () => {
  it('query: redirects with code and state', async () => {
    const { params, verifier } = await authorizeParams();
    const { response } = await loginThroughForm(issuer, params);
    expect(response.status).toBe(302);
    const location = locationOf(response);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('state')).toBe(params.state);
    const tokens = await redeem(codeOf(response, params.state), verifier);
    expect(tokens.status).toBe(200);
    expect(decodePayload(tokens.body.id_token).nonce).toBe(params.nonce);
  });

  it('fragment: puts code and state in the fragment', async () => {
    const { params } = await authorizeParams({ response_mode: 'fragment' });
    const { response } = await loginThroughForm(issuer, params);
    const location = locationOf(response);
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('code')).toBeTruthy();
    expect(fragment.get('state')).toBe(params.state);
  });

  it('web_message: posts the response to the redirect origin, frameable by the app only', async () => {
    const { params } = await authorizeParams({
      ...webMessageClient(),
      response_mode: 'web_message',
    });
    const { response } = await loginThroughForm(issuer, params);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('(window.opener || window.parent).postMessage(');
    expect(html).toContain('"type":"authorization_response"');
    expect(html).toContain(`"state":"${params.state}"`);
    expect(html).toMatch(/"code":"[A-Za-z0-9_-]+"/);
    expect(html).toContain(`"${APP_ORIGIN}")`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`frame-ancestors ${APP_ORIGIN}`);
    expect(csp).toMatch(/script-src 'nonce-/);
  });

  it('web_message is refused for a client whose Allowed Web Origins do not list the origin — even its CORS origin — and nothing is issued', async () => {
    // TEST_SPA lists APP_ORIGIN as a CORS origin only (allowedOrigins), as the sample SPA does.
    const { params } = await authorizeParams({ response_mode: 'web_message' });
    const page = await getAuthorize(issuer, params);
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('allowed web origins');
    expect(html).not.toContain('authorization_response');
    const { params: silent } = await authorizeParams({
      prompt: 'none',
      response_mode: 'web_message',
    });
    const { cookie } = await loginThroughForm(issuer, (await authorizeParams()).params);
    const refused = await getAuthorize(issuer, silent, cookie);
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toMatch(/"code":/);
  });

  it('names the issuer (RFC 9207) in every response mode, and in error responses', async () => {
    const query = await authorizeParams();
    const queried = locationOf((await loginThroughForm(issuer, query.params)).response);
    expect(queried.searchParams.get('iss')).toBe(issuer);
    const fragment = await authorizeParams({ response_mode: 'fragment' });
    const fragmented = locationOf((await loginThroughForm(issuer, fragment.params)).response);
    expect(new URLSearchParams(fragmented.hash.slice(1)).get('iss')).toBe(issuer);
    const post = await authorizeParams({ response_mode: 'form_post' });
    const posted = await (await loginThroughForm(issuer, post.params)).response.text();
    expect(posted).toContain(`name="iss" value="${issuer}"`);
    const message = await authorizeParams({
      ...webMessageClient(),
      response_mode: 'web_message',
    });
    const messaged = await (await loginThroughForm(issuer, message.params)).response.text();
    expect(messaged).toContain(`"iss":"${issuer}"`);
    const failed = await authorizeParams({ prompt: 'none' });
    const refused = locationOf(await getAuthorize(issuer, failed.params));
    expect(refused.searchParams.get('error')).toBe('login_required');
    expect(refused.searchParams.get('iss')).toBe(issuer);
  });

  it('form_post: an auto-submitting form to the redirect_uri', async () => {
    const { params } = await authorizeParams({ response_mode: 'form_post' });
    const { response } = await loginThroughForm(issuer, params);
    const html = await response.text();
    expect(html).toContain(`action="${REDIRECT_URI}"`);
    expect(html).toContain('name="code"');
    expect(html).toContain(`value="${params.state}"`);
  });
});

describe('sessions and prompt', () => {
  it('prompt=none without a session answers login_required', async () => {
    const { params } = await authorizeParams({ prompt: 'none' });
    const location = locationOf(await getAuthorize(issuer, params));
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBe(params.state);
  });

  it('prompt=none with a session issues a code at once', async () => {
    const first = await authorizeParams();
    const { cookie } = await loginThroughForm(issuer, first.params);
    expect(cookie).toBeDefined();
    const { params, verifier } = await authorizeParams({ prompt: 'none' });
    const response = await getAuthorize(issuer, params, cookie);
    expect(response.status).toBe(302);
    const tokens = await redeem(codeOf(response, params.state), verifier);
    expect(tokens.status).toBe(200);
  });

  it('prompt=none with web_message is delivered as a message (the silent-auth iframe)', async () => {
    const { params } = await authorizeParams({
      ...webMessageClient(),
      prompt: 'none',
      response_mode: 'web_message',
    });
    const response = await getAuthorize(issuer, params);
    const html = await response.text();
    expect(html).toContain('"error":"login_required"');
    expect(response.headers.get('content-security-policy')).toContain(
      `frame-ancestors ${APP_ORIGIN}`,
    );
  });

  it('prompt=login shows the form even with a session', async () => {
    const { cookie } = await loginThroughForm(issuer, (await authorizeParams()).params);
    const { params } = await authorizeParams({ prompt: 'login' });
    const response = await getAuthorize(issuer, params, cookie);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="tx"');
  });

  it('max_age: an older session needs a new login (login_required with prompt=none)', async () => {
    const { cookie } = await loginThroughForm(issuer, (await authorizeParams()).params);
    server.tenant.clock.advance(120);
    const silent = await authorizeParams({ prompt: 'none', max_age: '60' });
    const refused = locationOf(await getAuthorize(issuer, silent.params, cookie));
    expect(refused.searchParams.get('error')).toBe('login_required');
    const fresh = await authorizeParams({ prompt: 'none', max_age: '600' });
    expect(
      locationOf(await getAuthorize(issuer, fresh.params, cookie)).searchParams.get('code'),
    ).toBeTruthy();
    const interactive = await authorizeParams({ max_age: '60' });
    expect((await getAuthorize(issuer, interactive.params, cookie)).status).toBe(200);
  });

  it('auth_time and sid of the session reach the ID token', async () => {
    const { params, verifier } = await authorizeParams();
    const { response } = await loginThroughForm(issuer, params);
    const tokens = await redeem(codeOf(response, params.state), verifier);
    const claims = decodePayload(tokens.body.id_token);
    expect(typeof claims.auth_time).toBe('number');
    expect(typeof claims.sid).toBe('string');
    expect(claims).toMatchObject({
      sub: ALICE.sub,
      aud: 'test-spa',
      name: 'Alice Liddell',
      email: ALICE.email,
      email_verified: true,
    });
  });

  it('an admin session wipe makes prompt=none answer login_required', async () => {
    const { cookie } = await loginThroughForm(issuer, (await authorizeParams()).params);
    expect(server.tenant.admin.endSessions().ended).toBe(1);
    const { params } = await authorizeParams({ prompt: 'none' });
    const location = locationOf(await getAuthorize(issuer, params, cookie));
    expect(location.searchParams.get('error')).toBe('login_required');
  });
});

describe('requests that must not redirect', () => {
  it('an unknown client gets a 400 page', async () => {
    const { params } = await authorizeParams({ client_id: 'who' });
    const response = await getAuthorize(issuer, params);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('an unregistered redirect_uri gets a 400 page', async () => {
    for (const redirect of [
      'https://evil.example/callback',
      `${REDIRECT_URI}/extra`,
      `${REDIRECT_URI}?x=1`,
    ]) {
      const { params } = await authorizeParams({ redirect_uri: redirect });
      const response = await getAuthorize(issuer, params);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('is not registered');
    }
  });
});

describe('errors that redirect back with error, error_description and state', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
    ['missing PKCE for a public client', { code_challenge: '' }, 'invalid_request'],
    ['PKCE plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['an unknown audience', { audience: 'https://unknown.example/' }, 'access_denied'],
    ['an unknown organization', { organization: 'org_nope' }, 'invalid_request'],
    ['an unknown prompt', { prompt: 'sometimes' }, 'invalid_request'],
    ['a malformed dpop_jkt', { dpop_jkt: 'short' }, 'invalid_request'],
  ];
  for (const [name, overrides, error] of cases) {
    it(name, async () => {
      const { params } = await authorizeParams(overrides);
      const location = locationOf(await getAuthorize(issuer, params));
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).toBeTruthy();
      expect(location.searchParams.get('state')).toBe(params.state);
    });
  }

  it('accepts and ignores the Auth0 extras', async () => {
    const { params } = await authorizeParams({
      screen_hint: 'signup',
      ui_locales: 'fr-FR',
      connection: 'Username-Password-Authentication',
      invitation: 'inv_123',
      acr_values: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
      auth0Client: btoa(JSON.stringify({ name: 'auth0-enclave', version: '0.1.0' })),
    });
    const response = await getAuthorize(issuer, params);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html lang="fr-FR">');
  });
});

describe('organizations', () => {
  it('accepts an org name or id and puts org_id / org_name in the tokens', async () => {
    for (const organization of ['wonderland', 'org_wonderland']) {
      const { params, verifier } = await authorizeParams({
        organization,
        audience: 'https://api.example.com/',
      });
      const { response } = await loginThroughForm(issuer, params);
      const tokens = await redeem(codeOf(response, params.state), verifier);
      expect(decodePayload(tokens.body.access_token).org_id).toBe('org_wonderland');
      expect(decodePayload(tokens.body.id_token)).toMatchObject({
        org_id: 'org_wonderland',
        org_name: 'wonderland',
      });
    }
  });

  it('refuses a user who is not a member', async () => {
    const { params } = await authorizeParams({ organization: 'looking-glass' });
    const { response } = await loginThroughForm(issuer, params);
    expect(locationOf(response).searchParams.get('error')).toBe('access_denied');
  });
});
