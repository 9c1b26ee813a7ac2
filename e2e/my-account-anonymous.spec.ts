import type { Page } from '@playwright/test';
import { tenantAdmin } from './support/admin-clients.js';
import { credentialed, probe, probeArrivals } from './support/api-log.js';
import { type CustomApp, loginAt, startCustomApp } from './support/custom-app.js';
import { API_URL, AUDIENCE } from './support/environment.js';
import { callApi, expect, login, openApp, test } from './support/fixtures.js';

// Issue 13: auth0.myAccount.* and auth0.anonymous.* in the sample app, through the real worker,
// against the real tenant and sample API. The page gets data and handles; the My Account token,
// the API's enrollment auth_session and the anonymous session token stay in the worker.

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

/** Runs `fn(auth0)` in the page; a rejection comes back as its name, code and fields. */
function run(page: Page, fn: string): Promise<unknown> {
  return page.evaluate(async (fn) => {
    const auth0 = (window as unknown as { auth0: unknown }).auth0;
    try {
      // biome-ignore lint/security/noGlobalEval: test-only, the text comes from this file
      return await (globalThis.eval(fn) as (client: unknown) => unknown)(auth0);
    } catch (caught) {
      const e = caught as Record<string, unknown>;
      return {
        rejected: { name: e.name, code: e.code, status: e.status, type: e.type, title: e.title },
      };
    }
  }, fn);
}

test('auth0.myAccount: factors, methods and a recovery-code enrollment through the worker', async ({
  page,
}) => {
  await login(page, 'dpop');
  const factors = (await run(page, '(a) => a.myAccount.getFactors()')) as { type: string }[];
  expect(factors.map((factor) => factor.type)).toContain('totp');

  const challenge = (await run(
    page,
    `(a) => a.myAccount.enrollmentChallenge({ type: 'recovery-code' })`,
  )) as { auth_session: string; location: string; id: string; recovery_code: string };
  expect(challenge.auth_session).toMatch(/^enclave-enroll:/);
  expect(challenge.recovery_code).toMatch(/^[0-9A-Z]{24}$/);
  const verified = await page.evaluate(
    async (c) =>
      (
        window as unknown as {
          auth0: { myAccount: { enrollmentVerify(o: unknown): Promise<unknown> } };
        }
      ).auth0.myAccount.enrollmentVerify({
        type: 'recovery-code',
        location: c.location,
        auth_session: c.auth_session,
      }),
    challenge,
  );
  expect(verified).toMatchObject({ id: challenge.id, type: 'recovery-code', confirmed: true });

  const methods = (await run(page, '(a) => a.myAccount.getAuthenticationMethods()')) as {
    type: string;
  }[];
  expect(methods.map((method) => method.type).sort()).toEqual(['password', 'recovery-code']);
  expect(
    await run(
      page,
      `(a) => a.myAccount.deleteAuthenticationMethod(${JSON.stringify(challenge.id)})`,
    ),
  ).toBeUndefined();
  expect(
    await run(page, `(a) => a.myAccount.getAuthenticationMethod('recovery-code|nope')`),
  ).toEqual({
    rejected: {
      name: 'MyAccountApiError',
      code: 'my_account_api_error',
      status: 404,
      type: 'urn:auth0-enclave:problem:not-found',
      title: 'Not Found',
    },
  });
  // Nothing the page received is a token.
  expect(JSON.stringify([factors, challenge, verified, methods])).not.toMatch(JWT);
});

test('auth0.anonymous: a session held by the worker, used for the API while nobody is logged in', async ({
  page,
}) => {
  await openApp(page, 'dpop');
  expect(await run(page, '(a) => a.anonymous.hasSession()')).toBe(false);
  // No user and no anonymous session: fetchWithAuth has no token to send.
  const before = await callApi(page, `${API_URL}/api/me`);
  expect(before).toMatchObject({ error: { name: 'LoginRequiredError' } });

  const token = (await run(
    page,
    `(a) => a.anonymous.getTokenSilently({ audience: ${JSON.stringify(AUDIENCE)} })`,
  )) as Record<string, unknown>;
  expect(token.accessToken).toBeUndefined();
  expect(typeof token.expiresAt).toBe('number');
  expect(await run(page, '(a) => a.anonymous.hasSession()')).toBe(true);
  expect(await run(page, '(a) => a.anonymous.getClaims()')).toBeNull();

  const me = await callApi(page, `${API_URL}/api/me`);
  expect(me).toMatchObject({ status: 200, body: { sub: expect.stringMatching(/^anon@/) } });
  // The session token is nowhere the page can read.
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(storage).not.toMatch(JWT);

  await run(page, '(a) => a.anonymous.logout()');
  expect(await run(page, '(a) => a.anonymous.hasSession()')).toBe(false);
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
    error: { name: 'LoginRequiredError' },
  });
});

