// The small browser-driver interface the cross-engine scenarios (e2e/engines/*.spec.ts) are
// written against, once. Three adapters implement it: Playwright for Chromium, puppeteer-core
// over WebDriver BiDi for Firefox ESR, selenium-webdriver against WebKitWebDriver for WebKitGTK
// (Playwright can drive neither of Debian's Firefox nor WebKitGTK; see docs/browser-support.md).

/** The engines the scenarios run in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

export const ENGINES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** A function run in the page: self-contained (no imports, no closures), one JSON argument. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

/** One top-level browsing context (a tab or a popup window). */
export interface Tab {
  /** Navigates and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Reloads and waits for the load event. */
  reload(): Promise<void>;
  /** The address of the document shown now. */
  url(): Promise<string>;
  /** A real (trusted) click on the first element matching `selector`, as a person would. */
  click(selector: string): Promise<void>;
  /** Types `value` into the field matching `selector`, replacing what it held. */
  fill(selector: string, value: string): Promise<void>;
  /**
   * Makes this the tab in front (as a person switching to it): background tabs may be throttled,
   * so the bench measures only in the tab in front.
   */
  bringToFront(): Promise<void>;
  /** Runs `fn(arg)` in the page and returns its (awaited, JSON-serialisable) result. */
  evaluate<A, R>(fn: PageFunction<A, R>, arg: A): Promise<R>;
  /**
   * Every URL the tab's main frame committed since it was opened, in order — where the
   * automation reports navigations (`undefined` where it does not: classic WebDriver).
   */
  committedUrls(): string[] | undefined;
  close(): Promise<void>;
  /** Whether the tab is gone (closed by the user, by script, or by the browser). */
  isClosed(): Promise<boolean>;
}

/** What an engine's automation can do here, each with why not when it cannot. */
export interface EngineAbilities {
  /** How `stopWorkers` stops the service worker, or why it cannot. */
  stopWorker: { how: string } | { cannot: string };
  /** A WebAuthn virtual authenticator for passkey ceremonies without a person, or why not. */
  virtualAuthenticator: { how: string } | { cannot: string };
}

/** One browser with an isolated profile: every test gets its own. */
export interface BrowserSession {
  readonly engine: EngineName;
  /** The browser's name and version, as the engine reports it. */
  readonly version: string;
  readonly abilities: EngineAbilities;
  /**
   * Opens a tab. With `ownWindow`, in a window of its own where tabs of one window cannot all be
   * visible at once (WebKitGTK's MiniBrowser: Switch To Window does not select a tab, so a
   * background tab stays `hidden`); elsewhere a tab, which `bringToFront` makes visible.
   */
  newTab(options?: { ownWindow?: boolean }): Promise<Tab>;
  /** Every open top-level context (tabs and popups) of this session. */
  tabs(): Promise<Tab[]>;
  /** Runs `action` (e.g. a click that calls `window.open`) and returns the popup it opened. */
  waitForPopup(action: () => Promise<void>): Promise<Tab>;
  /**
   * Stops every service worker of the session, as the browser does when it is idle, and
   * resolves once it is stopped. Throws when `abilities.stopWorker` says it cannot.
   */
  stopWorkers(tab: Tab): Promise<void>;
  /** Adds a virtual authenticator (CTAP2, internal, resident keys, user verified). */
  addVirtualAuthenticator(tab: Tab): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link BrowserSession} launchers. */
export interface LaunchOptions {
  /**
   * Firefox only: make the browser stop an idle service worker after this many milliseconds
   * (`dom.serviceWorkers.idle_timeout`), so `stopWorkers` can wait for a real idle stop.
   */
  idleWorkerTimeoutMs?: number;
}

/** A typed refusal: the engine's automation cannot do what the scenario asked. */
export class EngineCannotError extends Error {
  override readonly name = 'EngineCannotError';
  constructor(
    readonly engine: EngineName,
    readonly reason: string,
  ) {
    super(`${engine}: ${reason}`);
  }
}
