import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, chromium, expect, type Page, test } from '@playwright/test';
import { loginAt as loginTab } from '../engines/app.js';
import { CHROMIUM_LAUNCH } from '../engines/chromium.js';
import type { BrowserSession, Tab } from '../engines/driver.js';
import { firefoxSession, launchFirefox } from '../engines/firefox.js';
import { freePort } from '../engines/free-port.js';
import { pollUntil } from '../engines/poll.js';
import { startWebKitDriver, webkitSession } from '../engines/webkit.js';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { type CustomApp, loginAt as loginPage, startCustomApp } from '../support/custom-app.js';
import { API_URL } from '../support/environment.js';

// How long each engine keeps an open page's service worker alive without and with the memory
// custody mode's keep-alive (issue 11, item 2), and what the keep-alive costs. Minutes of
// waiting, so it runs only on request:
//   MEASURE_KEEPALIVE=1 npx playwright test --project chromium keep-alive-measurement
// Apps with the same config but for `persistence` (the persisted one has no keep-alive while
// nothing is pending; the memory one pings every 10 s while open), each logged in, in its own
// tab of one browser per engine, all engines at once. Then nothing is sent for the window:
// page script samples once a second whether the worker still holds the page's connection (a
// Web Lock query: it dispatches nothing to the worker) and keeps the result in the page.
// Chromium runs WITHOUT a debugger attached during the window: a DevTools client attached to a
// service worker (as Playwright's is) keeps Chromium from stopping it, so we start Chromium
// ourselves, log in over CDP, disconnect, wait, and reconnect only to read the pages' records.
// Firefox runs under WebDriver BiDi and WebKitGTK under WebKitWebDriver, which have no
// service-worker attachment; the persisted app is the control that idle stops do happen.

// Long enough for Chromium's intensive throttling of hidden tabs (after 5 min: timers wake
// once a minute) and Firefox's extended service-worker timeout (300 s).
const WINDOW_MS = Number(process.env.MEASURE_KEEPALIVE_WINDOW_MS ?? 8 * 60_000);
/**
 * The apps, in the order their tabs open in each browser: the first memory-mode tab ends up in
 * the background (hidden, its timers throttled), the last one in front. Apps of the
 * cross-engine suite use 4465–4469 (e2e/support/environment.ts).
 */
const PORTS = { 'memory, first tab': 4467, persisted: 4468, 'memory, last tab': 4469 } as const;
type Mode = keyof typeof PORTS;
const MODES = Object.keys(PORTS) as Mode[];

/** What the page recorded: when the worker stopped holding its connection, if it did. */
interface Observation {
  visibility: string;
  samples: number;
  stoppedAfterMs: number | null;
}

/** Page function: starts sampling once a second; the record lives on `window`. */
function observe(): void {
  const scope = window as unknown as { keepAliveObservation?: Observation };
  const started = Date.now();
  const record: Observation = {
    visibility: document.visibilityState,
    samples: 0,
    stoppedAfterMs: null,
  };
  scope.keepAliveObservation = record;
  const timer = setInterval(async () => {
    // The same probe as e2e/engines/page-probes.ts (page functions cannot import).
    const { held = [], pending = [] } = await navigator.locks.query();
    const waited = new Set(
      pending.map((lock) => lock.name).filter((name) => name?.startsWith('auth0-enclave:')),
    );
    const alive = held.some((lock) => lock.name !== undefined && waited.has(lock.name));
    record.samples++;
    if (document.visibilityState !== 'visible') record.visibility = document.visibilityState;
    if (!alive && record.stoppedAfterMs === null) {
      record.stoppedAfterMs = Date.now() - started;
      clearInterval(timer);
    }
  }, 1_000);
}

/** Page function: the status of one API call through the worker (memory mode: 200 = the session lived). */
async function callApiStatus(url: string): Promise<number | string> {
  const auth0 = (window as unknown as { auth0: { fetchWithAuth: typeof fetch } }).auth0;
  try {
    return (await auth0.fetchWithAuth(url)).status;
  } catch (error) {
    return `${(error as Error).name}: ${(error as { code?: string }).code}`;
  }
}

function readObservation(): Observation | null {
  return (window as unknown as { keepAliveObservation?: Observation }).keepAliveObservation ?? null;
}

/** Progress on stdout: the run is minutes long. */
function step(what: string): void {
  process.stdout.write(`keep-alive measurement ${new Date().toISOString()}: ${what}\n`);
}

