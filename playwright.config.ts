import { defineConfig } from '@playwright/test';

// Browser tests: Debian's Chromium (found by scripts/find-chromium.mjs, passed as CHROMIUM_PATH),
// the real worker, the real local tenant and sample API started by e2e/support/global-setup.ts.
export default defineConfig({
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
  use: {
    browserName: 'chromium',
    trace: 'retain-on-failure',
    launchOptions: {
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
    },
  },
});
