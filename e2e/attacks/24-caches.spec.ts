import { apiAdmin } from '../support/admin-clients.js';
import { credentialed, probe, probeArrivals } from '../support/api-log.js';
import { type CustomApp, loginAt, startCustomApp } from '../support/custom-app.js';
import { API_URL, TENANT_URL, USER } from '../support/environment.js';
import { callApi, expect, login, test } from '../support/fixtures.js';
import { dumpStorage } from '../support/storage.js';

// THREATS 24 — caches and paths: a credentialed answer is never left in the HTTP cache or the
// Cache API for an uncredentialed request to find (after logout, or from injected markup), and
// allow-list paths are compared after decoding: a path a decoding server would route outside
// the allow-listed prefix gets no credentials at all. Outcomes read from the API's request log.

// Under /api as the browser spells them; outside it to a server that decodes once more, drops
// `;params` or takes `\` for `/` before routing.
const AMBIGUOUS = [
  ['encoded-slash', `${API_URL}/api/..%2Fprobe/encoded-slash`],
  ['encoded-slash-lower', `${API_URL}/api/..%2fprobe/encoded-slash-lower`],
  ['encoded-backslash', `${API_URL}/api/..%5Cprobe/encoded-backslash`],
  ['semicolon', `${API_URL}/api/..;/probe/semicolon`],
  ['double-encoded', `${API_URL}/api/%252e%252e%252Fprobe/double-encoded`],
  ['encoded-dots-and-slash', `${API_URL}/api/%2e%2e%2Fprobe/encoded-dots-and-slash`],
] as const;

test('THREATS 24: paths with %2F, %5C, ; or dot segments after decoding get no credentials, from fetch() or fetchWithAuth', async ({
  page,
}) => {
  // The dpop variant opts in to credentialed plain fetch(): the weaker setting, where the path
  // rule is all that stands between these spellings and the token.
  await login(page, 'dpop');
  await apiAdmin.clearRequests();
  for (const [label, url] of AMBIGUOUS) {
    const plain = await callApi(page, url, { plain: true });
    expect(plain, label).toMatchObject({ status: 404 });
    // fetchWithAuth refuses typed, before anything is sent.
    const viaSdk = await callApi(page, url.replace(label, `${label}-sdk`));
    expect(viaSdk, label).toMatchObject({
      error: { name: 'NotAllowedError', code: 'not_allowed' },
    });
  }
  await callApi(page, probe('control'), { plain: true });
  const seen = await probeArrivals([...AMBIGUOUS.map(([label]) => label), 'control']);
  for (const [label] of AMBIGUOUS) {
    expect(seen.get(label)?.length, label).toBeGreaterThan(0);
    expect(credentialed(seen.get(label)), label).toEqual([]);
    expect(seen.get(`${label}-sdk`), `${label} via fetchWithAuth`).toBeUndefined();
  }
  // The control proves the setting credentials plain fetch() at all.
  expect(seen.get('control')?.map((entry) => entry.authScheme)).toEqual(['DPoP']);
});

test.describe('the HTTP cache (port 4452, default config)', () => {
  let app: CustomApp;
  test.beforeAll(async () => {
    app = await startCustomApp(4452, {});
  });
  test.afterAll(() => app.close());

  test('THREATS 24: after logout, a request without credentials is not served the credentialed answer from the HTTP cache', async ({
    page,
  }) => {
    await loginAt(page, app.origin);
    const me = `${API_URL}/api/me`;
    const answer = await callApi(page, me);
    expect(answer).toMatchObject({ status: 200, body: { sub: USER.sub } });
    // Neither did the worker put anything in the Cache API.
    expect((await page.evaluate(dumpStorage)).caches).toEqual({});

    // The logout leaves for the tenant's logout page and comes back; the page may say "Logged out"
    // before it leaves, so wait for the round trip before running script in it.
    const leaving = page.waitForRequest(
      (request) => request.isNavigationRequest() && request.url().startsWith(`${TENANT_URL}/`),
    );
    await page.getByRole('button', { name: 'Log out' }).click();
    await leaving;
    await page.waitForURL(`${app.origin}/`, { waitUntil: 'load' });
    await expect(page.getByRole('status')).toContainText('Logged out');
    await apiAdmin.clearRequests();
    // What injected markup or a script gets when it asks the cache for any stored answer: the
    // worker's credentialed request was sent with cache: 'no-store', so there is none — the
    // request reaches the API without credentials and is refused.
    const fromCache = await page.evaluate(async (url) => {
      const response = await fetch(url, { cache: 'force-cache' });
      return { status: response.status, body: await response.text() };
    }, me);
    expect(fromCache.status).toBe(401);
    expect(fromCache.body).not.toContain(USER.sub);
    const log = await apiAdmin.requests();
    expect(log.filter((entry) => entry.path === '/api/me').map((e) => e.authScheme)).toEqual([
      null,
    ]);
  });
});
