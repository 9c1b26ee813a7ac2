import type { Browser as PlaywrightBrowser } from '@playwright/test';
import { test as base, expect } from '@playwright/test';
import type { Browser as PuppeteerBrowser } from 'puppeteer-core';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { chromiumSession, launchChromium } from './chromium.js';
import type { BrowserSession, EngineName, LaunchOptions } from './driver.js';
import { firefoxSession, launchFirefox } from './firefox.js';
import { startWebKitDriver, type WebKitService, webkitSession } from './webkit.js';

export { expect };

/** The browser (or driver service) one test worker keeps for all its tests. */
type Host =
  | { engine: 'chromium'; browser: PlaywrightBrowser }
  | { engine: 'firefox'; browser: PuppeteerBrowser }
  | { engine: 'webkit'; service: WebKitService };

async function startHost(engine: EngineName): Promise<Host> {
  if (engine === 'chromium') return { engine, browser: await launchChromium() };
  if (engine === 'firefox') return { engine, browser: await launchFirefox() };
  return { engine, service: await startWebKitDriver() };
}

async function stopHost(host: Host): Promise<void> {
  if (host.engine === 'webkit') await host.service.stop();
  else await host.browser.close();
}

/**
 * A session with launch options of its own (a Firefox whose idle service worker stops after
 * `idleWorkerTimeoutMs`): a separate browser, closed with the session.
 */
async function sessionWith(host: Host, options: LaunchOptions): Promise<BrowserSession> {
  if (host.engine !== 'firefox' || options.idleWorkerTimeoutMs === undefined)
    return sessionOf(host);
  const browser = await launchFirefox(options);
  const session = await firefoxSession(browser, options);
  return { ...session, close: () => browser.close() };
}

function sessionOf(host: Host): Promise<BrowserSession> {
  if (host.engine === 'chromium') return chromiumSession(host.browser);
  if (host.engine === 'firefox') return firefoxSession(host.browser);
  return webkitSession(host.service);
}

/**
 * The cross-engine test: `engine` is set per Playwright project (playwright.config.ts); every
 * test gets `session`, a fresh session (own profile) of that engine, and a clean tenant and API
 * log. `launch` (test.use) asks for a session with launch options of its own.
 */
export const test = base.extend<
  { launch: LaunchOptions; session: BrowserSession },
  { engine: EngineName; host: Host }
>({
  engine: ['chromium', { option: true, scope: 'worker' }],
  host: [
    async ({ engine }, use) => {
      const host = await startHost(engine);
      await use(host);
      await stopHost(host);
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  launch: [{}, { option: true }],
  session: async ({ host, launch }, use) => {
    await tenantAdmin.reset();
    await apiAdmin.clearRequests();
    const session = await sessionWith(host, launch);
    await use(session);
    await session.close();
  },
});

/**
 * Marks the running test skipped when `reason` is set: the engine cannot run this case, and
 * the report names why.
 */
export function cannot(reason: string | undefined): void {
  test.skip(reason !== undefined, reason);
}
