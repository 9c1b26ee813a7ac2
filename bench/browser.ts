// Chromium for the bench: launched like the browser tests (Debian's Chromium, the same args),
// one context per SDK with the page driver injected, and logins through the tenant's own form.
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { APP_URL, CHROMIUM_ARGS, CHROMIUM_PATH, RUN, SPA_JS_URL, USER } from './config.js';
import { pageDriverScript } from './driver-script.js';
import type { BenchDriver, BurstResult, CallKind, SequentialResult } from './page-driver.js';

export async function launchBrowser(): Promise<Browser> {
  try {
    return await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  } catch (error) {
    throw new Error(
      `could not start Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or apt-get install chromium): ${
        error instanceof Error ? error.message.split('\n')[0] : String(error)
      }`,
    );
  }
}

/** A fresh context (its own storage, cookies and service workers) with the driver in every page. */
export async function newBenchContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  context.setDefaultTimeout(RUN.stepTimeoutMs);
  await context.addInitScript({ content: await pageDriverScript() });
  return context;
}

/** Rejects with `label` when `promise` takes longer than the step limit. */
export async function withTimeout<T>(promise: Promise<T>, label: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${label}: no answer within ${RUN.stepTimeoutMs / 1000} s`)),
          RUN.stepTimeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

type DriverWindow = { __benchDriver: BenchDriver };

export function sequential(
  page: Page,
  args: { kind: CallKind; url: string; count: number },
): Promise<SequentialResult> {
  return withTimeout(
    page.evaluate((a) => (window as unknown as DriverWindow).__benchDriver.sequential(a), args),
    `${args.count} sequential ${args.kind} requests`,
  );
}

export function burst(
  page: Page,
  args: { kind: CallKind; url: string; count: number },
): Promise<BurstResult> {
  return withTimeout(
    page.evaluate((a) => (window as unknown as DriverWindow).__benchDriver.burst(a), args),
    `${args.count} concurrent ${args.kind} requests`,
  );
}

async function fillTenantForm(page: Page): Promise<void> {
  await page.getByLabel('Email').fill(USER.email);
  await page.getByLabel('Password').fill(USER.password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Our sample app: wait until it is connected to its worker (and, optionally, logged in). */
export async function openEnclaveApp(page: Page, loggedIn: boolean): Promise<void> {
  await page.goto(`${APP_URL}/`);
  await page.waitForSelector('body[data-ready="true"]');
  if (loggedIn) {
    await page
      .getByRole('status')
      .filter({ hasText: `Logged in as ${USER.name}` })
      .waitFor();
  }
}

/** Logs in to our sample app through the tenant's form, as a person would. */
export async function loginEnclave(page: Page): Promise<void> {
  await openEnclaveApp(page, false);
  await page.getByRole('button', { name: 'Log in' }).click();
  await fillTenantForm(page);
  await page.waitForURL(`${APP_URL}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page
    .getByRole('status')
    .filter({ hasText: `Logged in as ${USER.name}` })
    .waitFor();
}

async function spaJsReady(page: Page): Promise<string> {
  const handle = await page.waitForSelector('body[data-ready]');
  const state = await handle.getAttribute('data-ready');
  if (state === 'error') {
    throw new Error(`the spa-js page failed: ${await handle.getAttribute('data-error')}`);
  }
  return state ?? '';
}

/**
 * Logs the spa-js page in. With `form`, through the tenant's login form; without, the tenant's
 * session cookie answers `/authorize` at once (what a second tab does with a `memory` cache: it
 * starts with no tokens and needs its own redirect).
 */
export async function loginSpaJs(page: Page, form: boolean): Promise<{ before: string }> {
  try {
    return await spaJsLogin(page, form);
  } catch (error) {
    // Say where it stopped: the tenant's error page usually names the reason.
    const text = await page
      .locator('body')
      .textContent({ timeout: 1000 })
      .catch(() => '');
    const { origin, pathname } = new URL(page.url());
    throw new Error(
      `${firstLine(error)} (at ${origin}${pathname}${text ? `: "${text.replace(/\s+/g, ' ').trim().slice(0, 200)}"` : ''})`,
    );
  }
}

/** The first line of an error message, without terminal colours. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes.
  return (text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0] ?? '').trim();
}

async function spaJsLogin(page: Page, form: boolean): Promise<{ before: string }> {
  await page.goto(`${SPA_JS_URL}/`);
  const before = await spaJsReady(page);
  if (before === 'authenticated') return { before };
  await page.evaluate(() => {
    void (window as unknown as { bench: { login(): Promise<void> } }).bench.login();
  });
  if (form) await fillTenantForm(page);
  await page.waitForURL(`${SPA_JS_URL}/`);
  const state = await spaJsReady(page);
  if (state !== 'authenticated') throw new Error(`spa-js is "${state}" after logging in`);
  return { before };
}

/**
 * Stops every service worker of the browser (as the browser does ~30 s after a worker's last
 * event) and waits until Chromium reports them stopped.
 */
export async function stopWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const running = new Map<string, string>();
  let onChange = () => {};
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const version of event.versions) running.set(version.versionId, version.runningStatus);
    onChange();
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await withTimeout(
    new Promise<void>((resolve) => {
      onChange = () => {
        const statuses = [...running.values()];
        if (statuses.length > 0 && statuses.every((status) => status === 'stopped')) resolve();
      };
      onChange();
    }),
    'stopping the service workers',
  );
  await cdp.detach();
}
