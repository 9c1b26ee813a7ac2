import type { Page } from '@playwright/test';
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
