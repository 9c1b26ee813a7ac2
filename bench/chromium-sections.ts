// Sections 2 and 3 — concurrency after expiry and cold resume — in Chromium only: they stop the
// service worker and watch every tab's requests over CDP, which only Chromium's automation has.
// Playwright contexts (one per SDK, the page driver as an init script), logins through the
// tenant's form, as before the latency section moved to every engine.
import type { Browser, Page } from '@playwright/test';
import { tenantAdmin } from './admin.js';
import {
  firstLine,
  loginEnclave,
  loginSpaJs,
  newBenchContext,
  openEnclaveApp,
  sequential,
} from './browser.js';
import { type ColdResumeResult, measureColdResume } from './cold-resume.js';
import { type BurstRow, measureBurst } from './concurrency.js';
import { API_URL, CLIENT_IDS, RUN } from './config.js';

export interface ChromiumSections {
  bursts: BurstRow[];
  /** Indices (in `bursts`) of the bursts the ratios compare. */
  burstIds: { enclaveValid: number; spaJsValid: number; enclave: number; spaJs: number };
  cold: ColdResumeResult;
  findings: string[];
}

type Step = <T>(name: string, run: () => Promise<T>) => Promise<T>;

/** Runs both sections in `browser` (bench/browser.ts `launchBrowser`); the caller closes it. */
export async function measureChromiumSections(
  browser: Browser,
  step: Step,
): Promise<ChromiumSections> {
  const findings: string[] = [];
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
  await step('logins (Chromium, §2–3)', async () => {
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

  // Warm both up as a page that has been in use is: each SDK then holds the API's DPoP nonce
  // (ours in the worker, spa-js in IndexedDB, both shared by their tabs), so the bursts measure
  // concurrency, not 300 first calls each answered `use_dpop_nonce`.
  await step('warm-up (Chromium, §2–3)', async () => {
    const url = `${API_URL}/api/me`;
    const ours = await sequential(enclavePage, { kind: 'enclave', url, count: RUN.warmup });
    if (ours.failures.length > 0) {
      throw new Error(`our warm-up calls failed: ${ours.failures.join(', ')}`);
    }
    if (!spaFailure) {
      const spaJs = await sequential(spaPage, { kind: 'spa-js', url, count: RUN.warmup }).catch(
        (error: unknown) => ({ failures: [firstLine(error)] }),
      );
      if (spaJs.failures.length > 0) spaFailure = `warm-up failed: ${spaJs.failures[0]}`;
    }
  });

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
  return { bursts, burstIds, cold, findings };
}