/** Chromium started by us, with CDP reachable on a port but no client attached unless we connect. */
async function startChromium(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const port = await freePort();
  const profile = await mkdtemp(join(tmpdir(), 'keepalive-chromium-'));
  const child: ChildProcess = spawn(
    CHROMIUM_LAUNCH.executablePath,
    [
      '--headless=new',
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      ...CHROMIUM_LAUNCH.args,
      // As Playwright's own launch does: Chromium refuses to run its sandbox as root.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      'about:blank',
    ],
    { stdio: 'ignore', detached: true },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  await pollUntil(
    async () => (await fetch(`${endpoint}/json/version`)).ok,
    (ok) => ok,
    { what: 'Chromium to listen for CDP', timeoutMs: 20_000 },
  );
  return {
    endpoint,
    async stop() {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await sleep(1_000);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

test.describe('keep-alive measurement (MEASURE_KEEPALIVE=1, ports 4467–4469)', () => {
  test.skip(!process.env.MEASURE_KEEPALIVE, 'minutes long; run on request');
  test.setTimeout(WINDOW_MS + 6 * 60_000);

  const apps = {} as Record<Mode, CustomApp>;
  test.beforeAll(async () => {
    for (const mode of MODES)
      apps[mode] = await startCustomApp(
        PORTS[mode],
        mode.startsWith('memory') ? { persistence: 'memory' } : {},
      );
  });
  test.afterAll(async () => {
    for (const mode of MODES) await apps[mode]?.close();
  });

  test('Chromium (no debugger attached), Firefox and WebKitGTK: how long an open, idle page keeps its worker, without and with the keep-alive', async () => {
    const chromiumProcess = await startChromium();
    const firefox = await launchFirefox();
    const webkit = await startWebKitDriver();
    const sessions: BrowserSession[] = [];
    const results: Record<string, Observation | null> = {};
    const sessionAfter: Record<string, number | string> = {};
    try {
      // Log in everywhere, then start the clock in each page.
      step('browsers started');
      let cdp: Browser = await chromium.connectOverCDP(chromiumProcess.endpoint);
      const context = cdp.contexts()[0];
      if (!context) throw new Error('Chromium has no default context');
      for (const mode of MODES) {
        const page = await context.newPage();
        // Each login through the form: no tenant session from the other app's login answers it.
        await tenantAdmin.endSessions();
        await loginPage(page, apps[mode].origin);
        await page.evaluate(observe);
        step(`Chromium ${mode}: logged in, observing`);
      }
      // Disconnects (the default context and its pages stay): from here on no DevTools client
      // is attached to the pages or the workers.
      await cdp.close();
      step('Chromium: disconnected');

      const tabs: { name: string; tab: Tab }[] = [];
      sessions.push(await firefoxSession(firefox), await webkitSession(webkit));
      for (const session of sessions) {
        for (const mode of MODES) {
          const tab = await session.newTab();
          await tenantAdmin.endSessions();
          await loginTab(tab, apps[mode].origin);
          await tab.evaluate(observe, undefined);
          tabs.push({ name: `${session.version}, ${mode}`, tab });
          step(`${session.version} ${mode}: logged in, observing`);
        }
      }
      const windowStart = new Date().toISOString();
      step(`waiting ${WINDOW_MS} ms`);
      await sleep(WINDOW_MS);
      const windowEnd = new Date().toISOString();

      cdp = await chromium.connectOverCDP(chromiumProcess.endpoint);
      const version = `Chromium ${cdp.version()}`;
      for (const page of cdp.contexts()[0]?.pages() ?? []) {
        const mode = MODES.find((key) => page.url().startsWith(apps[key].origin));
        if (!mode) continue;
        results[`${version}, ${mode}`] = await (page as Page).evaluate(readObservation);
        if (mode.startsWith('memory'))
          sessionAfter[`${version}, ${mode}`] = await (page as Page).evaluate(
            callApiStatus,
            `${API_URL}/api/me`,
          );
      }
      for (const { name, tab } of tabs) {
        results[name] = await tab.evaluate(readObservation, null);
        if (name.includes('memory'))
          sessionAfter[name] = await tab.evaluate(callApiStatus, `${API_URL}/api/me`);
      }

      // The keep-alive's cost on the network: what reached the servers during the window.
      const during = (entry: { at: string }) => entry.at >= windowStart && entry.at <= windowEnd;
      // (Read after the window: the calls just made come after windowEnd.)
      const tenantRequests = (await tenantAdmin.requests()).filter(during).length;
      const apiRequests = (await apiAdmin.requests()).filter(during).length;
      const minutes = WINDOW_MS / 60_000;
      test.info().annotations.push({
        type: 'measurement',
        description: `window ${minutes} min; requests during it: tenant ${tenantRequests}, API ${apiRequests}`,
      });
      for (const [name, observation] of Object.entries(results)) {
        test.info().annotations.push({
          type: 'measurement',
          description: `${name}: ${
            observation?.stoppedAfterMs == null
              ? `still running after ${minutes} min`
              : `stopped after ${Math.round(observation.stoppedAfterMs / 1000)} s`
          } (page ${observation?.visibility}, ${observation?.samples} samples)${
            name in sessionAfter ? `; API call after: ${sessionAfter[name]}` : ''
          }`,
        });
      }
      process.stdout.write(
        `${JSON.stringify({ windowMs: WINDOW_MS, tenantRequests, apiRequests, results, sessionAfter })}\n`,
      );
      await cdp.close();
      expect(Object.keys(results)).toHaveLength(3 * MODES.length);
    } finally {
      for (const session of sessions) await session.close().catch(() => {});
      await firefox.close().catch(() => {});
      await webkit.stop();
      await chromiumProcess.stop();
    }
  });
});
