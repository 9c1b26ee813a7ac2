import { tenantAdmin } from '../support/admin-clients.js';
import { type CustomApp, loginAt, startCustomApp } from '../support/custom-app.js';
import { API_URL, TENANT_URL } from '../support/environment.js';
import { callApi, expect, login, stopWorkers, test } from '../support/fixtures.js';
import { refreshWithProof, signAheadInPage } from '../support/page-keys.js';
import { dumpStorage, vaultStore } from '../support/storage.js';

// THREATS 18 — signing outside the worker, in each custody mode. The persisted mode stores the
// non-extractable DPoP key in IndexedDB beside the DPoP-bound refresh token: page script cannot
// export the key (THREATS 2) but can sign with it, ahead of time, and hand proofs and refresh
// token to another machine. How long those proofs work is bounded by the servers: the tenant
// accepts a proof whose `iat` is within 60 s of its clock (either way) and, for a client that
// requires nonces, only with its current or previous nonce (lifetime 300 s each). The memory
// mode stores neither key nor refresh token: page script finds nothing to sign with.

const TOKEN_URL = `${TENANT_URL}/oauth/token`;

test('THREATS 18, persisted mode: page script signs proofs ahead with the stored key; another machine refreshes with them within the iat window and while the nonce lives, not after', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  // Proofs for now+55 s (inside the tenant's ±60 s window) and now+65 s (outside), twice each.
  const stolen = await signAheadInPage(page, {
    url: TOKEN_URL,
    nonceOrigin: TENANT_URL,
    iatOffsets: [55, 65, 55],
  });
  expect(stolen.proofs).toHaveLength(3);
  expect(stolen.refreshToken).toBeTruthy();
  expect(stolen.nonce).toBeTruthy();
  const [ahead, tooFar, later] = stolen.proofs as [string, string, string];
  // The tab closes; the attacker works from Node with what it carried off.
  await context.close();

  const beyond = await refreshWithProof({
    tokenUrl: TOKEN_URL,
    clientId: 'spa-dpop',
    refreshToken: stolen.refreshToken as string,
    proof: tooFar,
  });
  expect(beyond.status).toBe(400);
  expect(beyond.body.error).toBe('invalid_dpop_proof');

  const used = await refreshWithProof({
    tokenUrl: TOKEN_URL,
    clientId: 'spa-dpop',
    refreshToken: stolen.refreshToken as string,
    proof: ahead,
  });
  // What the persisted mode cannot prevent: the page-signed proof works from elsewhere.
  expect(used.status).toBe(200);
  expect(used.body.token_type).toBe('DPoP');
  const rotated = used.body.refresh_token as string;
  expect(rotated).toBeTruthy();

  // Once the tenant's nonce has moved on twice (the previous one stays valid one lifetime), the
  // remaining page-signed proof is refused: the bound is the nonce's life, 300–600 s here.
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${TENANT_URL}/__admin/dpop-nonce/rotate`, { method: 'POST' });
    expect(response.ok).toBe(true);
  }
  const stale = await refreshWithProof({
    tokenUrl: TOKEN_URL,
    clientId: 'spa-dpop',
    refreshToken: rotated,
    proof: later,
  });
  expect(stale.status).toBe(400);
  expect(stale.body.error).toBe('use_dpop_nonce');
  expect(stale.body.access_token).toBeUndefined();
});

test.describe('memory mode (port 4456)', () => {
  let app: CustomApp;
  test.beforeAll(async () => {
    app = await startCustomApp(
      4456,
      { persistence: 'memory' },
      { dpop: 'required', dpopNonce: true },
    );
  });
  test.afterAll(async () => {
    await app?.close();
  });

  test('THREATS 18, memory mode: no CryptoKey and no refresh token in any storage, no proof or token by any route; a stopped worker resumes by a silent login, else login_required', async ({
    page,
  }) => {
    await loginAt(page, app.origin);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });

    const dump = await page.evaluate(dumpStorage);
    const text = JSON.stringify(dump);
    expect(text).not.toContain('CryptoKey');
    expect(vaultStore(dump, 'keys')).toEqual([]);
    expect(vaultStore(dump, 'session')).toEqual([]);
    const families = (await tenantAdmin.tokens()).refreshTokens.filter(
      (family) => family.clientId === 'attack-4456' && family.status === 'active',
    );
    expect(families).toHaveLength(1);
    // Signing ahead finds no key; the worker's routes give no proof and no token.
    const stolen = await signAheadInPage(page, {
      url: `${TENANT_URL}/oauth/token`,
      nonceOrigin: TENANT_URL,
      iatOffsets: [30],
    });
    expect(stolen).toMatchObject({ proofs: [], refreshToken: undefined });
    const routes = await page.evaluate(async () => {
      const attempt = async (run: () => Promise<unknown>) => {
        try {
          await run();
          return 'succeeded';
        } catch (error) {
          return (error as { name: string }).name;
        }
      };
      return {
        proof: await attempt(() =>
          window.auth0.generateDpopProof({ url: 'http://localhost:4401/api/me', method: 'GET' }),
        ),
        token: await attempt(() => window.auth0.getTokenSilently()),
      };
    });
    expect(routes.proof).not.toBe('succeeded');
    expect(routes.token).toBe('TokenNotExposedError');

    // The browser stops the worker: the session in its memory is gone, and comes back through a
    // silent login the worker intercepts (the tenant's session allows it).
    const redemptions = async () =>
      (await tenantAdmin.requests('/oauth/token')).filter(
        (entry) => entry.grantType === 'authorization_code' && entry.status === 200,
      ).length;
    const before = await redemptions();
    await stopWorkers(page);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    expect(await redemptions()).toBe(before + 1);
    expect(vaultStore(await page.evaluate(dumpStorage), 'keys')).toEqual([]);

    // Without a session at the tenant, the resume fails typed.
    await tenantAdmin.endSessions();
    await stopWorkers(page);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      error: { error: 'login_required' },
    });
  });
});

// How long Chromium keeps an idle worker, without and with the memory mode's keep-alive. Minutes
// of waiting, so it runs only on request: MEASURE_KEEPALIVE=1 npx playwright test 18-page-signing.
// Playwright attaches to service-worker targets; the measurement reports what Chromium does with
// that attachment, read through CDP's ServiceWorker domain.
test.describe('keep-alive measurement (MEASURE_KEEPALIVE=1, port 4457)', () => {
  test.skip(!process.env.MEASURE_KEEPALIVE, 'minutes long; run on request');
  test.setTimeout(8 * 60_000);

  async function stoppedWithin(page: import('@playwright/test').Page, ms: number) {
    const cdp = await page.context().newCDPSession(page);
    const started = Date.now();
    let stoppedAt: number | undefined;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions as { runningStatus: string }[])
        if (version.runningStatus === 'stopped' && stoppedAt === undefined)
          stoppedAt = Date.now() - started;
    });
    await cdp.send('ServiceWorker.enable');
    while (stoppedAt === undefined && Date.now() - started < ms)
      await new Promise((resolve) => setTimeout(resolve, 1000));
    await cdp.detach();
    return stoppedAt;
  }

  test('persisted mode, idle page: the worker stops; memory mode with the keep-alive: it does not', async ({
    page,
    browser,
  }) => {
    await login(page, 'dpop');
    const idle = await stoppedWithin(page, 100_000);
    test.info().annotations.push({
      type: 'measurement',
      description: `persisted mode, idle page: stopped after ${idle} ms`,
    });

    const app = await startCustomApp(4457, { persistence: 'memory' });
    const context = await browser.newContext();
    const memoryPage = await context.newPage();
    try {
      await loginAt(memoryPage, app.origin);
      const held = await stoppedWithin(memoryPage, 100_000);
      test.info().annotations.push({
        type: 'measurement',
        description: `memory mode, open page: stopped after ${held} ms`,
      });
      expect(held).toBeUndefined();
      expect(await callApi(memoryPage, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
    } finally {
      await context.close();
      await app.close();
    }
  });
});
