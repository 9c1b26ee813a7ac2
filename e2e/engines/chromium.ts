import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import type { BrowserSession, PageFunction, Tab } from './driver.js';
import { workerHoldsConnection } from './page-probes.js';
import { pollUntil } from './poll.js';

/** How the browser suite launches Debian's Chromium (shared with playwright.config.ts). */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // Without these Chromium keeps dialling the (closed) network for updates and sync.
  args: [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-gpu',
    '--disable-quic',
  ],
};

/** One Chromium per test worker; each session is a fresh browser context (its own profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM_LAUNCH);
}

class PlaywrightTab implements Tab {
  readonly #committed: string[] = [];
  constructor(readonly page: Page) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.#committed.push(frame.url());
    });
  }
  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }
  async reload(): Promise<void> {
    await this.page.reload();
  }
  async url(): Promise<string> {
    return this.page.url();
  }
  async click(selector: string): Promise<void> {
    await this.page.locator(selector).first().click();
  }
  async fill(selector: string, value: string): Promise<void> {
    await this.page.locator(selector).first().fill(value);
  }
  async bringToFront(): Promise<void> {
    await this.page.bringToFront();
  }
  evaluate<A, R>(fn: PageFunction<A, R>, arg: A): Promise<R> {
    // Playwright's generic types flatten handles; these functions take and return plain data.
    const run = this.page.evaluate as (f: PageFunction<A, R>, a: A) => Promise<R>;
    return run.call(this.page, fn, arg);
  }
  committedUrls(): string[] {
    return [...this.#committed];
  }
  async close(): Promise<void> {
    await this.page.close();
  }
  async isClosed(): Promise<boolean> {
    return this.page.isClosed();
  }
}

/** A fresh context of `browser` as a {@link BrowserSession}. */
export async function chromiumSession(browser: Browser): Promise<BrowserSession> {
  const context: BrowserContext = await browser.newContext();
  const tabs = new Map<Page, PlaywrightTab>();
  const wrap = (page: Page): PlaywrightTab => {
    let tab = tabs.get(page);
    if (!tab) {
      tab = new PlaywrightTab(page);
      tabs.set(page, tab);
    }
    return tab;
  };
  context.on('page', wrap);
  return {
    engine: 'chromium',
    version: `Chromium ${browser.version()}`,
    abilities: {
      stopWorker: { how: 'CDP ServiceWorker.stopAllWorkers' },
      virtualAuthenticator: { how: 'CDP WebAuthn.addVirtualAuthenticator' },
    },
    newTab: async () => wrap(await context.newPage()),
    tabs: async () => context.pages().map(wrap),
    async waitForPopup(action) {
      const popup = context.waitForEvent('page');
      await action();
      const page = await popup;
      await page.waitForLoadState('domcontentloaded');
      return wrap(page);
    },
    async stopWorkers(tab) {
      const page = (tab as PlaywrightTab).page;
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
      await pollUntil(
        () => tab.evaluate(workerHoldsConnection, undefined),
        (alive) => !alive,
        { what: 'the service worker to stop' },
      );
    },
    async addVirtualAuthenticator(tab) {
      const cdp = await context.newCDPSession((tab as PlaywrightTab).page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      });
    },
    close: () => context.close(),
  };
}
