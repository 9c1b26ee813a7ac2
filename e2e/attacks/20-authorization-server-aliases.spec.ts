import { tenantAdmin } from '../support/admin-clients.js';
import { type CustomApp, loginAt, startCustomApp } from '../support/custom-app.js';
import { PORTS } from '../support/environment.js';
import { expect, test } from '../support/fixtures.js';

// THREATS 20 — aliases of the authorization server: page requests to its token, revocation and
// PAR endpoints are refused by the worker under every name the server answers to — the host
// normalised (case, trailing dot) and every configured alias — not only the exact configured
// origin. The outcome is read from the tenant's request log: none of them reached it.

// The app's CSP (connect-src: the tenant and the API only) already stops page script from
// reaching these names; it is bypassed so that the worker is what is tested.
test.use({ bypassCSP: true });

const PORT = 4453;
const TENANT = PORTS.tenant;

test.describe(`an app whose tenant has an alias (port ${PORT})`, () => {
  let app: CustomApp;
  test.beforeAll(async () => {
    // The same local tenant, reachable as localhost and 127.0.0.1: the alias a custom domain is.
    app = await startCustomApp(PORT, {
      authorizationServerAliases: [`http://127.0.0.1:${TENANT}`],
    });
  });
  test.afterAll(() => app.close());

  test('THREATS 20: the token, revocation and PAR endpoints are refused under a trailing-dot host and under the alias', async ({
    page,
  }) => {
    await loginAt(page, app.origin);
    await tenantAdmin.clearRequests();
    const spellings = [
      `http://localhost.:${TENANT}/oauth/token`,
      `http://LOCALHOST.:${TENANT}/oauth/token`,
      `http://localhost.:${TENANT}/oauth/revoke`,
      `http://localhost.:${TENANT}/oauth/par`,
      `http://127.0.0.1:${TENANT}/oauth/token`,
      `http://127.0.0.1.:${TENANT}/oauth/token`,
      `http://127.0.0.1:${TENANT}/oauth/%74oken`,
      `http://127.0.0.1:${TENANT}/OAuth/Token/`,
      `http://127.0.0.1:${TENANT}/oauth/revoke`,
      `http://127.0.0.1:${TENANT}/oauth/par`,
    ];
    const outcomes = await page.evaluate(
      async ({ urls, clientId }) => {
        const results: [string, string][] = [];
        for (const url of urls) {
          const body = new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: 'attacker-read-this-from-indexeddb',
            client_id: clientId,
          });
          try {
            const response = await fetch(url, { method: 'POST', body });
            results.push([url, `${response.status} ${(await response.text()).slice(0, 200)}`]);
          } catch (error) {
            results.push([url, `failed: ${(error as Error).message}`]);
          }
          // And the no-cors form of the same post (what a form-like request would be).
          await fetch(url, { method: 'POST', body, mode: 'no-cors' }).catch(() => undefined);
        }
        return results;
      },
      { urls: spellings, clientId: `attack-${PORT}` },
    );
    for (const [url, outcome] of outcomes) {
      expect(outcome, url).toMatch(/^403 .*access_denied/);
    }
    const reached = [
      ...(await tenantAdmin.requests('/oauth/token')),
      ...(await tenantAdmin.requests('/oauth/revoke')),
      ...(await tenantAdmin.requests('/oauth/par')),
    ];
    expect(reached).toEqual([]);

    // Measured limit of this test: in this environment neither `localhost.` nor 127.0.0.1:4400
    // reaches the tenant from Chromium (a network error without the worker), so what it proves is
    // that the worker answers every spelling itself (403) before any network; that each spelling
    // is recognised as the authorization server is unit-tested (test/worker/config.test.ts).
  });
});
