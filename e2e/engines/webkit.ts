import { type ChildProcess, spawn } from 'node:child_process';
import { Builder, By, type WebDriver } from 'selenium-webdriver';
import {
  Protocol,
  Transport,
  VirtualAuthenticatorOptions,
} from 'selenium-webdriver/lib/virtual_authenticator.js';
import { type BrowserSession, EngineCannotError, type PageFunction, type Tab } from './driver.js';
import { freePort } from './free-port.js';
import { pollUntil } from './poll.js';

/** Debian's WebKitWebDriver (package webkit2gtk-driver), or `WEBKIT_DRIVER_PATH`. */
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
/** The WebKitGTK browser it automates, or `WEBKIT_MINIBROWSER_PATH`. */
export const MINIBROWSER_PATH =
  process.env.WEBKIT_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** xvfb-run (package xvfb), or `XVFB_RUN_PATH`. */
export const XVFB_RUN_PATH = process.env.XVFB_RUN_PATH ?? 'xvfb-run';

/** A running WebKitWebDriver (under its own Xvfb: MiniBrowser has no headless mode). */
export interface WebKitService {
  url: string;
  stop(): Promise<void>;
}

/** Starts `xvfb-run -a WebKitWebDriver --port=N` in a process group of its own. */
export async function startWebKitDriver(): Promise<WebKitService> {
  const port = await freePort();
  const child: ChildProcess = spawn(XVFB_RUN_PATH, ['-a', WEBKIT_DRIVER_PATH, `--port=${port}`], {
    detached: true,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  await pollUntil(
    async () => {
      if (exited) throw new Error('WebKitWebDriver exited');
      return (await fetch(`${url}/status`)).ok;
    },
    (ok) => ok || exited,
    { what: `WebKitWebDriver on port ${port}`, timeoutMs: 20_000 },
  );
  if (exited) throw new Error(`${XVFB_RUN_PATH} ${WEBKIT_DRIVER_PATH} exited at start`);
  return {
    url,
    async stop() {
      if (exited || child.pid === undefined) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      // The whole group: xvfb-run, its Xvfb, WebKitWebDriver and any MiniBrowser left.
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    },
  };
}

/**
 * Classic WebDriver has one current window per session: every command on a tab switches to it
 * first, and commands run one at a time.
 */
class Serial {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(job, job);
    this.#tail = next.catch(() => {});
    return next;
  }
}

class SeleniumTab implements Tab {
  constructor(
    readonly driver: WebDriver,
    readonly handle: string,
    readonly serial: Serial,
    readonly current: { handle: string },
  ) {}
  /** Runs `job` with this tab current, alone. */
  run<T>(job: () => Promise<T>): Promise<T> {
    return this.#on(job);
  }
  #on<T>(job: () => Promise<T>): Promise<T> {
    return this.serial.run(async () => {
      if (this.current.handle !== this.handle) {
        await this.driver.switchTo().window(this.handle);
        this.current.handle = this.handle;
      }
      return job();
    });
  }
  goto(url: string): Promise<void> {
    return this.#on(() => this.driver.get(url));
  }
  reload(): Promise<void> {
    return this.#on(() => this.driver.navigate().refresh());
  }
  url(): Promise<string> {
    return this.#on(() => this.driver.getCurrentUrl());
  }
  click(selector: string): Promise<void> {
    return this.#on(() => this.driver.findElement(By.css(selector)).click());
  }
  fill(selector: string, value: string): Promise<void> {
    return this.#on(async () => {
      const field = await this.driver.findElement(By.css(selector));
      await field.clear();
      await field.sendKeys(value);
    });
  }
  bringToFront(): Promise<void> {
    // Switching makes it the session's current window; a background tab of a MiniBrowser window
    // stays hidden all the same (measured: WebKitGTK 2.50), so `newTab({ ownWindow: true })`
    // is the way to a tab that is visible.
    return this.#on(async () => {});
  }
  evaluate<A, R>(fn: PageFunction<A, R>, arg: A): Promise<R> {
    // WebDriver's Execute Script awaits a returned promise.
    return this.#on(() =>
      this.driver.executeScript<R>(`return (${fn.toString()}).apply(null, arguments);`, arg),
    );
  }
  committedUrls(): undefined {
    // Classic WebDriver reports no navigations, and WebKitWebDriver refuses `webSocketUrl`.
    return undefined;
  }
  close(): Promise<void> {
    return this.#on(async () => {
      await this.driver.close();
      this.current.handle = '';
    });
  }
  async isClosed(): Promise<boolean> {
    const handles = await this.serial.run(() => this.driver.getAllWindowHandles());
    return !handles.includes(this.handle);
  }
}

