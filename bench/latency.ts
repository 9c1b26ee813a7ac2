// 1. Per-request latency, in one engine: sequential requests timed inside the page, after a
// warm-up, the clients interleaved in rounds so that drift (GC, CPU frequency, the tenant's
// caches) hits them alike. Driven through the engines' driver interface, so the same code runs in
// Chromium, Firefox and WebKit.
import type { Tab } from '../e2e/engines/driver.js';
import type { BaselineSigner } from './baseline.js';
import { BASELINE_URL } from './baseline.js';
import { firstLine } from './browser.js';
import { API_URL, RUN } from './config.js';
import type { CallKind, PremadeCredentials } from './page-driver.js';
import { mean, percentile, tally } from './stats.js';
import { sequentialIn } from './tabs.js';

export interface LatencyCase {
  kind: CallKind;
  name: string;
  detail: string;
  tab: Tab;
  url: string;
  /** Ours: a failure aborts the bench. An incumbent's failure becomes a row with its reason. */
  mustWork: boolean;
  /** Known before measuring (e.g. the login failed): reported as the row's reason. */
  failure?: string | undefined;
  /** Makes each request's credentials ahead of time, outside the timing (the baseline). */
  prepare?: (count: number) => Promise<PremadeCredentials[]>;
}

export interface LatencyRow {
  kind: CallKind;
  name: string;
  detail: string;
  samples: number;
  p50: number;
  p95: number;
  mean: number;
  /** Why this client could not be measured. */
  failure?: string;
}

export function latencyCases(
  tabs: { enclave: Tab; spaJs: Tab; plain: Tab },
  options: { spaJsFailure: string | undefined; baseline: BaselineSigner },
): LatencyCase[] {
  return [
    {
      kind: 'baseline',
      name: 'baseline: plain `fetch`, credentials made ahead',
      detail:
        'GET /api/me from a page without SDK or service worker; token and a fresh DPoP proof (API nonce) per request signed in Node before the round',
      tab: tabs.plain,
      url: BASELINE_URL,
      mustWork: true,
      prepare: (count) => options.baseline.sign(count),
    },
    {
      kind: 'enclave',
      name: 'auth0-enclave `fetchWithAuth`',
      detail: 'GET /api/me through the service worker, DPoP + API nonce',
      tab: tabs.enclave,
      url: `${API_URL}/api/me`,
      mustWork: true,
    },
    {
      kind: 'spa-js',
      name: 'auth0-spa-js `createFetcher().fetchWithAuth`',
      detail: 'GET /api/me, DPoP proof signed in the page, API nonce',
      tab: tabs.spaJs,
      url: `${API_URL}/api/me`,
      mustWork: false,
      failure: options.spaJsFailure,
    },
    {
      kind: 'plain',
      name: 'plain `fetch`, no credentials (floor)',
      detail: 'GET /api/public, from the same page: the round trip without any verification',
      tab: tabs.plain,
      url: `${API_URL}/api/public`,
      mustWork: true,
    },
  ];
}

function failureOf(failures: string[]): string {
  const counts = Object.entries(tally(failures))
    .map(([outcome, count]) => `${count}× ${outcome}`)
    .join(', ');
  return `not every request succeeded: ${counts}`;
}

export async function measureLatency(cases: LatencyCase[]): Promise<LatencyRow[]> {
  const durations = new Map<CallKind, number[]>(cases.map((c) => [c.kind, []]));
  const failed = new Map<CallKind, string>();
  for (const latencyCase of cases) {
    if (latencyCase.failure) failed.set(latencyCase.kind, latencyCase.failure);
  }
  const fail = (latencyCase: LatencyCase, reason: string) => {
    if (latencyCase.mustWork) throw new Error(`${latencyCase.name}: ${reason}`);
    failed.set(latencyCase.kind, reason);
  };
  const run = async (latencyCase: LatencyCase, count: number, record: boolean) => {
    if (failed.has(latencyCase.kind)) return;
    try {
      const credentials = await latencyCase.prepare?.(count);
      const result = await sequentialIn(latencyCase.tab, {
        kind: latencyCase.kind,
        url: latencyCase.url,
        count,
        ...(credentials ? { credentials } : {}),
      });
      if (result.failures.length > 0) return fail(latencyCase, failureOf(result.failures));
      if (record) durations.get(latencyCase.kind)?.push(...result.durations);
    } catch (error) {
      fail(latencyCase, firstLine(error));
    }
  };

  for (const latencyCase of cases) await run(latencyCase, RUN.warmup, false);
  const perRound = Math.ceil(RUN.latencySamples / RUN.latencyRounds);
  for (let round = 0; round < RUN.latencyRounds; round++) {
    for (const latencyCase of cases) await run(latencyCase, perRound, true);
  }

  return cases.map((latencyCase) => {
    const samples = durations.get(latencyCase.kind) ?? [];
    const failure = failed.get(latencyCase.kind);
    return {
      kind: latencyCase.kind,
      name: latencyCase.name,
      detail: latencyCase.detail,
      samples: failure ? 0 : samples.length,
      p50: failure ? Number.NaN : percentile(samples, 50),
      p95: failure ? Number.NaN : percentile(samples, 95),
      mean: failure ? Number.NaN : mean(samples),
      ...(failure ? { failure } : {}),
    };
  });
}
