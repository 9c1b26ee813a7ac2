import type { Page } from '@playwright/test';
import { tenantAdmin } from '../support/admin-clients.js';
import { callAuth0, recordCommittedUrls } from '../support/attacker.js';
import { appUrl, USER, type Variant } from '../support/environment.js';
import { expect, login, openApp, test } from '../support/fixtures.js';

// THREATS 8 — the authorization code travels in the redirect to redirect_uri. The worker
// intercepts that navigation, redeems the code and redirects to the clean URL: the page never
// commits a URL with the code, and a callback with an unknown, empty, reused or duplicated state
// is dropped without a token request, landing on the clean URL with a typed error.

/** Records the callback URL the tenant's login form redirects to (its Location header). */
function captureCallbacks(page: Page): string[] {
  const callbacks: string[] = [];
  page.on('response', (response) => {
    const location = response.headers().location;
    if (response.url().endsWith('/u/login') && location?.includes('code='))
      callbacks.push(location);
  });
  return callbacks;
}

/** Token requests the tenant received (any grant). */
const tokenRequests = () => tenantAdmin.requests('/oauth/token');

/** Navigates the page to a forged callback; what the landed page shows. */
async function visitCallback(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return {
    url: page.url(),
    result: (await page.locator('#api-result').textContent()) ?? '',
  };
}

/** Starts logins without leaving the page; returns their `state`s (pending transactions). */
async function pendingStates(page: Page, count: number): Promise<string[]> {
  const urls = await page.evaluate(async (count) => {
    const auth0 = window.auth0;
    const opened: string[] = [];
    for (let i = 0; i < count; i++)
      await auth0.loginWithRedirect({ openUrl: (url) => void opened.push(url) });
    return opened;
  }, count);
  return urls.map((url) => new URL(url).searchParams.get('state') as string);
}