test.describe('a worker built without the optional features', () => {
  // The sample app's worker without workerFeatures: what an app that never calls auth0.myAccount
  // or auth0.anonymous ships. Plain fetch() is credentialed too (fetchWithAuthOnly: false), so
  // the router's no-user path is the one the anonymous feature would hook into.
  let app: CustomApp | undefined;
  test.beforeAll(async () => {
    app = await startCustomApp(4444, { fetchWithAuthOnly: false }, {}, {}, { workerFeatures: [] });
  });
  test.afterAll(async () => {
    await app?.close();
  });

  /** The rejection's name, code and message (the message names the feature to install). */
  const rejection = (page: Page, fn: string) =>
    page.evaluate(async (fn) => {
      const auth0 = (window as unknown as { auth0: unknown }).auth0;
      try {
        // biome-ignore lint/security/noGlobalEval: test-only, the text comes from this file
        await (globalThis.eval(fn) as (client: unknown) => unknown)(auth0);
        return 'resolved';
      } catch (caught) {
        const e = caught as { name: string; code: string; message: string };
        return { name: e.name, code: e.code, message: e.message };
      }
    }, fn);
  const MY_ACCOUNT = {
    name: 'NotSupportedError',
    code: 'not_supported',
    message:
      'auth0.myAccount needs the worker feature myAccountApi: installAuthWorker(config, { features: [myAccountApi] })',
  };
  const ANONYMOUS = {
    name: 'NotSupportedError',
    code: 'not_supported',
    message:
      'auth0.anonymous needs the worker feature anonymousSessions: installAuthWorker(config, { features: [anonymousSessions] })',
  };

  test('auth0.myAccount, connectAccountWithRedirect and auth0.anonymous reject naming the feature, and send nothing; API requests without a user go out as before', async ({
    page,
  }) => {
    if (!app) throw new Error('the app did not start');
    await page.goto(`${app.origin}/`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');

    // No user, no anonymous feature: an allow-listed plain fetch() goes out without credentials,
    // and fetchWithAuth() still says there is no one logged in.
    await callApi(page, probe('no-features'), { plain: true });
    const arrived = (await probeArrivals(['no-features'])).get('no-features');
    expect(arrived).toHaveLength(1);
    expect(credentialed(arrived)).toEqual([]);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      error: { name: 'LoginRequiredError' },
    });

    expect(await rejection(page, `(a) => a.anonymous.getTokenSilently()`)).toEqual(ANONYMOUS);
    expect(await rejection(page, `(a) => a.anonymous.createSession({})`)).toEqual(ANONYMOUS);
    expect(await rejection(page, `(a) => a.anonymous.logout()`)).toEqual(ANONYMOUS);

    await loginAt(page, app.origin);
    await tenantAdmin.clearRequests();
    expect(await rejection(page, '(a) => a.myAccount.getFactors()')).toEqual(MY_ACCOUNT);
    expect(
      await rejection(page, `(a) => a.myAccount.enrollmentChallenge({ type: 'recovery-code' })`),
    ).toEqual(MY_ACCOUNT);
    // Connected accounts are the My Account API too: the page stays where it is.
    expect(
      await rejection(
        page,
        `(a) => a.connectAccountWithRedirect({ connection: 'google-oauth2', openUrl: () => { throw new Error('navigated'); } })`,
      ),
    ).toEqual({
      ...MY_ACCOUNT,
      message: MY_ACCOUNT.message.replace('auth0.myAccount', 'connectAccountWithRedirect'),
    });
    // Nothing reached the tenant for them: no My Account token, no API call, no anonymous grant.
    const sent = (await tenantAdmin.requests()).map((entry) => entry.path);
    expect(sent.filter((path) => /^\/(?:me\/|anonymous\/|oauth\/token)/.test(path))).toEqual([]);
  });
});
