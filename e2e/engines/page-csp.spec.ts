import { tenantAdmin } from '../support/admin-clients.js';
import { API_URL, appUrl, TENANT_URL } from '../support/environment.js';
import { callApi } from './app.js';
import { expect, test } from './fixtures.js';
import {
  type AttackOutcome,
  loginAndSteal,
  redeemWithOwnProof,
  sweep,
  TOKEN_ENDPOINT_SPELLINGS,
} from './token-endpoint-attacks.js';

// THREATS 7 under the page CSP the sample app serves and docs/deploying.md recommends: its
// connect-src lists the app and the APIs, never the authorization server (only the worker talks
// to it, under the worker script's own CSP). So page script cannot even send a request to the
// token endpoint — in every engine, Firefox included, which sends keepalive fetches and beacons
// past the service worker (attacks.spec.ts measures that hole without this CSP).

/** Every request page script tried was refused before it left, and the CSP said why. */
function expectRefusedByCsp({ results, violations }: AttackOutcome): void {
  for (const [what, outcome] of Object.entries(results)) {
    // sendBeacon only says whether it queued (engines differ): the tenant's log decides.
    if (what.startsWith('beacon')) continue;
    // A network error: not the worker's 403, which would mean the request left the page.
    expect(['TypeError', 'error'], `${what} → ${String(outcome)}`).toContain(outcome);
  }
  const reported = violations.filter(
    (violation) => violation.directive === 'connect-src' && violation.blockedOrigin === TENANT_URL,
  );
  expect(reported.length, JSON.stringify(violations)).toBeGreaterThan(0);
}

test('the recommended page CSP: page fetch, XHR, no-cors and a dedicated worker to the token, revocation and PAR endpoints are refused by connect-src; nothing reaches the tenant', async ({
  session,
}) => {
  const tab = await session.newTab();
  const stolen = await loginAndSteal(tab, appUrl('dpop'));
  const outcome = await sweep(tab, 'ordinary', { stolen, clientId: 'spa-dpop' });
  expectRefusedByCsp(outcome);
  expect(Object.keys(outcome.results)).toHaveLength(TOKEN_ENDPOINT_SPELLINGS.length * 5 + 1);
  expect(await tenantAdmin.requests()).toEqual([]);
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test('the recommended page CSP: keepalive fetches and beacons to the token, revocation and PAR endpoints are refused by connect-src; nothing reaches the tenant (Firefox included)', async ({
  session,
}) => {
  const tab = await session.newTab();
  const stolen = await loginAndSteal(tab, appUrl('dpop'));
  const outcome = await sweep(tab, 'keepalive', { stolen, clientId: 'spa-dpop' });
  expectRefusedByCsp(outcome);
  expect(await tenantAdmin.requests()).toEqual([]);
  expect(
    (await tenantAdmin.tokens()).refreshTokens.filter((token) => token.status === 'revoked'),
  ).toEqual([]);
  expect(await callApi(tab, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test('the recommended page CSP: X signs a proof with the stored key and redeems the stored refresh token by plain and keepalive fetch — both refused by connect-src (Firefox included)', async ({
  session,
}) => {
  const tab = await session.newTab();
  await loginAndSteal(tab, appUrl('dpop'));
  const outcome = await redeemWithOwnProof(tab, 'spa-dpop');
  expect(outcome.results).toEqual({ fetch: 'TypeError', keepalive: 'TypeError' });
  expectRefusedByCsp(outcome);
  expect(await tenantAdmin.requests()).toEqual([]);
});
