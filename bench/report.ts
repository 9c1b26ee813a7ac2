// Turns the measurements into the printed table, the ratios and bench/results.md.
import { type BundleResult, ESBUILD_FLAGS } from './bundle-size.js';
import type { ChromiumSections } from './chromium-sections.js';
import { RUN } from './config.js';
import type { EngineLatency } from './engine-latency.js';
import type { LatencyRow } from './latency.js';

export interface BenchResults {
  date: string;
  machine: Record<string, string>;
  commands: string[];
  /** What the baseline's access token is (never the token). */
  baseline: string;
  /** §1, one entry per selected engine. */
  engines: EngineLatency[];
  /** §2–3 (Chromium only), or why they did not run. */
  chromium: ChromiumSections | { skipped: string };
  bundles: BundleResult[];
  gzipTool: string;
  findings: string[];
  timings: Record<string, number>;
  totalSeconds: number;
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const resolution = (value: number) =>
  value >= 0.995 ? `${value.toFixed(0)} ms` : `${(value * 1000).toFixed(0)} µs`;
const plus = (value: number) =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} ms` : '—';
const times = (ours: number, theirs: number) =>
  Number.isFinite(ours) && Number.isFinite(theirs) && theirs > 0
    ? `${(ours / theirs).toFixed(2)}×`
    : 'n/a';
const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => `${count}× ${key}`)
    .join(', ') || '—';
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function bundle(results: BenchResults, id: string): BundleResult | undefined {
  return results.bundles.find((entry) => entry.id === id);
}

function gz(results: BenchResults, ...ids: string[]): number {
  let total = 0;
  for (const id of ids) {
    const entry = bundle(results, id);
    if (!entry || !('size' in entry)) return Number.NaN;
    total += entry.size.gzip;
  }
  return total;
}

function row(engine: EngineLatency, kind: string): LatencyRow | undefined {
  return engine.rows.find((entry) => entry.kind === kind);
}

/** `+3.1 ms (1.42×)`: a client's overhead over the baseline at one percentile. */
function overhead(client: LatencyRow | undefined, base: LatencyRow | undefined, p: 'p50' | 'p95') {
  if (!client || !base || client.failure) return client?.failure ? 'n/a (failed)' : '—';
  return `${plus(client[p] - base[p])} (${times(client[p], base[p])})`;
}

/** One line per engine: both SDKs' overhead over the pre-made-credentials baseline. */
function latencyLines(results: BenchResults): string[] {
  return results.engines.map((engine) => {
    if (engine.skipped) return `${engine.label}: not measured (${engine.skipped})`;
    const base = row(engine, 'baseline');
    const ours = row(engine, 'enclave');
    const spa = row(engine, 'spa-js');
    const spaText = spa?.failure
      ? `spa-js failed: ${spa.failure}`
      : `spa-js p50 ${ms(spa?.p50 ?? Number.NaN)} = baseline ${overhead(spa, base, 'p50')}; ours ÷ spa-js p50 ${times(ours?.p50 ?? Number.NaN, spa?.p50 ?? Number.NaN)}`;
    return `${engine.label} (${engine.version}): baseline p50 ${ms(base?.p50 ?? Number.NaN)}; ours p50 ${ms(ours?.p50 ?? Number.NaN)} = baseline ${overhead(ours, base, 'p50')}; ${spaText}`;
  });
}

/** The summary lines, every number taken from the measurements. */
export function ratios(results: BenchResults): string[] {
  const lines: string[] = latencyLines(results);
  const chromium = 'skipped' in results.chromium ? undefined : results.chromium;
  const oursValid = chromium?.bursts[chromium.burstIds.enclaveValid];
  const spaValid = chromium?.bursts[chromium.burstIds.spaJsValid];
  const oursBurst = chromium?.bursts[chromium.burstIds.enclave];
  const spaBurst = chromium?.bursts[chromium.burstIds.spaJs];
  if (oursValid && spaValid) {
    lines.push(
      `Chromium: time until ${oursValid.calls} concurrent calls settled, token still valid ${times(oursValid.totalMs, spaValid.totalMs)} spa-js (${ms(oursValid.totalMs)} vs ${ms(spaValid.totalMs)})`,
    );
  }
  if (oursBurst && spaBurst) {
    lines.push(
      `Chromium: refresh requests after expiry (${oursBurst.tabs} tabs × ${RUN.callsPerTab} calls): ours ${oursBurst.refreshTotal}, spa-js ${spaBurst.failure ? `n/a (${spaBurst.failure})` : spaBurst.refreshTotal}`,
      `Chromium: time until all ${oursBurst.calls} calls settled after expiry ${times(oursBurst.totalMs, spaBurst.totalMs)} spa-js (${ms(oursBurst.totalMs)} vs ${ms(spaBurst.totalMs)}; ours first takes a 401 per call, see §2); failed calls: ours ${oursBurst.calls - oursBurst.okCalls}, spa-js ${spaBurst.failure ? 'n/a' : spaBurst.calls - spaBurst.okCalls}`,
    );
  }
  const chromiumOurs = results.engines.find((engine) => engine.engine === 'chromium');
  const warm = chromiumOurs ? row(chromiumOurs, 'enclave') : undefined;
  if (chromium) {
    lines.push(
      `Chromium: cold resume (worker stopped) median ${ms(chromium.cold.median)}${warm ? ` = ${times(chromium.cold.median, warm.p50)} our warm p50` : ''}`,
    );
  }
  const page = gz(results, 'enclave-page');
  const pageAndWorker = gz(results, 'enclave-page', 'enclave-worker');
  lines.push(
    `bundle, page \`createAuth0Client\` ${times(page, gz(results, 'spa-js'))} spa-js (${kib(page)} vs ${kib(gz(results, 'spa-js'))} gzip)`,
    `bundle, page + worker ${times(pageAndWorker, gz(results, 'spa-js'))} spa-js (${kib(pageAndWorker)} vs ${kib(gz(results, 'spa-js'))})`,
    `bundle, page + worker ${times(pageAndWorker, gz(results, 'axa', 'axa-worker'))} @axa-fr/oidc-client page + service worker (${kib(pageAndWorker)} vs ${kib(gz(results, 'axa', 'axa-worker'))})`,
    `bundle, page ${times(page, gz(results, 'axa'))} @axa-fr/oidc-client page, ${times(page, gz(results, 'oidc-client-ts'))} oidc-client-ts \`UserManager\``,
    `bundle, whole page API ${times(gz(results, 'enclave-page-all'), gz(results, 'spa-js-all'))} spa-js whole API`,
    `bundle, React binding + page ${times(gz(results, 'enclave-react'), gz(results, 'auth0-react'))} auth0-react + spa-js (${kib(gz(results, 'enclave-react'))} vs ${kib(gz(results, 'auth0-react'))}; the binding's own part ${kib(gz(results, 'enclave-react') - page)})`,
    `bundle, Vue binding + page ${times(gz(results, 'enclave-vue'), gz(results, 'auth0-vue'))} auth0-vue + spa-js (${kib(gz(results, 'enclave-vue'))} vs ${kib(gz(results, 'auth0-vue'))}; the binding's own part ${kib(gz(results, 'enclave-vue') - page)})`,
  );
  return lines;
}

