// Turns the measurements into the printed table, the ratios and bench/results.md.
import { type BundleResult, ESBUILD_FLAGS } from './bundle-size.js';
import type { ColdResumeResult } from './cold-resume.js';
import type { BurstRow } from './concurrency.js';
import { RUN } from './config.js';
import type { LatencyRow } from './latency.js';

export interface BenchResults {
  date: string;
  machine: Record<string, string>;
  commands: string[];
  latency: LatencyRow[];
  bursts: BurstRow[];
  /** Indices (in `bursts`) of the bursts the ratios compare. */
  burstIds: { enclaveValid: number; spaJsValid: number; enclave: number; spaJs: number };
  cold: ColdResumeResult;
  bundles: BundleResult[];
  gzipTool: string;
  findings: string[];
  timings: Record<string, number>;
  totalSeconds: number;
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
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

/** "ours ÷ theirs" lines, every number taken from the measurements. */
export function ratios(results: BenchResults): string[] {
  const lines: string[] = [];
  const byKind = (kind: string) => results.latency.find((row) => row.kind === kind);
  const ours = byKind('enclave');
  const spa = byKind('spa-js');
  const plain = byKind('plain');
  if (ours && spa && plain) {
    lines.push(
      `p50 latency ${times(ours.p50, spa.p50)} spa-js (${ms(ours.p50)} vs ${ms(spa.p50)})${spa.failure ? ` — spa-js failed: ${spa.failure}` : ''}`,
      `p95 latency ${times(ours.p95, spa.p95)} spa-js (${ms(ours.p95)} vs ${ms(spa.p95)})`,
      `p50 latency ${times(ours.p50, plain.p50)} plain fetch (${ms(ours.p50)} vs ${ms(plain.p50)}); spa-js ${times(spa.p50, plain.p50)} plain fetch`,
    );
  }
  const oursValid = results.bursts[results.burstIds.enclaveValid];
  const spaValid = results.bursts[results.burstIds.spaJsValid];
  const oursBurst = results.bursts[results.burstIds.enclave];
  const spaBurst = results.bursts[results.burstIds.spaJs];
  if (oursValid && spaValid) {
    lines.push(
      `time until ${oursValid.calls} concurrent calls settled, token still valid ${times(oursValid.totalMs, spaValid.totalMs)} spa-js (${ms(oursValid.totalMs)} vs ${ms(spaValid.totalMs)})`,
    );
  }
  if (oursBurst && spaBurst) {
    lines.push(
      `refresh requests after expiry (${oursBurst.tabs} tabs × ${RUN.callsPerTab} calls): ours ${oursBurst.refreshTotal}, spa-js ${spaBurst.failure ? `n/a (${spaBurst.failure})` : spaBurst.refreshTotal}`,
      `time until all ${oursBurst.calls} calls settled after expiry ${times(oursBurst.totalMs, spaBurst.totalMs)} spa-js (${ms(oursBurst.totalMs)} vs ${ms(spaBurst.totalMs)}; ours first takes a 401 per call, see §2); failed calls: ours ${oursBurst.calls - oursBurst.okCalls}, spa-js ${spaBurst.failure ? 'n/a' : spaBurst.calls - spaBurst.okCalls}`,
    );
  }
  if (ours) {
    lines.push(
      `cold resume (worker stopped) median ${ms(results.cold.median)} = ${times(results.cold.median, ours.p50)} our warm p50`,
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

export function renderMarkdown(results: BenchResults): string {
  const out: string[] = [];
  out.push(
    '# auth0-enclave benchmark',
    '',
    `Measured ${results.date} by \`npm run bench\` (bench/run.ts). Every number below was measured in this run; this file is overwritten by the next.`,
    '',
    '## Ratios (ours ÷ theirs)',
    '',
    ...ratios(results).map((line) => `- ${line}`),
    '',
    `## 1. Per-request latency (${RUN.latencySamples} sequential requests each after ${RUN.warmup} warm-up, interleaved in ${RUN.latencyRounds} rounds; timed in the page with \`performance.now()\`, body read)`,
    '',
    table(
      ['client', 'request', 'samples', 'p50', 'p95', 'mean', 'note'],
      results.latency.map((row) => [
        row.name,
        row.detail,
        String(row.samples),
        ms(row.p50),
        ms(row.p95),
        ms(row.mean),
        row.failure ? `FAILED: ${row.failure}` : '',
      ]),
    ),
    '',
    `## 2. Concurrency after expiry (tenant clock +${RUN.clockAdvanceSeconds / 3600} h via \`POST /__admin/clock\`; ${RUN.tabs} tabs × ${RUN.callsPerTab} concurrent \`fetchWithAuth\` of GET /api/me)`,
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
      results.bursts.map((row) => [
        row.name,
        row.failure ? '—' : `${row.refreshTotal} (${counts(row.refreshes)})`,
        row.failure ? '—' : String(row.families),
        row.failure ? '—' : String(row.revokedFamilies),
        row.failure ? '—' : `${row.okCalls} / ${row.calls}`,
        row.failure ? '—' : counts(row.outcomes),
        row.failure ? '—' : counts(row.apiRequests),
        ms(row.totalMs),
        row.failure ? `FAILED: ${row.failure}` : row.note,
      ]),
    ),
    '',
    `## 3. Cold resume (ours): worker stopped with CDP \`ServiceWorker.stopAllWorkers\`, then one \`fetchWithAuth\` of GET /api/me`,
    '',
    table(
      ['round', ...results.cold.rounds.map((_, index) => String(index + 1)), 'median'],
      [
        [
          'time to first authenticated response',
          ...results.cold.rounds.map(ms),
          ms(results.cold.median),
        ],
        ['refresh requests', ...results.cold.refreshesPerRound.map(String), ''],
      ],
    ),
    '',
    "auth0-spa-js has no counterpart: with `cacheLocation: 'memory'` its tokens live in the page (and its token Web Worker), so a reload or a new tab starts without them (see findings).",
    '',
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
