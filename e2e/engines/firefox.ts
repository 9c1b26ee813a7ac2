import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import {
  type BrowserSession,
  EngineCannotError,
  type LaunchOptions,
  type PageFunction,
  type Tab,
} from './driver.js';
import { workerHoldsConnection } from './page-probes.js';
import { pollUntil } from './poll.js';

/** Debian's Firefox ESR, or `FIREFOX_PATH` (scripts/find-browsers.mjs checks and installs). */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Launches Firefox over WebDriver BiDi (puppeteer-core; no geckodriver needed). With
 * `idleWorkerTimeoutMs`, Firefox stops a service worker that long after its last event (the
 * default is 30 s, and a pending event extends it): the only way automation can stop one here,
 * as WebDriver BiDi has no service-worker command.
 */
export function launchFirefox(options: LaunchOptions = {}): Promise<Browser> {
  const idle = options.idleWorkerTimeoutMs;
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: {
      ...(idle === undefined
        ? {}
        : {
            'dom.serviceWorkers.idle_timeout': idle,
            'dom.serviceWorkers.idle_extended_timeout': idle,
          }),
    },
  });
}

class PuppeteerTab implements Tab {
  readonly #committed: string[] = [];
  constructor(readonly page: Page) {
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.#committed.push(frame.url());
    });
  }
  async goto(url: string): Promise<void> {
    await this.page.goto(url, { waitUntil: 'load' });
  }
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
  }
  async url(): Promise<string> {
    return this.page.url();
  }
  async click(selector: string): Promise<void> {
    await this.page.locator(selector).click();
  }
  async fill(selector: string, value: string): Promise<void> {
    await this.page.locator(selector).fill(value);
  }
  async bringToFront(): Promise<void> {
    await this.page.bringToFront();
  }
  evaluate<A, R>(fn: PageFunction<A, R>, arg: A): Promise<R> {
    // puppeteer's generic types flatten handles; these functions take and return plain data.
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

/** A fresh browser context (its own profile: a WebDriver BiDi user context) of `browser`. */
export async function firefoxSession(
  browser: Browser,
  options: LaunchOptions = {},
): Promise<BrowserSession> {
  const context: BrowserContext = await browser.createBrowserContext();
  const tabs = new Map<Page, PuppeteerTab>();
  const wrap = (page: Page): PuppeteerTab => {
    let tab = tabs.get(page);
    if (!tab) {
      tab = new PuppeteerTab(page);
      tabs.set(page, tab);
    }
    return tab;
  };
  const idle = options.idleWorkerTimeoutMs;
  const cannotStop =
    'WebDriver BiDi has no service-worker command; a browser launched with the dom.serviceWorkers.idle_timeout preference stops it when idle';
  return {
    engine: 'firefox',
    version: (await browser.version()).replace(/^firefox\//i, 'Firefox '),
    abilities: {
      stopWorker:
        idle === undefined
          ? { cannot: cannotStop }
          : { how: `idle stop after ${idle} ms (dom.serviceWorkers.idle_timeout)` },
      virtualAuthenticator: {
        cannot:
          'WebDriver BiDi has no WebAuthn module in Firefox 153 ESR; the virtual-authenticator commands are classic WebDriver, which needs geckodriver (not packaged in Debian)',
      },
    },
    newTab: async () => wrap(await context.newPage()),
    tabs: async () => (await context.pages()).map(wrap),
    async waitForPopup(action) {
      const known = new Set(await context.pages());
      await action();
      const page = await pollUntil(
        async () => (await context.pages()).find((candidate) => !known.has(candidate)),
        (found) => found !== undefined,
        { what: 'a popup to open' },
      );
      return wrap(page as Page);
    },
    async stopWorkers(tab) {
      if (idle === undefined) throw new EngineCannotError('firefox', cannotStop);
      // Idle = no event for `idle` ms; the page sends none while we wait.
      await pollUntil(
        () => tab.evaluate(workerHoldsConnection, undefined),
        (alive) => !alive,
        { what: 'Firefox to stop the idle service worker', timeoutMs: idle + 15_000 },
      );
    },
    async addVirtualAuthenticator() {
      throw new EngineCannotError(
        'firefox',
        'no virtual authenticator over WebDriver BiDi in Firefox 153 ESR',
      );
    },
    close: () => context.close(),
  };
}
