import { describe, expect, it } from 'vitest';
import { missingFiles, selectedEngines } from '../../bench/engines.js';

// Which engines `npm run bench` measures, and how it says one is missing.
describe('bench engine selection', () => {
  it('runs every engine when nothing restricts it', () => {
    expect(selectedEngines({})).toEqual(['chromium', 'firefox', 'webkit']);
  });

  it('takes BENCH_ENGINES before E2E_ENGINES, in the fixed engine order', () => {
    expect(selectedEngines({ BENCH_ENGINES: 'webkit, firefox', E2E_ENGINES: 'chromium' })).toEqual([
      'firefox',
      'webkit',
    ]);
    expect(selectedEngines({ E2E_ENGINES: 'chromium' })).toEqual(['chromium']);
  });

  it('refuses an unknown engine name instead of skipping it', () => {
    expect(() => selectedEngines({ BENCH_ENGINES: 'chromium,safari' })).toThrow(
      'BENCH_ENGINES="chromium,safari": use a comma-separated list of chromium, firefox, webkit',
    );
    expect(() => selectedEngines({ E2E_ENGINES: ' , ' })).toThrow(/E2E_ENGINES/);
  });

  it('names each missing file and its variable; nothing when all are there', () => {
    expect(
      missingFiles([
        { env: 'WEBKIT_DRIVER_PATH', path: '/nonexistent/WebKitWebDriver' },
        { env: 'XVFB_RUN_PATH', path: 'sh' },
        { env: 'WEBKIT_MINIBROWSER_PATH', path: '/nonexistent/MiniBrowser' },
      ]),
    ).toBe(
      'not found: /nonexistent/WebKitWebDriver ($WEBKIT_DRIVER_PATH), /nonexistent/MiniBrowser ($WEBKIT_MINIBROWSER_PATH)',
    );
    expect(missingFiles([{ env: 'XVFB_RUN_PATH', path: 'sh' }])).toBeUndefined();
  });
});