/** §1: the per-engine summary with overheads, then each engine's rows. */
function latencySection(results: BenchResults): string[] {
  const pair = (entry: LatencyRow | undefined) =>
    !entry ? '—' : entry.failure ? 'FAILED' : `${ms(entry.p50)} / ${ms(entry.p95)}`;
  const out = [
    table(
      [
        'engine',
        'baseline p50 / p95',
        'auth0-enclave p50 / p95',
        'ours − baseline (ours ÷ baseline), p50',
        'same, p95',
        'auth0-spa-js p50 / p95',
        'spa-js − baseline (spa-js ÷ baseline), p50',
        'same, p95',
        'floor: /api/public p50',
      ],
      results.engines.map((engine) => {
        if (engine.skipped) {
          return [engine.label, `not measured: ${engine.skipped}`, '', '', '', '', '', '', ''];
        }
        const base = row(engine, 'baseline');
        const ours = row(engine, 'enclave');
        const spa = row(engine, 'spa-js');
        return [
          engine.version,
          pair(base),
          pair(ours),
          overhead(ours, base, 'p50'),
          overhead(ours, base, 'p95'),
          spa?.failure ? `FAILED: ${spa.failure}` : pair(spa),
          overhead(spa, base, 'p50'),
          overhead(spa, base, 'p95'),
          ms(row(engine, 'plain')?.p50 ?? Number.NaN),
        ];
      }),
    ),
    '',
    `Baseline credentials: one access token from an out-of-band login in Node (the tenant's login form over HTTP, PKCE, DPoP) — ${results.baseline} — and per request a fresh DPoP proof (new \`jti\`, \`iat\`, \`ath\`, the API's nonce fetched first) signed with jose in Node before each round; the page only sends them. The API verifies token and proof as for the SDKs' requests, so its own cost is in every figure; the difference is what each SDK adds (token lookup, signing, nonce handling, and for ours the service-worker hop).`,
  ];
  for (const engine of results.engines) {
    if (engine.skipped) continue;
    out.push(
      '',
      `### ${engine.version}`,
      '',
      `Launched: ${engine.settings}. \`performance.now()\` steps by ${resolution(engine.timerResolutionMs)} in these pages (not cross-origin isolated), so every timing is a multiple of that.`,
      '',
      table(
        ['client', 'request', 'samples', 'p50', 'p95', 'mean', 'note'],
        engine.rows.map((entry) => [
          entry.name,
          entry.detail,
          String(entry.samples),
          ms(entry.p50),
          ms(entry.p95),
          ms(entry.mean),
          entry.failure ? `FAILED: ${entry.failure}` : '',
        ]),
      ),
    );
  }
  return out;
}

