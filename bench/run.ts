// `npm run bench`: auth0-enclave against auth0-spa-js 2.27 (and, for bundle size, @axa-fr/oidc-client
// 7.29 and oidc-client-ts 3.5), everything measured in one run on the bench's own servers
// (ports 4500–4503). Prints the tables and ratios and writes bench/results.md. Exits non-zero with
// a clear message when our SDK or the setup fails; an incumbent's failure is a row with its reason.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { version as esbuildVersion } from 'esbuild';
import { tenantAdmin } from './admin.js';
import {
  firstLine,
  launchBrowser,
  loginEnclave,
  loginSpaJs,
  newBenchContext,
  openEnclaveApp,
  sequential,
} from './browser.js';
import { gzip9, measureBundles } from './bundle-size.js';
import { measureColdResume } from './cold-resume.js';
import { type BurstRow, measureBurst } from './concurrency.js';
import { API_URL, CHROMIUM_PATH, CLIENT_IDS, PORTS, RUN, SPA_JS_URL } from './config.js';
import { latencyCases, measureLatency } from './latency.js';
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

async function machine(browser: Browser): Promise<Record<string, string>> {
  const cpus = os.cpus();
  return {
    CPU: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    'load average (1 min) at start / end': `${loadAtStart.toFixed(2)} / ${(os.loadavg()[0] ?? 0).toFixed(2)} (other work on the machine shows here)`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    Chromium: `${browser.version()} (${CHROMIUM_PATH}), headless`,
    '@playwright/test': await packageVersion('@playwright/test'),
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
  console.log(`\nauth0-enclave bench — ports ${PORTS.tenant}–${PORTS.spaJs}\n`);

  const bundles = await step('bundle sizes', () => measureBundles());
  for (const entry of bundles) {
    if (entry.sdk === 'auth0-enclave' && 'error' in entry) {
      throw new Error(`our bundle "${entry.label}" does not build: ${entry.error}`);
    }
  }

  const servers = await step('servers', startServers);
  Object.assign(timings, servers.timings);
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const oursContext = await newBenchContext(browser);
    const spaContext = await newBenchContext(browser);
    // What spa-js actually sends to the token endpoint (its token Web Worker's requests included).
    const spaTokenRequestTypes = new Set<string>();
    spaContext.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/oauth/token')) {
        spaTokenRequestTypes.add(request.headers()['content-type'] ?? '(none)');
      }
    });

    // Log in: ours once through the form (the other tabs share the worker's session); spa-js in
    // every tab (a `memory` cache is per tab).
    const ours: Page[] = [];
    const spa: Page[] = [];
    let spaFailure: string | undefined;
    const spaNewTabStates: string[] = [];
    await step('logins', async () => {
      ours.push(await oursContext.newPage());
      await loginEnclave(ours[0] as Page);
      for (let tab = 1; tab < RUN.tabs; tab++) {
        const page = await oursContext.newPage();
        await openEnclaveApp(page, true);
        ours.push(page);
      }
      for (let tab = 0; tab < RUN.tabs; tab++) spa.push(await spaContext.newPage());
      try {
        await loginSpaJs(spa[0] as Page, true);
        for (const page of spa.slice(1)) {
          spaNewTabStates.push((await loginSpaJs(page, false)).before);
        }
      } catch (error) {
        spaFailure = `login failed: ${firstLine(error)}`;
      }
    });
    const enclavePage = ours[0] as Page;
    const spaPage = spa[0] as Page;

    if (!spaFailure) {
      // spa-js's fetcher as its docs call it, without authParams (the bench passes the audience).
      const outcome = await sequential(spaPage, {
        kind: 'spa-js-default',
        url: `${API_URL}/api/me`,
        count: 1,
      }).then(
        (probe) => probe.failures[0],
        (error: unknown) => firstLine(error),
      );
      findings.push(
        outcome
          ? `auth0-spa-js 2.27 \`createFetcher({ dpopNonceId }).fetchWithAuth(url)\` without authParams: ${outcome}. Its fetcher passes \`{ audience: undefined }\` to getTokenSilently, which overrides the configured audience; the bench passes \`{ audience }\` as the third argument.`
          : 'auth0-spa-js `createFetcher().fetchWithAuth(url)` now works without authParams: the bench no longer needs to pass `{ audience }`.',
      );
    }

    const plainPage = await spaContext.newPage();
    await plainPage.goto(`${SPA_JS_URL}/plain`);
    const latency = await step('latency', () =>
      measureLatency(
        latencyCases({ enclave: enclavePage, spaJs: spaPage, plain: plainPage }, spaFailure),
      ),
    );

    const bursts: BurstRow[] = [];
    const burstIds = { enclaveValid: -1, spaJsValid: -1, enclave: -1, spaJs: -1 };
    await step('concurrency', async () => {
      // Reference: the same bursts while the access token is still valid (no refresh at all).
      burstIds.enclaveValid = bursts.length;
      bursts.push(
        await measureBurst({
          name: 'auth0-enclave, token still valid (reference)',
          note: 'every call through the one worker that serves all tabs',
          kind: 'enclave',
          clientId: CLIENT_IDS.enclave,
          tabs: ours,
          mustWork: true,
        }),
      );
      burstIds.spaJsValid = bursts.length;
      bursts.push(
        await measureBurst({
          name: 'auth0-spa-js, token still valid (reference)',
          note: 'every tab signs its own proofs in its own renderer',
          kind: 'spa-js',
          clientId: CLIENT_IDS.spaJs,
          tabs: spa,
          mustWork: false,
          failure: spaFailure,
        }),
      );
      await tenantAdmin.advanceClock(RUN.clockAdvanceSeconds);
      burstIds.enclave = bursts.length;
      bursts.push(
        await measureBurst({
          name: 'auth0-enclave, token expired',
          note: "the worker's clock is not moved, so it learns of the expiry from the API's 401 invalid_token, refreshes once for every tab and retries each call",
          kind: 'enclave',
          clientId: CLIENT_IDS.enclave,
          tabs: ours,
          mustWork: true,
        }),
      );
      bursts.push(
        await measureBurst({
          name: 'auth0-spa-js, token expired, its clock not moved',
          note: "spa-js judges expiry only by its own clock: the API's 401 invalid_token reaches the caller and nothing is refreshed",
          kind: 'spa-js',
          clientId: CLIENT_IDS.spaJs,
          tabs: spa,
          mustWork: false,
          failure: spaFailure,
        }),
      );
      if (!spaFailure) {
        for (const page of spa) {
          await page.evaluate(
            (offset) =>
              (
                window as unknown as { bench: { setClockOffset(ms: number): void } }
              ).bench.setClockOffset(offset),
            RUN.clockAdvanceSeconds * 1000,
          );
        }
      }
      burstIds.spaJs = bursts.length;
      bursts.push(
        await measureBurst({
          name: 'auth0-spa-js, token expired',
          note: `its clock (\`nowProvider\`) moved +${RUN.clockAdvanceSeconds / 3600} h like the tenant's, so its cache sees the token expired and refreshes before calling`,
          kind: 'spa-js',
          clientId: CLIENT_IDS.spaJs,
          tabs: spa,
          mustWork: false,
          failure: spaFailure,
        }),
      );
    });

    const spaExpired = bursts[burstIds.spaJs];
    if (!spaFailure && spaExpired) {
      findings.push(
        `auth0-spa-js with \`cacheLocation: 'memory'\` across tabs: each new tab started ${spaNewTabStates
          .map((state) => `"${state}"`)
          .join(
            ', ',
          )} and needed its own redirect login (the tenant's session cookie answered it without the form); the ${RUN.tabs} tabs held ${spaExpired.families} refresh-token families and, after expiry, sent ${spaExpired.refreshTotal} refresh requests signed with ${spaExpired.refreshKeys} distinct DPoP key(s). From its source: the cache and the refresh token live in each tab's memory and token Web Worker (\`useRefreshTokensFallback\` is false by default), the DPoP key pair is kept in IndexedDB per client id, and refreshes are serialised across tabs by a Web Lock (\`auth0.lock.getTokenSilently.<clientId>.<audience>\`).`,
      );
    }
    if (!spaFailure) {
      findings.push(
        `auth0-spa-js 2.27 sent its token requests as ${[...spaTokenRequestTypes].map((type) => `\`${type}\``).join(', ') || '(none seen)'} (its default is \`useFormData: true\`; the tenant accepts form and JSON bodies alike).`,
      );
    }
    const cold = await step('cold resume', () => measureColdResume(enclavePage));

    const gzipTool = gzip9(new Uint8Array([0])).tool;
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: await machine(browser),
      commands: [
        'npm install',
        'npm run bench        # = tsx bench/run.ts',
        '# one bundle, by hand: echo "export { createAuth0Client } from \'@auth0/auth0-spa-js\';" \\',
        `#   | npx esbuild --bundle --minify --format=esm --target=es2022 | ${gzipTool} | wc -c`,
      ],
      latency,
      bursts,
      burstIds,
      cold,
      bundles,
      gzipTool,
      findings,
      timings,
      totalSeconds: (performance.now() - started) / 1000,
    };
    const markdown = renderMarkdown(results);
    await writeFile(RESULTS, markdown);
    console.log(`\n${markdown}`);
    console.log('Ratios (ours ÷ theirs):');
    for (const line of ratios(results)) console.log(`  ${line}`);
    console.log(`\nWrote ${RESULTS} (${results.totalSeconds.toFixed(1)} s).`);
  } finally {
    await browser?.close();
    await servers.close();
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
