import { generate } from 'otplib';
import { tenantAdmin } from '../support/admin-clients.js';
import { type CustomApp, startCustomApp } from '../support/custom-app.js';
import { API_URL, appUrl, STEP_UP_AUDIENCE, USER } from '../support/environment.js';
import { dumpStorage } from '../support/storage.js';
import {
  callApi,
  login,
  loginAt,
  openApp,
  submitTenantLogin,
  textOf,
  waitForApp,
  waitForText,
} from './app.js';
import { EngineCannotError, type Tab } from './driver.js';
import { expect, test } from './fixtures.js';
import { pollUntil } from './poll.js';

// Popup and silent login, step-up MFA and passkeys, in every engine.

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

async function pendingTransactions(tab: Tab): Promise<number> {
  const dump = await tab.evaluate(dumpStorage, undefined);
  return dump.indexedDb['auth0-enclave']?.transactions?.length ?? 0;
}

test("popup login: the worker redeems the popup's callback, the popup closes, the page is logged in", async ({
  session,
}) => {
  const tab = await session.newTab();
  await openApp(tab, 'dpop');
  const popup = await session.waitForPopup(() => tab.click('#login-popup'));
  await submitTenantLogin(popup);
  await pollUntil(
    () => popup.isClosed(),
    (closed) => closed,
    { what: 'the popup to close' },
  );
  await waitForApp(tab, (state) => state.status.includes(`Logged in as ${USER.name}`), 'login');
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { tokenType: 'DPoP' },
  });
  // The opener never commits a code or a state. (The popup itself does, by design: the worker
  // redeems the code, then answers the callback navigation in place with an empty page that the
  // opener closes — measured in Chromium, whose automation reports the popup's navigations.)
  const committed = tab.committedUrls() ?? [];
  for (const url of committed.filter((url) => url.startsWith(appUrl('dpop'))))
    expect(url).not.toMatch(/[?&#](code|state)=/);
  expect(await pendingTransactions(tab)).toBe(0);
});

test.describe('silent login (iframe, prompt=none)', () => {
  // Apps of the cross-engine suite use 4465–4469 (e2e/support/environment.ts, CUSTOM_APP_ORIGINS).
  let exposed: CustomApp;
  test.beforeAll(async () => {
    exposed = await startCustomApp(4465, { exposeAccessTokens: true });
  });
  test.afterAll(() => exposed.close());

  // The tenant (localhost:4400) and the app (localhost:4465) are the same site: third-party
  // cookie blocking (Firefox's Total Cookie Protection, WebKit's ITP) is not exercised here.
  test('useRefreshTokensFallback: after the tenant revoked the refresh token, a silent iframe login restores the session', async ({
    session,
  }) => {
    const tab = await session.newTab();
    await loginAt(tab, exposed.origin);
    await tenantAdmin.revokeRefreshTokens({ sub: USER.sub });
    await tenantAdmin.clearRequests();
    const result = await tab.evaluate(async () => {
      const { createAuth0Client } = (
        window as unknown as {
          auth0Enclave: {
            createAuth0Client(
              o: unknown,
            ): Promise<{ getTokenSilently(o: unknown): Promise<string> }>;
          };
        }
      ).auth0Enclave;
      const client = await createAuth0Client({ useRefreshTokensFallback: true });
      try {
        return { token: await client.getTokenSilently({ cacheMode: 'off' }) };
      } catch (error) {
        return { error: `${(error as Error).name}:${(error as { error: string }).error}` };
      }
    }, undefined);
    expect(result).toMatchObject({ token: expect.stringMatching(/^eyJ/) });
    const log = await tenantAdmin.requests();
    expect(log.some((entry) => entry.grantType === 'refresh_token' && entry.status >= 400)).toBe(
      true,
    );
    expect(log.some((entry) => entry.path === '/authorize')).toBe(true);
    expect(
      log.some((entry) => entry.grantType === 'authorization_code' && entry.status === 200),
    ).toBe(true);
    expect(await tab.evaluate(() => document.querySelectorAll('iframe').length, undefined)).toBe(0);
    expect(await pendingTransactions(tab)).toBe(0);
  });
});

test('step-up MFA: enrolls OTP on the sample app’s screen, verifies a code from the secret, keeps no secret readable', async ({
  session,
}) => {
  const tab = await session.newTab();
  await login(tab, 'dpop');
  await tab.click('#step-up');
  const secret = await waitForText(tab, '#mfa-secret', (text) => /^[A-Z2-7]{16,}$/.test(text));
  const recovery = await textOf(tab, '#mfa-recovery');
  await tab.fill('#mfa-code', await generate({ secret }));
  await tab.click('#mfa-verify');
  const result = await waitForText(tab, '#step-up-result', (text) => text.includes('"verified"'));
  expect(result).toContain('"token_type": "DPoP"');
  expect(result).not.toContain('access_token');
  expect(await textOf(tab, '#mfa-secret')).toBe('');
  // Asked again, the worker already holds the step-up token.
  await tab.click('#step-up');
  await waitForText(tab, '#step-up-result', (text) =>
    text.includes(`holds a token for ${STEP_UP_AUDIENCE}`),
  );
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub: USER.sub, tokenType: 'DPoP' },
  });
  const dump = JSON.stringify(await tab.evaluate(dumpStorage, undefined));
  expect(dump).not.toMatch(JWT);
  for (const value of [secret, recovery].filter(Boolean)) expect(dump).not.toContain(value);
  expect(dump).not.toContain('enclave-mfa:');
});

test('passkeys: signs up with a passkey, then signs in with it; the session is DPoP-bound and nothing of the ceremony is readable', async ({
  session,
}) => {
  const tab = await session.newTab();
  try {
    await session.addVirtualAuthenticator(tab);
  } catch (error) {
    if (error instanceof EngineCannotError) test.skip(true, error.reason);
    throw error;
  }
  const email = `erin-${crypto.randomUUID()}@example.com`;
  await openApp(tab, 'dpop');
  await tab.fill('#passkey-email', email);
  await tab.click('#passkey-signup');
  await waitForApp(tab, (state) => state.status.includes(`Logged in as ${email}`), 'sign-up');
  const signedUp = await callApi(tab, `${API_URL}/api/me`);
  expect(signedUp).toMatchObject({ status: 200, body: { tokenType: 'DPoP' } });
  const sub = (signedUp as { body: { sub: string } }).body.sub;
  await tab.evaluate(
    () =>
      (window as unknown as { auth0: { logout(o: unknown): Promise<void> } }).auth0.logout({
        openUrl: false,
      }),
    undefined,
  );
  await waitForApp(tab, (state) => state.status.includes('Logged out'), 'logout');
  await tab.click('#passkey-login');
  await waitForApp(tab, (state) => state.status.includes(`Logged in as ${email}`), 'sign-in');
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { sub, tokenType: 'DPoP' },
  });
  const grants = (await tenantAdmin.requests('/oauth/token')).filter(
    (entry) =>
      entry.grantType === 'urn:okta:params:oauth:grant-type:webauthn' && entry.status === 200,
  );
  expect(grants).toHaveLength(2);
  expect(grants.every((entry) => entry.dpopJkt)).toBe(true);
  const dump = JSON.stringify(await tab.evaluate(dumpStorage, undefined));
  expect(dump).not.toMatch(JWT);
  expect(dump).not.toContain('ceremony:');
});
