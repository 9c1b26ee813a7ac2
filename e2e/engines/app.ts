import { appUrl, TENANT_URL, USER, type Variant } from '../support/environment.js';
import type { CallResult } from '../support/fixtures.js';
import type { Tab } from './driver.js';
import { pollUntil } from './poll.js';

// The sample app (dev/app) as the cross-engine scenarios drive it: by CSS selector and page
// script only, which every driver offers.

/** What the app shows: its status line, whether it is ready, and the address. */
export interface AppState {
  url: string;
  ready: boolean;
  status: string;
  result: string;
}

function readState(): AppState {
  return {
    url: location.href,
    ready: document.body?.dataset.ready === 'true',
    status: document.getElementById('status')?.textContent ?? '',
    result: document.getElementById('api-result')?.textContent ?? '',
  };
}

/** Polls the app until `accept` takes its state (across navigations). */
export function waitForApp(
  tab: Tab,
  accept: (state: AppState) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<AppState> {
  return pollUntil(() => tab.evaluate(readState, undefined), accept, { what, timeoutMs });
}

/** Opens the sample app and waits until it connected to its worker. */
export async function openApp(tab: Tab, variant: Variant, path = '/'): Promise<AppState> {
  await tab.goto(`${appUrl(variant)}${path}`);
  return waitForApp(tab, (state) => state.ready, 'the app to be ready');
}

/** Fills and submits the tenant's login form shown in `tab`. */
export async function submitTenantLogin(tab: Tab): Promise<void> {
  await pollUntil(
    () =>
      tab.evaluate(
        () => ({ url: location.href, form: !!document.getElementById('email') }),
        undefined,
      ),
    (state) => state.url.startsWith(`${TENANT_URL}/`) && state.form,
    { what: "the tenant's login form" },
  );
  await tab.fill('#email', USER.email);
  await tab.fill('#password', USER.password);
  await tab.click('button[type=submit]');
}

/** Logs in through the tenant's own login form, as a person would. */
export function login(tab: Tab, variant: Variant): Promise<AppState> {
  return loginAt(tab, appUrl(variant));
}

/** {@link login} on an app at any origin (e.g. one of e2e/support/custom-app.ts). */
export async function loginAt(tab: Tab, origin: string): Promise<AppState> {
  await tab.goto(`${origin}/`);
  await waitForApp(tab, (state) => state.ready, 'the app to be ready');
  await tab.click('#login');
  await submitTenantLogin(tab);
  return waitForApp(
    tab,
    (state) =>
      state.url === `${origin}/` &&
      state.ready &&
      state.status.includes(`Logged in as ${USER.name}`),
    'the app to show the user logged in',
  );
}

/** The text of the element `selector` (empty when absent). */
export function textOf(tab: Tab, selector: string): Promise<string> {
  return tab.evaluate((selector) => document.querySelector(selector)?.textContent ?? '', selector);
}

/** Waits until the text of `selector` passes `accept`; returns it. */
export function waitForText(
  tab: Tab,
  selector: string,
  accept: (text: string) => boolean,
): Promise<string> {
  return pollUntil(() => textOf(tab, selector), accept, { what: `the text of ${selector}` });
}

/** Calls a URL from the page with `auth0.fetchWithAuth` (default) or plain `fetch`. */
export function callApi(
  tab: Tab,
  url: string,
  options: { plain?: boolean; init?: RequestInit } = {},
): Promise<CallResult> {
  return tab.evaluate(
    async ({ url, plain, init }) => {
      const auth0 = (window as unknown as { auth0: { fetchWithAuth: typeof fetch } }).auth0;
      try {
        const response = plain ? await fetch(url, init) : await auth0.fetchWithAuth(url, init);
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        return { status: response.status, body };
      } catch (caught) {
        const error = caught as { name: string; code: string; error: string; message: string };
        return {
          error: {
            name: error.name,
            code: error.code,
            error: error.error,
            message: error.message,
          },
        };
      }
    },
    { url, plain: options.plain ?? false, init: options.init ?? {} },
  );
}

/** A settled `auth0[method](...args)`: its value, or the error's name and code. */
export type Outcome =
  | { value: unknown }
  | { name: string; code?: string | undefined; message: string };

/** Runs `auth0[method](...args)` in the page. */
export function callAuth0(tab: Tab, method: string, ...args: unknown[]): Promise<Outcome> {
  return tab.evaluate<{ method: string; args: unknown[] }, Outcome>(
    async ({ method, args }) => {
      const auth0 = (
        window as unknown as { auth0: Record<string, (...a: unknown[]) => Promise<unknown>> }
      ).auth0;
      try {
        const value = await auth0[method]?.(...args);
        return { value: value === undefined ? null : value };
      } catch (caught) {
        const error = caught as { name: string; code?: string; message: string };
        return { name: error.name, code: error.code, message: error.message };
      }
    },
    { method, args },
  );
}

/**
 * Starts `auth0.fetchWithAuth(url)` in the page without waiting for it, so calls in several tabs
 * run at the same moment in every engine (classic WebDriver runs one script at a time, so an
 * awaited call per tab would run them one after another). {@link collectCall} reads the result.
 */
export function startCall(tab: Tab, url: string): Promise<void> {
  return tab.evaluate((url) => {
    const scope = window as unknown as {
      auth0: { fetchWithAuth: typeof fetch };
      engineCall?: unknown;
    };
    scope.engineCall = undefined;
    scope.auth0.fetchWithAuth(url).then(
      async (response) => {
        scope.engineCall = { status: response.status, body: await response.json() };
      },
      (error: { name: string; code: string }) => {
        scope.engineCall = { error: { name: error.name, code: error.code } };
      },
    );
  }, url);
}

/** Waits for the result of the call {@link startCall} started in `tab`. */
export function collectCall(tab: Tab): Promise<CallResult> {
  return pollUntil(
    () =>
      tab.evaluate(
        () => (window as unknown as { engineCall?: CallResult }).engineCall ?? null,
        undefined,
      ),
    (result) => result !== null,
    { what: 'a started call to settle' },
  ) as Promise<CallResult>;
}
