import { test as base, expect, type Page } from '@playwright/test';
import { apiAdmin, tenantAdmin } from './admin-clients.js';
import { appUrl, USER, type Variant } from './environment.js';

export { expect };

/** Every test starts from a clean tenant (clock, sessions, tokens, logs, faults) and API log. */
export const test = base.extend<{ clean: undefined }>({
  clean: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright requires a destructuring pattern here, even an empty one.
    async ({}, use) => {
      await tenantAdmin.reset();
      await apiAdmin.clearRequests();
      await use(undefined);
    },
    { auto: true },
  ],
});

/** Opens the sample app and waits until it connected to its worker. */
export async function openApp(page: Page, variant: Variant, path = '/'): Promise<void> {
  await page.goto(`${appUrl(variant)}${path}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
}

/** Logs in through the tenant's own login form, as a person would. */
export async function login(page: Page, variant: Variant): Promise<void> {
  await openApp(page, variant);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${appUrl(variant)}/`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByRole('status')).toContainText(`Logged in as ${USER.name}`);
}

/** What an API call from page script produced: a response, or a typed error. */
export type CallResult =
  | { status: number; body: unknown }
  | { error: { name: string; code: string; error: string; message: string } };

/** Calls a URL from the page with `auth0.fetchWithAuth` (default) or plain `fetch`. */
export async function callApi(
  page: Page,
  url: string,
  options: { plain?: boolean; init?: RequestInit } = {},
): Promise<CallResult> {
  return page.evaluate(
    async ({ url, plain, init }) => {
      const auth0 = window.auth0;
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
          error: { name: error.name, code: error.code, error: error.error, message: error.message },
        };
      }
    },
    { url, plain: options.plain ?? false, init: options.init },
  );
}

/** Stops every service worker of the browser, as the browser does after ~30 s idle. */
export async function stopWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}
