import type { Page } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { appUrl, OTHER_ORIGIN_API_URL, TENANT_URL, USER } from '../support/environment.js';
import { expect, login, test } from '../support/fixtures.js';
import { callClient, recordSessionEvents, sessionEvents } from '../support/lifecycle.js';
import { dumpStorage, vaultStore } from '../support/storage.js';

// THREATS 10 — a page on another origin (C) gets hold of the app's window (it opened the app,
// or the app opened it) and posts what the SDK's own messages look like: session broadcasts,
// web_message authorization responses (as a popup login at the tenant would send them),
// Comlink RPC calls, handshakes with a MessagePort. The app must ignore all of it: still logged
// in as the same user, no session event, storage unchanged, and — from the servers' logs — the
// worker did nothing: no /authorize, no token request, no revocation, no logout, no API call.

const APP = appUrl('dpop');

/** What C posts; self-contained so it can run in C's page. Returns how many it posted. */
function postEverything(target: Window): number {
  const messages: unknown[] = [
    { type: 'auth0-enclave:session', state: { authenticated: false, reason: 'logout' } },
    {
      type: 'auth0-enclave:session',
      state: {
        authenticated: true,
        reason: 'login',
        user: { sub: 'auth0|mallory', name: 'Mallory' },
      },
    },
    { type: 'auth0-enclave:session', state: { authenticated: false, reason: 'expired' } },
    { type: 'authorization_response', response: { code: 'stolen-code', state: 'guessed-state' } },
    {
      type: 'authorization_response',
      response: { error: 'login_required', state: 'guessed-state' },
    },
    {
      type: 'authorization_response',
      response: {
        access_token: 'attacker.access.token',
        id_token: 'attacker.id.token',
        state: 'x',
      },
    },
    { id: 'r1', type: 'APPLY', path: ['logout'], argumentList: [] },
    { id: 'r2', type: 'APPLY', path: ['startLogin'], argumentList: [{ type: 'RAW', value: {} }] },
    {
      id: 'r3',
      type: 'APPLY',
      path: ['redeemCallback'],
      argumentList: [{ type: 'RAW', value: 'x' }],
    },
    { id: 'r4', type: 'SET', path: ['config'], value: { type: 'RAW', value: { domain: 'evil' } } },
    { type: 'auth0-enclave:ready', protocol: 1, version: '9.9.9' },
    { type: 'auth0-enclave:rejected', protocol: 1, reason: 'protocol' },
    { type: 'auth0-enclave:skip-waiting' },
    'logout',
    null,
  ];
  let posted = 0;
  for (const origin of ['*', 'http://localhost:4410']) {
    for (const message of messages) {
      target.postMessage(message, origin);
      posted++;
    }
    // A handshake with a port, as if C were the worker answering a connection.
    const { port2 } = new MessageChannel();
    target.postMessage(
      { type: 'auth0-enclave:connect', protocol: 1, lock: 'auth0-enclave:AAAAAAAAAAAAAAAAAAAA' },
      origin,
      [port2],
    );
    posted++;
  }
  return posted;
}

/** Counts window messages from `origin` that reach the app page (proof that C's were delivered). */
async function countDelivered(app: Page, origin: string): Promise<() => Promise<number>> {
  await app.evaluate((origin) => {
    window.__delivered = 0;
    addEventListener('message', (event) => {
      if (event.origin === origin) window.__delivered++;
    });
  }, origin);
  return () => app.evaluate(() => window.__delivered);
}

/** The app as it was: same user, same storage, no event, and the servers saw nothing at all. */
async function expectIgnored(app: Page, vaultBefore: unknown): Promise<void> {
  await app.waitForTimeout(500);
  await expect(app.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
  expect(await callClient(app, 'isAuthenticated')).toEqual({ value: true });
  expect(await callClient(app, 'getUser')).toMatchObject({ value: { sub: USER.sub } });
  expect(await sessionEvents(app)).toEqual([]);
  expect(vaultOf(await app.evaluate(dumpStorage))).toEqual(vaultBefore);
  expect(await tenantAdmin.requests()).toEqual([]);
  expect(await apiAdmin.requests()).toEqual([]);
}

function vaultOf(dump: Awaited<ReturnType<typeof dumpStorage>>): unknown {
  return ['keys', 'session', 'transactions', 'results'].map((store) => vaultStore(dump, store));
}

for (const attacker of [
  { name: 'the API host under another name', url: `${OTHER_ORIGIN_API_URL}/api/public` },
  {
    name: 'the tenant (where a popup login would post from)',
    url: `${TENANT_URL}/.well-known/openid-configuration`,
  },
]) {
  test(`THREATS 10: a page on another origin (${attacker.name}) opens the app and posts fake session, web_message and Comlink messages: ignored`, async ({
    page,
    context,
  }) => {
    await login(page, 'dpop');
    const vaultBefore = vaultOf(await page.evaluate(dumpStorage));
    await page.goto(attacker.url);
    const origin = new URL(attacker.url).origin;

    // C opens the app and keeps the handle.
    const opened = context.waitForEvent('page');
    await page.evaluate((app) => {
      window.app = window.open(`${app}/`, 'app');
    }, APP);
    const app = await opened;
    await expect(app.locator('body')).toHaveAttribute('data-ready', 'true');
    await expect(app.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
    await recordSessionEvents(app);
    const delivered = await countDelivered(app, origin);
    await tenantAdmin.clearRequests();
    await apiAdmin.clearRequests();

    const posted = (await page.evaluate(`(${postEverything.toString()})(window.app)`)) as number;
    await expect.poll(delivered).toBe(posted);
    await expectIgnored(app, vaultBefore);

    // C also tries to frame the app: `frame-ancestors 'none'` keeps it out of reach.
    await page.evaluate((app) => {
      const frame = document.createElement('iframe');
      frame.src = `${app}/`;
      document.body.append(frame);
    }, APP);
    await page.waitForTimeout(800);
    const framed = page.frames().find((frame) => frame !== page.mainFrame());
    expect(
      await framed?.evaluate(() => document.body?.dataset.ready ?? null).catch(() => null),
    ).toBeNull();
    await expectIgnored(app, vaultBefore);
  });
}

test('THREATS 10: a page the app opened (a link to another origin) posts back through window.opener: ignored', async ({
  page,
  context,
}) => {
  await login(page, 'dpop');
  await recordSessionEvents(page);
  const vaultBefore = vaultOf(await page.evaluate(dumpStorage));
  const delivered = await countDelivered(page, new URL(OTHER_ORIGIN_API_URL).origin);

  const opened = context.waitForEvent('page');
  await page.evaluate((url) => {
    window.open(url, '_blank');
  }, `${OTHER_ORIGIN_API_URL}/api/public`);
  const attacker = await opened;
  await attacker.waitForLoadState();
  // From here on, the servers must see nothing (C's own page load was the API's last request).
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();
  const posted = (await attacker.evaluate(
    `(${postEverything.toString()})(window.opener)`,
  )) as number;
  await expect.poll(delivered).toBe(posted);
  await expectIgnored(page, vaultBefore);
  // Still fully usable.
  await expect(page.getByRole('status')).toContainText('Logged in');
});