/** A new WebDriver session: a fresh MiniBrowser with an ephemeral profile. */
export async function webkitSession(service: WebKitService): Promise<BrowserSession> {
  const driver = await new Builder()
    .usingServer(service.url)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    })
    .build();
  const serial = new Serial();
  const current = { handle: await driver.getWindowHandle() };
  const tabs = new Map<string, SeleniumTab>();
  const wrap = (handle: string): SeleniumTab => {
    let tab = tabs.get(handle);
    if (!tab) {
      tab = new SeleniumTab(driver, handle, serial, current);
      tabs.set(handle, tab);
    }
    return tab;
  };
  // The session opens with one empty window: it is the first tab handed out.
  let first: string | undefined = current.handle;
  const handles = () => serial.run(() => driver.getAllWindowHandles());
  const capabilities = await driver.getCapabilities();
  // Measured here (WebKitGTK 2.50.6): the worker of an open page still held its connection lock
  // after 98 s without an event, and it runs in the page's own web process (one page + its
  // worker = one WebKitWebProcess), so there is no process to end on its own either.
  const cannotStop =
    'WebKitWebDriver has no service-worker command; WebKitGTK 2.50 kept the worker of an open page running through 98 s idle, and runs it in the page’s own web process (none to end alone)';
  return {
    engine: 'webkit',
    version: `WebKitGTK ${String(capabilities.get('browserVersion') ?? 'unknown')} (MiniBrowser)`,
    abilities: {
      stopWorker: { cannot: cannotStop },
      virtualAuthenticator: {
        cannot:
          'WebKitWebDriver answers the WebAuthn virtual-authenticator commands with "unknown command"',
      },
    },
    async newTab(options = {}) {
      if (first !== undefined) {
        const handle = first;
        first = undefined;
        return wrap(handle);
      }
      return serial.run(async () => {
        await driver.switchTo().newWindow(options.ownWindow ? 'window' : 'tab');
        current.handle = await driver.getWindowHandle();
        return wrap(current.handle);
      });
    },
    tabs: async () => (await handles()).map(wrap),
    async waitForPopup(action) {
      const known = new Set(await handles());
      await action();
      const handle = await pollUntil(
        async () => (await handles()).find((candidate) => !known.has(candidate)),
        (found) => found !== undefined,
        { what: 'a popup to open' },
      );
      return wrap(handle as string);
    },
    async stopWorkers() {
      throw new EngineCannotError('webkit', cannotStop);
    },
    async addVirtualAuthenticator(tab) {
      const options = new VirtualAuthenticatorOptions();
      options.setProtocol(Protocol.CTAP2);
      options.setTransport(Transport.INTERNAL);
      options.setHasResidentKey(true);
      options.setHasUserVerification(true);
      options.setIsUserVerified(true);
      options.setIsUserConsenting(true);
      try {
        // selenium-webdriver has the command; its @types do not declare it.
        const webauthn = driver as unknown as {
          addVirtualAuthenticator(options: VirtualAuthenticatorOptions): Promise<void>;
        };
        await (tab as SeleniumTab).run(() => webauthn.addVirtualAuthenticator(options));
      } catch (error) {
        // What WebKitWebDriver answers, word for word: the report names it.
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new EngineCannotError(
          'webkit',
          `WebKitWebDriver refuses Add Virtual Authenticator: ${message}`,
        );
      }
    },
    async close() {
      await driver.quit().catch(() => {});
    },
  };
}
