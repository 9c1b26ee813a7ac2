// The bench's pages as any engine drives them, through the browser tests' driver interface
// (e2e/engines/driver.ts): by CSS selector and page script only. Timings are never taken here:
// the page driver (bench/page-driver.ts) takes them inside the page with performance.now().
import type { Tab } from '../e2e/engines/driver.js';
import { pollUntil } from '../e2e/engines/poll.js';
import { withTimeout } from './browser.js';
import { APP_URL, SPA_JS_URL, TENANT_URL, USER } from './config.js';
import { pageDriverScript } from './driver-script.js';
import type { BenchDriver, SequentialArgs, SequentialResult } from './page-driver.js';

type DriverWindow = { __benchDriver?: BenchDriver };

const installed = new WeakSet<Tab>();

/**
 * Puts the page driver into the document `tab` shows (once; the latency section does not
 * navigate). The script becomes the body of a function the driver runs in the page — how every
 * driver runs page script, under any CSP — never an `eval` inside the page.
 */
async function installDriver(tab: Tab): Promise<void> {
  if (installed.has(tab)) return;
  const install = new Function(await pageDriverScript()) as () => void;
  await tab.evaluate(install, undefined);
  const present = await tab.evaluate(
    () => typeof (window as unknown as DriverWindow).__benchDriver === 'object',
    undefined,
  );
  if (!present) throw new Error('the page driver did not install in this page');
  installed.add(tab);
}

/** Sequential requests timed in the page, `tab` in front (background tabs may be throttled). */
export async function sequentialIn(tab: Tab, args: SequentialArgs): Promise<SequentialResult> {
  await installDriver(tab);
  await tab.bringToFront();
  const visibility = await tab.evaluate(() => document.visibilityState, undefined);
  if (visibility !== 'visible') {
    throw new Error(
      `the tab is "${visibility}" after bringToFront: its timings would be throttled`,
    );
  }
  return withTimeout(
    tab.evaluate(
      (a) => (window as unknown as Required<DriverWindow>).__benchDriver.sequential(a),
      args,
    ),
    `${args.count} sequential ${args.kind} requests`,
  );
}

/** `performance.now()`'s step in `tab`'s page, in ms (see BenchDriver.timerResolution). */
export async function timerResolutionIn(tab: Tab): Promise<number> {
  await installDriver(tab);
  return tab.evaluate(
    () => (window as unknown as Required<DriverWindow>).__benchDriver.timerResolution(),
    undefined,
  );
}

interface PageState {
  url: string;
  ready: string;
  status: string;
  error: string;
  form: boolean;
}

function readState(): PageState {
  return {
    url: location.href,
    ready: document.body?.dataset.ready ?? '',
    status: document.getElementById('status')?.textContent ?? '',
    error: document.body?.dataset.error ?? '',
    form: !!document.getElementById('email') && !!document.getElementById('password'),
  };
}

function waitFor(tab: Tab, accept: (state: PageState) => boolean, what: string) {
  return pollUntil(() => tab.evaluate(readState, undefined), accept, { what, timeoutMs: 20_000 });
}

const loggedIn = (state: PageState) =>
  state.ready === 'true' && state.status.includes(`Logged in as ${USER.name}`);

/** Fills the tenant's login form, when the tenant shows it (its session cookie may answer). */
async function answerTenant(tab: Tab, home: string, done: (state: PageState) => boolean) {
  const state = await waitFor(
    tab,
    (s) => (s.url.startsWith(`${TENANT_URL}/`) && s.form) || (s.url === home && done(s)),
    "the tenant's login form or the app logged in",
  );
  if (!state.url.startsWith(`${TENANT_URL}/`)) return;
  await tab.fill('#email', USER.email);
  await tab.fill('#password', USER.password);
  await tab.click('button[type=submit]');
}

/** Logs in to our sample app through the tenant's form, as a person would. */
export async function loginEnclaveTab(tab: Tab): Promise<void> {
  const home = `${APP_URL}/`;
  await tab.goto(home);
  const first = await waitFor(tab, (s) => s.ready === 'true', 'our app to connect to its worker');
  if (loggedIn(first)) return;
  await tab.click('#login');
  await answerTenant(tab, home, loggedIn);
  await waitFor(tab, (s) => s.url === home && loggedIn(s), 'our app to show the user logged in');
}

/** Logs the auth0-spa-js page in (bench/spa-js-page.ts); throws with its error when it fails. */
export async function loginSpaJsTab(tab: Tab): Promise<void> {
  const home = `${SPA_JS_URL}/`;
  const settled = (s: PageState) => s.ready === 'authenticated' || s.ready === 'error';
  await tab.goto(home);
  const first = await waitFor(tab, (s) => s.ready !== '', 'the spa-js page to start');
  if (first.ready === 'error') throw new Error(`the spa-js page failed: ${first.error}`);
  if (first.ready === 'authenticated') return;
  await tab.evaluate(() => {
    void (window as unknown as { bench: { login(): Promise<void> } }).bench.login();
  }, undefined);
  await answerTenant(tab, home, settled);
  const last = await waitFor(tab, (s) => s.url === home && s.ready !== '', 'spa-js to log in');
  if (last.ready !== 'authenticated') {
    throw new Error(
      `spa-js is "${last.ready}" after logging in${last.error ? `: ${last.error}` : ''}`,
    );
  }
}

/** The page without any SDK or service worker that the baselines run in. */
export async function openPlainTab(tab: Tab): Promise<void> {
  await tab.goto(`${SPA_JS_URL}/plain`);
}
