// `npm run bench`: auth0-enclave against auth0-spa-js 2.27 (and, for bundle size, @axa-fr/oidc-client
// 7.29 and oidc-client-ts 3.5), everything measured in one run on the bench's own servers
// (ports 4500–4503). Latency runs in every engine found (Chromium, Firefox, WebKit), each beside
// auth0-spa-js and a baseline with credentials made ahead; concurrency and cold resume run in
// Chromium (they need CDP). Prints the tables and ratios and writes bench/results.md. Exits
// non-zero with a clear message when our SDK or the setup fails; an incumbent's failure is a row
// with its reason.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { version as esbuildVersion } from 'esbuild';
import { acquireRunLock } from '../e2e/support/run-lock.js';
import { apiAdmin, tenantAdmin } from './admin.js';
import { createBaselineSigner } from './baseline.js';
import { firstLine, launchBrowser } from './browser.js';
import { gzip9, measureBundles } from './bundle-size.js';
import { type ChromiumSections, measureChromiumSections } from './chromium-sections.js';
import { CHROMIUM_PATH, PORTS } from './config.js';
import { type EngineLatency, measureEngineLatency } from './engine-latency.js';
import { ENGINE_LABELS, missingPart, selectedEngines } from './engines.js';
import { type BenchResults, ratios, renderMarkdown } from './report.js';
import { startServers } from './servers.js';

const RESULTS = fileURLToPath(new URL('./results.md', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function log(text: string): void {
  console.log(`  · ${text}`);
}

function gitRevision(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT }).toString().trim();
    return dirty ? `${commit} + uncommitted changes` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function packageVersion(name: string): Promise<string> {
  const path = fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url));
  return (JSON.parse(await readFile(path, 'utf8')) as { version: string }).version;
}

const loadAtStart = os.loadavg()[0] ?? 0;

async function machine(
  browser: Browser | undefined,
  engines: EngineLatency[],
): Promise<Record<string, string>> {
  const cpus = os.cpus();
  return {
    CPU: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    'load average (1 min) at start / end': `${loadAtStart.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)} (other work on the machine shows here)`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    ...Object.fromEntries(
      engines.map((engine) => [
        engine.label,
        engine.skipped
          ? `not measured (${engine.skipped})`
          : `${engine.version} — ${engine.settings}`,
      ]),
    ),
    'Chromium for §2–3': browser
      ? `${browser.version()} (${CHROMIUM_PATH}), headless`
      : 'not run (Chromium not selected or not found)',
    '@playwright/test': await packageVersion('@playwright/test'),
    'puppeteer-core': await packageVersion('puppeteer-core'),
    'selenium-webdriver': await packageVersion('selenium-webdriver'),
    esbuild: esbuildVersion,
    vite: await packageVersion('vite'),
    'auth0-enclave': `${await packageVersion('../')} @ ${gitRevision()}`,
    '@auth0/auth0-spa-js': await packageVersion('@auth0/auth0-spa-js'),
    '@axa-fr/oidc-client': await packageVersion('@axa-fr/oidc-client'),
    'oidc-client-ts': await packageVersion('oidc-client-ts'),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const begun = performance.now();
    log(`${name}…`);
    try {
      return await run();
    } finally {
      timings[name] = (performance.now() - begun) / 1000;
    }
  };
  const findings: string[] = [];
  const engineNames = selectedEngines();
  console.log(`\nauth0-enclave bench — ports ${PORTS.tenant}–${PORTS.spaJs}\n`);

  const bundles = await step('bundle sizes', () => measureBundles());
  for (const entry of bundles) {
    if (entry.sdk === 'auth0-enclave' && 'error' in entry) {
      throw new Error(`our bundle "${entry.label}" does not build: ${entry.error}`);
    }
  }

  // Browsers and servers from here on: take the browser tests' machine-wide lock, so no other
  // browser run (another engineer's `npm test`) shares the machine while we measure.
  // Up to 45 min: on a shared machine a whole `npm test` browser step or two may go first.
  const releaseLock = await step('browser lock', () => acquireRunLock(45 * 60_000));
  try {
    await measureWithServers();
  } finally {
    await releaseLock();
  }

  async function measureWithServers(): Promise<void> {
    const servers = await step('servers', startServers);
    Object.assign(timings, servers.timings);
    let browser: Browser | undefined;
    try {
      const baseline = await step('baseline credentials (out-of-band login from Node)', () =>
        createBaselineSigner(),
      );
      // Every engine's latency before §2 moves the tenant's clock; one engine at a time.
      const engines: EngineLatency[] = [];
      for (const engine of engineNames) {
        engines.push(
          await step(`latency (${ENGINE_LABELS[engine]})`, () =>
            measureEngineLatency(engine, baseline),
          ),
        );
      }
      // §2 counts refresh-token families per client: drop the latency sessions' ones first.
      await tenantAdmin.reset();
      await apiAdmin.clearRequests();

      let chromium: ChromiumSections | undefined;
      const chromiumMissing = engineNames.includes('chromium')
        ? missingPart('chromium')
        : 'Chromium is not among the selected engines';
      if (!chromiumMissing) {
        browser = await launchBrowser();
        chromium = await measureChromiumSections(browser, step);
        findings.push(...chromium.findings);
      }

      const gzipTool = gzip9(new Uint8Array([0])).tool;
      const results: BenchResults = {
        date: new Date().toISOString(),
        machine: await machine(browser, engines),
        commands: [
          'npm install',
          'npm run bench        # = tsx bench/run.ts; BENCH_ENGINES=chromium,firefox,webkit to choose',
          '# one bundle, by hand: echo "export { createAuth0Client } from \'@auth0/auth0-spa-js\';" \\',
          `#   | npx esbuild --bundle --minify --format=esm --target=es2022 | ${gzipTool} | wc -c`,
        ],
        baseline: baseline.describe,
        engines,
        chromium: chromium ?? { skipped: chromiumMissing ?? 'not run' },
        bundles,
        gzipTool,
        findings,
        timings,
        totalSeconds: (performance.now() - started) / 1000,
      };
      const markdown = renderMarkdown(results);
      await writeFile(RESULTS, markdown);
      console.log(`\n${markdown}`);
      console.log('Ratios:');
      for (const line of ratios(results)) console.log(`  ${line}`);
      console.log(`\nWrote ${RESULTS} (${results.totalSeconds.toFixed(1)} s).`);
    } finally {
      await browser?.close();
      await servers.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(`\nnpm run bench failed: ${firstLine(error)}`);
  const detail = error instanceof Error ? error.message.split('\n').slice(1).join('\n').trim() : '';
  if (detail) console.error(detail);
  if (/already in use/.test(firstLine(error))) {
    console.error(
      `The bench needs ports ${PORTS.tenant}–${PORTS.spaJs}; stop whatever holds them (an earlier bench still running?).`,
    );
  }
  process.exitCode = 1;
});