test('THREATS 8: across a login, no URL a frame of the page commits carries the code or the state, and page script finds the code nowhere', async ({
  page,
}) => {
  const committed = recordCommittedUrls(page);
  const callbacks = captureCallbacks(page);
  await login(page, 'dpop');
  expect(callbacks).toHaveLength(1);
  const code = new URL(callbacks[0] as string).searchParams.get('code') as string;
  expect(code).toBeTruthy();
  const urls = committed();
  const app = appUrl('dpop');
  // The app's pages: never a code or a state (the tenant's /authorize URL carries its state, by
  // protocol, on the tenant's origin).
  const appUrls = urls.filter((url) => url.startsWith(app));
  expect(appUrls.length).toBeGreaterThan(1);
  for (const url of appUrls) expect(url).not.toMatch(/[?&#](code|state)=/);
  for (const url of urls) expect(url).not.toContain(code);
  // What script on the landed page can look at: the address, the referrer, history, the
  // navigation and resource timing entries, the Navigation API's entries.
  const visible = await page.evaluate(() => {
    const navigation = (globalThis as { navigation?: { entries(): { url: string | null }[] } })
      .navigation;
    return JSON.stringify({
      href: location.href,
      url: document.URL,
      referrer: document.referrer,
      history: history.state,
      timing: performance.getEntries().map((entry) => entry.name),
      entries: navigation?.entries().map((entry) => entry.url) ?? [],
    });
  });
  expect(visible).not.toContain(code);
  expect(visible).not.toMatch(/[?&#](code|state)=/);
});

test('THREATS 8: replaying the real callback URL — in the same tab, in new tabs at once, or through handleRedirectCallback — redeems nothing', async ({
  page,
  context,
}) => {
  const callbacks = captureCallbacks(page);
  await login(page, 'dpop');
  const callback = callbacks[0] as string;
  expect(callback).toContain('state=');
  const app = appUrl('dpop');
  await tenantAdmin.clearRequests();
  const committed = recordCommittedUrls(page);

  // The same tab.
  expect(await visitCallback(page, callback)).toEqual({
    url: `${app}/`,
    result: expect.stringContaining('Login failed: InvalidStateError (invalid_state)'),
  });
  // Two new tabs at once.
  const tabs = [await context.newPage(), await context.newPage()];
  const replays = await Promise.all(tabs.map((tab) => visitCallback(tab, callback)));
  for (const replay of replays)
    expect(replay).toEqual({
      url: `${app}/`,
      result: expect.stringContaining('Login failed: InvalidStateError (invalid_state)'),
    });
  // Through the client API, with the URL as argument.
  expect(await callAuth0(page, 'handleRedirectCallback', callback)).toMatchObject({
    name: 'InvalidStateError',
    code: 'invalid_state',
  });
  // No outcome is left for the page either.
  expect(await callAuth0(page, 'handleRedirectCallback')).toMatchObject({
    name: 'InvalidStateError',
  });

  expect(await tokenRequests()).toEqual([]);
  // The replays did not commit the code either: the worker redirected before the page loaded.
  for (const url of committed()) expect(url).not.toMatch(/[?&#](code|state)=/);
  // The session is untouched.
  for (const tab of [page, ...tabs])
    await expect(tab.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
});

test('THREATS 8: forged callbacks — unknown, empty, duplicated state, error with an unknown state — are dropped with a typed error on a clean URL', async ({
  page,
}) => {
  await login(page, 'dpop');
  const app = appUrl('dpop');
  const [live1, live2, live3, live4] = await pendingStates(page, 4);
  await tenantAdmin.clearRequests();
  const invalidState = 'Login failed: InvalidStateError (invalid_state)';
  const malformed = 'Login failed: ResponseError (invalid_response)';
  const forged: [string, string][] = [
    ['?code=forged&state=unknown', invalidState],
    ['?code=forged&state=', invalidState],
    ['?state=', invalidState],
    ['?state', invalidState],
    ['?code=forged&state=%20', invalidState],
    ['?error=access_denied&error_description=Mallory&state=unknown', invalidState],
    ['?error=login_required&state=', invalidState],
    ['?code=a&code=b&state=unknown', invalidState],
    [`?state=unknown&state=${live1}`, invalidState],
    // A live state, but the response is malformed: the transaction is spent, nothing redeemed.
    [`?code=forged&state=${live1}&state=${live1}`, malformed],
    [`?code=a&code=b&state=${live2}`, malformed],
    [`?state=${live3}&state=unknown&code=forged`, malformed],
    // Spent: the same live state again is now unknown.
    [`?code=forged&state=${live1}`, invalidState],
  ];
  const committed = recordCommittedUrls(page);
  for (const [query, expected] of forged) {
    expect(await visitCallback(page, `${app}/callback${query}`), query).toEqual({
      url: `${app}/`,
      result: expect.stringContaining(expected),
    });
  }
  // The same through handleRedirectCallback(url), as script would try it.
  const viaScript: [string, string][] = [
    [`${app}/callback?code=forged&state=unknown`, 'InvalidStateError'],
    [`${app}/callback?error=access_denied&state=unknown`, 'InvalidStateError'],
    [`${app}/callback?code=a&code=b&state=${live4}`, 'ResponseError'],
    [`${app}/callback?code=forged&state=${live4}`, 'InvalidStateError'],
    [`${app}/other?code=forged&state=unknown`, 'NotAllowedError'],
    [
      `${app.replace('localhost', '127.0.0.1')}/callback?code=forged&state=unknown`,
      'NotAllowedError',
    ],
    [`${app}/callback/?code=forged&state=unknown`, 'NotAllowedError'],
    ['not a url', 'TypeError'],
  ];
  for (const [url, name] of viaScript)
    expect(await callAuth0(page, 'handleRedirectCallback', url), url).toMatchObject({ name });

  // Not one token request, and the session is as it was.
  expect(await tokenRequests()).toEqual([]);
  for (const url of committed()) expect(url).not.toMatch(/[?&]code=/);
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
});

for (const variant of ['bearer'] as Variant[]) {
  test(`THREATS 8: ${variant}: the real callback opened in a second tab while the first follows it is redeemed exactly once`, async ({
    page,
    context,
  }) => {
    const second = await context.newPage();
    let raced: Promise<unknown> | undefined;
    page.on('response', (response) => {
      const location = response.headers().location;
      if (response.url().endsWith('/u/login') && location?.includes('code='))
        raced = visitCallback(second, location);
    });
    await openApp(page, variant);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(USER.email);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${appUrl(variant)}/`);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    expect(raced).toBeDefined();
    await raced;
    const codeGrants = (await tokenRequests()).filter(
      (entry) => entry.grantType === 'authorization_code',
    );
    expect(codeGrants.map((entry) => entry.status)).toEqual([200]);
    // One tab picked the login up; the other was told, with a typed error, that its state was
    // spent. Both end up in the one session.
    const results = await Promise.all(
      [page, second].map(async (tab) => (await tab.locator('#api-result').textContent()) ?? ''),
    );
    expect(results.filter((text) => text.includes('InvalidStateError'))).toHaveLength(1);
    for (const tab of [page, second]) {
      expect(tab.url()).toBe(`${appUrl(variant)}/`);
      await expect(tab.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
    }
  });
}
