// 1. Per-request latency: sequential requests timed inside the page, after a warm-up, the clients
// interleaved in rounds so that drift (GC, CPU frequency, the tenant's caches) hits them alike.
import type { Page } from '@playwright/test';
import { firstLine, sequential } from './browser.js';
import { API_URL, RUN } from './config.js';
import type { CallKind } from './page-driver.js';
import { mean, percentile, tally } from './stats.js';

export interface LatencyCase {
  kind: CallKind;
  name: string;
  detail: string;
  page: Page;
  url: string;
  /** Ours: a failure aborts the bench. An incumbent's failure becomes a row with its reason. */
  mustWork: boolean;
  /** Known before measuring (e.g. the login failed): reported as the row's reason. */
  failure?: string | undefined;
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
  pages: { enclave: Page; spaJs: Page; plain: Page },
  spaJsFailure: string | undefined,
): LatencyCase[] {
  return [
    {
      kind: 'enclave',
      name: 'auth0-enclave `fetchWithAuth`',
      detail: 'GET /api/me through the service worker, DPoP + API nonce',
      page: pages.enclave,
      url: `${API_URL}/api/me`,
      mustWork: true,
    },
    {
      kind: 'spa-js',
      name: 'auth0-spa-js `createFetcher().fetchWithAuth`',
      detail: 'GET /api/me, DPoP proof signed in the page, API nonce',
      page: pages.spaJs,
      url: `${API_URL}/api/me`,
      mustWork: false,
      failure: spaJsFailure,
    },
    {
      kind: 'plain',
      name: 'plain `fetch` (baseline)',
      detail: 'GET /api/public, no credentials, from a page without SDK or service worker',
      page: pages.plain,
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
      const result = await sequential(latencyCase.page, {
        kind: latencyCase.kind,
        url: latencyCase.url,
        count,
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