/** §2 and §3 (Chromium only). */
function chromiumSections(results: BenchResults): string[] {
  const heading2 = `## 2. Concurrency after expiry, Chromium (tenant clock +${RUN.clockAdvanceSeconds / 3600} h via \`POST /__admin/clock\`; ${RUN.tabs} tabs × ${RUN.callsPerTab} concurrent \`fetchWithAuth\` of GET /api/me)`;
  const heading3 =
    '## 3. Cold resume (ours), Chromium: worker stopped with CDP `ServiceWorker.stopAllWorkers`, then one `fetchWithAuth` of GET /api/me';
  if ('skipped' in results.chromium) {
    const why = `Not run: ${results.chromium.skipped} (this section needs Chromium's CDP).`;
    return [heading2, '', why, '', heading3, '', why, ''];
  }
  const { bursts, cold } = results.chromium;
  return [
    heading2,
    '',
    table(
      [
        'client',
        'refresh requests at the tenant',
        'refresh-token families',
        'families revoked (reuse detection)',
        'calls OK',
        'call outcomes',
        'API requests (GET /api/me)',
        'time until all settled',
        'note',
      ],
      bursts.map((entry) => [
        entry.name,
        entry.failure ? '—' : `${entry.refreshTotal} (${counts(entry.refreshes)})`,
        entry.failure ? '—' : String(entry.families),
        entry.failure ? '—' : String(entry.revokedFamilies),
        entry.failure ? '—' : `${entry.okCalls} / ${entry.calls}`,
        entry.failure ? '—' : counts(entry.outcomes),
        entry.failure ? '—' : counts(entry.apiRequests),
        ms(entry.totalMs),
        entry.failure ? `FAILED: ${entry.failure}` : entry.note,
      ]),
    ),
    '',
    heading3,
    '',
    table(
      ['round', ...cold.rounds.map((_, index) => String(index + 1)), 'median'],
      [
        ['time to first authenticated response', ...cold.rounds.map(ms), ms(cold.median)],
        ['refresh requests', ...cold.refreshesPerRound.map(String), ''],
      ],
    ),
    '',
    "auth0-spa-js has no counterpart: with `cacheLocation: 'memory'` its tokens live in the page (and its token Web Worker), so a reload or a new tab starts without them (see findings).",
    '',
  ];
}

export function renderMarkdown(results: BenchResults): string {
  const out: string[] = [];
  out.push(
    '# auth0-enclave benchmark',
    '',
    `Measured ${results.date} by \`npm run bench\` (bench/run.ts). Every number below was measured in this run; this file is overwritten by the next.`,
    '',
    '## Summary (overhead over the pre-made-credentials baseline; other ratios ours ÷ theirs)',
    '',
    ...ratios(results).map((line) => `- ${line}`),
    '',
    `## 1. Per-request latency, per engine (${RUN.latencySamples} sequential requests per client after ${RUN.warmup} warm-up, the clients interleaved in ${RUN.latencyRounds} rounds in the same browser; timed in the page with \`performance.now()\`, body read)`,
    '',
    ...latencySection(results),
    '',
    ...chromiumSections(results),
    `## 4. Bundle sizes (esbuild \`${ESBUILD_FLAGS}\`, then \`${results.gzipTool}\` of each chunk; one import: its initial chunks, a whole API: every chunk)`,
    '',
    table(
      ['SDK', 'entry', 'minified', 'gzip'],
      results.bundles.map((entry) =>
        'size' in entry
          ? [
              entry.sdk,
              entry.label,
              kib(entry.size.minified),
              `${kib(entry.size.gzip)} (${entry.size.gzip} B)`,
            ]
          : [entry.sdk, entry.label, '—', `FAILED: ${entry.error}`],
      ),
    ),
    '',
    '## Findings',
    '',
    ...results.findings.map((line) => `- ${line}`),
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      Object.entries(results.machine).map(([key, value]) => [key, value]),
    ),
    '',
    `Run time: ${results.totalSeconds.toFixed(1)} s (${Object.entries(results.timings)
      .map(([step, seconds]) => `${step} ${seconds.toFixed(1)} s`)
      .join(', ')}).`,
    '',
    '## Commands',
    '',
    '```sh',
    ...results.commands,
    '```',
    '',
  );
  return out.join('\n');
}
