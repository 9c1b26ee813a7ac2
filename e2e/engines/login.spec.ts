import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { startRecorder } from '../support/attacker.js';
import { API_URL, appUrl, OTHER_ORIGIN_API_URL, USER } from '../support/environment.js';
import { callApi, callAuth0, login, openApp, waitForApp } from './app.js';
import { expect, test } from './fixtures.js';

// Redirect login, API calls, reload and logout — in every engine. What each engine's automation
// cannot observe (classic WebDriver reports no navigations) is checked from what page script
// and the servers see, which every engine offers.

test('redirect login: the worker takes the callback, no committed URL carries the code or state; fetchWithAuth and plain fetch reach the allow-listed API with DPoP, nothing goes to other origins', async ({
  session,
}) => {
  const recorder = await startRecorder();
  try {
    const tab = await session.newTab();
    await login(tab, 'dpop');
    const app = appUrl('dpop');
    // The tenant answered the login form with a redirect to /callback?code=…&state=…, and the
    // worker redeemed that code once (the first try is refused for a DPoP nonce).
    const redeemed = (await tenantAdmin.requests('/oauth/token')).filter(
      (entry) => entry.grantType === 'authorization_code' && entry.status === 200,
    );
    expect(redeemed).toEqual([expect.objectContaining({ clientId: 'spa-dpop' })]);
    // Every URL the automation saw the tab commit (Chromium, Firefox): none on the app's origin
    // carries a code or a state.
    const committed = tab.committedUrls();
    if (committed !== undefined) {
      const appUrls = committed.filter((url) => url.startsWith(app));
      expect(appUrls.length).toBeGreaterThan(1);
      for (const url of appUrls) expect(url).not.toMatch(/[?&#](code|state)=/);
    }
    // What script on the landed page can look at (every engine): the address, the referrer,
    // history, the navigation and resource timing entries, the Navigation API's entries.
    const visible = await tab.evaluate(() => {
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
    }, undefined);
    expect(visible).not.toMatch(/[?&#](code|state)=/);
    expect(await tab.url()).toBe(`${app}/`);

    expect(await callAuth0(tab, 'getUser')).toMatchObject({
      value: { sub: USER.sub, email: USER.email },
    });
    await apiAdmin.clearRequests();
    expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { sub: USER.sub, tokenType: 'DPoP' },
    });
    expect(await callApi(tab, `${API_URL}/api/me`, { plain: true })).toMatchObject({
      status: 200,
      body: { sub: USER.sub, tokenType: 'DPoP' },
    });
    const calls = (await apiAdmin.requests()).filter((entry) => entry.method !== 'OPTIONS');
    // Two answered calls, each with a DPoP token and proof (before them, at most a 401 that
    // gave the worker the API's DPoP nonce: measured in WebKitGTK, where it came first).
    expect(calls.filter((call) => call.status === 200)).toHaveLength(2);
    for (const call of calls) {
      expect(call.authScheme).toBe('DPoP');
      expect([200, 401]).toContain(call.status);
    }
    expect(new Set(calls.map((call) => call.dpopJkt)).size).toBe(1);

    // Another origin — the same API server under 127.0.0.1, and a recorder — gets nothing.
    const other = await callApi(tab, `${OTHER_ORIGIN_API_URL}/api/echo`, { plain: true });
    expect(other).toMatchObject({ status: 200 });
    const echoed = (other as { body: { headers: Record<string, string> } }).body.headers;
    expect(echoed.authorization).toBeUndefined();
    expect(echoed.dpop).toBeUndefined();
    expect(await callApi(tab, `${OTHER_ORIGIN_API_URL}/api/echo`)).toMatchObject({
      error: { name: 'NotAllowedError', code: 'not_allowed' },
    });
    // The recorder is not in the page's CSP (connect-src): a navigation and an image reach it.
    await tab.evaluate((origin) => {
      const image = new Image();
      image.src = `${origin}/image`;
      document.body.append(image);
    }, recorder.origin);
    await tab.goto(`${recorder.origin}/page`);
    expect(recorder.requests().length).toBeGreaterThan(0);
    expect(recorder.credentialed()).toEqual([]);
  } finally {
    await recorder.close();
  }
});

test('a reload keeps the session (same DPoP key); a second tab needs no second login', async ({
  session,
}) => {
  const tab = await session.newTab();
  await login(tab, 'dpop');
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
  const jkt = (await apiAdmin.requests()).at(-1)?.dpopJkt;
  expect(jkt).toBeTruthy();
  await tab.reload();
  await waitForApp(
    tab,
    (state) => state.ready && state.status.includes(`Logged in as ${USER.name}`),
    'the reloaded app to show the user logged in',
  );
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { jkt },
  });
  const second = await session.newTab();
  const state = await openApp(second, 'dpop');
  expect(state.status).toContain(`Logged in as ${USER.name}`);
  expect(await callApi(second, `${API_URL}/api/me`)).toMatchObject({
    status: 200,
    body: { jkt },
  });
});
