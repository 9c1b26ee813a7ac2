import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, USER } from '../support/environment.js';
import {
  buildPackedExample,
  type PackedExample,
  registerExampleClient,
} from '../support/packed-example.js';
import { submitTenantLogin, waitForText } from './app.js';
import type { Tab } from './driver.js';
import { expect, test } from './fixtures.js';
import { pollUntil } from './poll.js';

// examples/react and examples/vue, built from the PACKED tarball (e2e/support/packed-example.ts:
// one build per example and SDK tarball, shared by the engines), in every engine — Chromium
// included, so the Chromium suite has no copy of its own: a protected route sends the anonymous
// user to the tenant's login page and back to the route, whose API call through the binding's fetch hook is
// answered with a DPoP-bound token; nothing of the session lands in Web Storage; logout ends it.
// Driven by CSS selector and page script only, which every driver offers. Apps of the
// cross-engine suite use 4465–4469 (e2e/support/environment.ts): these two 4467 and 4468 (the
// opt-in keep-alive measurement also uses them; the suite runs one test at a time).

const EXAMPLES = [
  {
    name: 'react',
    port: 4467,
    clientId: 'example-react',
    how: 'withAuthenticationRequired, useFetchWithAuth()',
    // The page keeps nothing in Web Storage.
    storageKeys: [] as string[],
  },
  {
    name: 'vue',
    port: 4468,
    clientId: 'example-vue',
    how: 'createAuthGuard, fetchWithAuth',
    // vue-router's own scroll positions: the only key, and nothing of the session in it.
    storageKeys: ['vue-router:scroll'],
  },
] as const;

/** The page's address, read by page script (every engine; follows history.replaceState). */
function waitForUrl(tab: Tab, url: string): Promise<string> {
  return pollUntil(
    () => tab.evaluate(() => location.href, undefined),
    (href) => href === url,
    { what: `the page at ${url}`, timeoutMs: 15_000 },
  );
}

for (const example of EXAMPLES) {
  test.describe(`examples/${example.name} from the packed tarball (port ${example.port})`, () => {
    let built: PackedExample | undefined;
    test.beforeAll(async () => {
      test.setTimeout(300_000);
      built = await buildPackedExample({
        name: example.name,
        port: example.port,
        clientId: example.clientId,
      });
    });
    test.afterAll(async () => {
      await built?.close();
    });

    test(`examples/${example.name} (${example.how}): the protected route logs in at the tenant and returns, the API answers with DPoP, no session in Web Storage, logout ends the session`, async ({
      session,
    }) => {
      if (!built) throw new Error('the example was not built');
      const { origin } = built;
      await registerExampleClient(example.clientId, origin);
      const tab = await session.newTab();

      await tab.goto(`${origin}/`);
      await waitForText(tab, '#status', (text) => text === 'Logged out');
      // The protected route: the binding sends the anonymous user to the tenant's login page.
      await tab.click('a[href="/notes"]');
      await submitTenantLogin(tab);

      // Back at the route, whose API call went through the worker with a DPoP-bound token.
      await waitForUrl(tab, `${origin}/notes`);
      await waitForText(tab, '#api', (text) => text === `${USER.sub} (DPoP)`);
      const redeemed = (await tenantAdmin.requests('/oauth/token')).filter(
        (entry) => entry.grantType === 'authorization_code' && entry.status === 200,
      );
      expect(redeemed).toEqual([expect.objectContaining({ clientId: example.clientId })]);
      const answered = (await apiAdmin.requests()).filter(
        (entry) => entry.path === '/api/me' && entry.status === 200,
      );
      expect(answered).toEqual([expect.objectContaining({ authScheme: 'DPoP' })]);
      expect(answered[0]?.dpopJkt).toBeTruthy();
      // Every URL the automation saw the tab commit (Chromium, Firefox): none on the example's
      // origin carries the code or the state (WebKit's classic WebDriver reports none).
      for (const url of tab.committedUrls() ?? []) {
        if (url.startsWith(origin)) expect(url).not.toMatch(/[?&#](code|state)=/);
      }

      // Nothing of the session in page-readable Web Storage.
      const storage = await tab.evaluate(
        () => ({ ...localStorage, ...sessionStorage }) as Record<string, string>,
        undefined,
      );
      expect(Object.keys(storage)).toEqual(example.storageKeys);
      expect(JSON.stringify(storage)).not.toMatch(/eyJ|token|verifier|code|alice/i);

      // Home shows the user: the worker holds the session across the navigation.
      await tab.goto(`${origin}/`);
      await waitForText(tab, '#status', (text) => text === `Hello ${USER.name}`);
      // The redirect_uri loaded again with no login waiting: an ordinary page load, not an error.
      await tab.goto(`${origin}/callback`);
      await waitForText(tab, '#status', (text) => text === `Hello ${USER.name}`);
      await tab.goto(`${origin}/`);
      await waitForText(tab, '#status', (text) => text === `Hello ${USER.name}`);
      // Logged in, Home's only button is "Log out". The binding shows "Logged out" before the
      // page leaves for the tenant's logout endpoint, so the wait is for the document that
      // came back from it: one without the mark set here.
      await tab.evaluate(() => {
        (window as unknown as { beforeLogout: boolean }).beforeLogout = true;
      }, undefined);
      await tab.click('button');
      await pollUntil(
        () =>
          tab.evaluate(
            () => ({
              url: location.href,
              fresh: !('beforeLogout' in window),
              status: document.getElementById('status')?.textContent ?? '',
            }),
            undefined,
          ),
        (state) => state.fresh && state.url === `${origin}/` && state.status === 'Logged out',
        { what: "the page back from the tenant's logout, logged out", timeoutMs: 15_000 },
      );
      // The tenant's logout endpoint (its discovery advertises /oidc/logout; /v2/logout without
      // it) sent the page back.
      const ended = (await tenantAdmin.requests()).filter(
        (entry) => /^\/(oidc|v2)\/logout$/.test(entry.path) && entry.status === 302,
      );
      expect(ended).toHaveLength(1);
      // The API refuses page script now: the worker holds no session.
      const after = await tab.evaluate(
        async (url) => (await fetch(url)).status,
        `${API_URL}/api/me`,
      );
      expect(after).toBe(401);
    });
  });
}
