import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './e2e/engines/chromium.js';
import { ENGINES, type EngineName } from './e2e/engines/driver.js';

// Browser tests: the real worker, the real local tenant and sample API started by
// e2e/support/global-setup.ts. Project `chromium`: the whole Playwright suite in Debian's
// Chromium. Projects `engine-<name>`: the cross-engine scenarios (e2e/engines), written once
// against e2e/engines/driver.ts, in Chromium (Playwright), Firefox ESR (puppeteer-core, WebDriver
// BiDi) and WebKitGTK (selenium-webdriver, WebKitWebDriver). scripts/find-browsers.mjs finds or
// installs the three and passes their paths; E2E_ENGINES=chromium,firefox limits the engines.
const engines = (process.env.E2E_ENGINES ?? ENGINES.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter((name): name is EngineName => (ENGINES as readonly string[]).includes(name));

export default defineConfig<object, { engine: EngineName }>({
  testDir: 'e2e',
  globalSetup: './e2e/support/global-setup.ts',
  // The tests share one tenant whose clock and faults they move: one at a time.
  workers: 1,
  fullyParallel: false,
  // One retry: on a loaded 2-core CI machine a rare timing race must not block a landing. A test
  // that needed it is still reported as "flaky" by name, and fixed (none is known to be).
  retries: 1,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  projects: [
    ...(engines.includes('chromium')
      ? [
          {
            name: 'chromium',
            testIgnore: 'engines/**',
            use: {
              browserName: 'chromium' as const,
              trace: 'retain-on-failure' as const,
              launchOptions: CHROMIUM_LAUNCH,
            },
          },
        ]
      : []),
    ...engines.map((engine) => ({
      name: `engine-${engine}`,
      testMatch: 'engines/**/*.spec.ts',
      use: { engine },
    })),
  ],
});
