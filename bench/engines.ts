// The engines the latency section runs in, driven through the browser tests' one driver
// interface (e2e/engines/driver.ts): Playwright for Chromium, puppeteer-core over WebDriver BiDi
// for Firefox ESR, selenium-webdriver against WebKitWebDriver (under xvfb-run) for WebKitGTK.
// Each engine is found where the browser tests find it (the adapters' env vars and Debian paths,
// as scripts/find-browsers.mjs checks them); a missing one is a row saying so, never an install.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CHROMIUM_LAUNCH, chromiumSession, launchChromium } from '../e2e/engines/chromium.js';
import { type BrowserSession, ENGINES, type EngineName } from '../e2e/engines/driver.js';
import { FIREFOX_PATH, firefoxSession, launchFirefox } from '../e2e/engines/firefox.js';
import {
  MINIBROWSER_PATH,
  startWebKitDriver,
  WEBKIT_DRIVER_PATH,
  webkitSession,
  XVFB_RUN_PATH,
} from '../e2e/engines/webkit.js';

export const ENGINE_LABELS: Record<EngineName, string> = {
  chromium: 'Chromium',
  firefox: 'Firefox',
  webkit: 'WebKit',
};

/**
 * The engines asked for: `BENCH_ENGINES`, else `E2E_ENGINES` (comma-separated), else all three.
 * An unknown name is an error, not a silent skip.
 */
export function selectedEngines(env: NodeJS.ProcessEnv = process.env): EngineName[] {
  const variable = env.BENCH_ENGINES ? 'BENCH_ENGINES' : env.E2E_ENGINES ? 'E2E_ENGINES' : '';
  if (!variable) return [...ENGINES];
  const raw = env[variable] ?? '';
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(ENGINES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`${variable}="${raw}": use a comma-separated list of ${ENGINES.join(', ')}`);
  }
  return ENGINES.filter((engine) => names.includes(engine));
}

function executable(path: string): boolean {
  const candidates = path.includes('/')
    ? [path]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, path));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What each engine needs to run (the adapters read the same env vars). */
const NEEDS: Record<EngineName, { env: string; path: string }[]> = {
  chromium: [{ env: 'CHROMIUM_PATH', path: CHROMIUM_LAUNCH.executablePath }],
  firefox: [{ env: 'FIREFOX_PATH', path: FIREFOX_PATH }],
  webkit: [
    { env: 'WEBKIT_DRIVER_PATH', path: WEBKIT_DRIVER_PATH },
    { env: 'WEBKIT_MINIBROWSER_PATH', path: MINIBROWSER_PATH },
    { env: 'XVFB_RUN_PATH', path: XVFB_RUN_PATH },
  ],
};

/** What is missing of `needs` (files an engine runs from), or undefined when nothing is. */
export function missingFiles(needs: readonly { env: string; path: string }[]): string | undefined {
  const missing = needs.filter((need) => !executable(need.path));
  if (missing.length === 0) return undefined;
  return `not found: ${missing.map((need) => `${need.path} ($${need.env})`).join(', ')}`;
}

/** Why `engine` cannot run here (a missing executable), or undefined when it can. */
export function missingPart(engine: EngineName): string | undefined {
  return missingFiles(NEEDS[engine]);
}

/** A running engine: one isolated session (profile), and how to stop the browser behind it. */
export interface EngineRun {
  session: BrowserSession;
  /** Automation settings that differ from a person's browser, for the report. */
  settings: string;
  close(): Promise<void>;
}

/**
 * Launches `engine` with its normal settings: unlike some browser tests, no idle-worker
 * timeout or other preference is changed for the bench.
 */
export async function startEngine(engine: EngineName): Promise<EngineRun> {
  if (engine === 'chromium') {
    const browser = await launchChromium();
    return {
      session: await chromiumSession(browser),
      settings: `headless (Playwright), args ${CHROMIUM_LAUNCH.args.join(' ')}`,
      close: () => browser.close(),
    };
  }
  if (engine === 'firefox') {
    const browser = await launchFirefox();
    return {
      session: await firefoxSession(browser),
      settings:
        "headless (puppeteer-core, WebDriver BiDi), puppeteer's automation profile: fission.webContentIsolationStrategy 0 (one content process for all sites), updates/telemetry/safe browsing off, network.http.speculative-parallel-limit 0; no service-worker idle-timeout preference",
      close: () => browser.close(),
    };
  }
  const service = await startWebKitDriver();
  try {
    const session = await webkitSession(service);
    return {
      session,
      settings: 'MiniBrowser --automation in Xvfb (xvfb-run), driven by WebKitWebDriver',
      async close() {
        await session.close();
        await service.stop();
      },
    };
  } catch (error) {
    await service.stop();
    throw error;
  }
}
