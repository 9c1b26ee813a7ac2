// 2. Concurrency after expiry: N tabs × M concurrent calls once the access token has expired.
// Counts the refresh requests that reached the tenant (its request log), reuse-detection
// revocations (its token list), what reached the API, and the time until every call settled.
import type { Page } from '@playwright/test';
import { apiAdmin, liveFamilies, refreshRequests, revokedFamilies, tenantAdmin } from './admin.js';
import { burst, firstLine } from './browser.js';
import { API_URL, RUN } from './config.js';
import type { CallKind } from './page-driver.js';
import { tally } from './stats.js';

export interface BurstRow {
  name: string;
  note: string;
  tabs: number;
  calls: number;
  /** Refresh-token grants that reached the tenant, by HTTP status. */
  refreshes: Record<string, number>;
  refreshTotal: number;
  /** Distinct DPoP keys (thumbprints) the refresh requests were signed with. */
  refreshKeys: number;
  /** Refresh-token families revoked during the burst (reuse detection). */
  revokedFamilies: number;
  /** Refresh-token families the client holds (one per login; not revoked). */
  families: number;
  /** GET /api/me requests that reached the API, by status (retries included, preflights not). */
  apiRequests: Record<string, number>;
  /** Outcomes of the calls as the page saw them. */
  outcomes: Record<string, number>;
  okCalls: number;
  /** From the first call started to the last one settled, across tabs. */
  totalMs: number;
  /** Why the burst could not run at all. */
  failure?: string;
}

export async function measureBurst(options: {
  name: string;
  note: string;
  kind: CallKind;
  clientId: string;
  tabs: Page[];
  mustWork: boolean;
  /** Known before starting (e.g. the login failed): reported as the row's reason. */
  failure?: string | undefined;
}): Promise<BurstRow> {
  const calls = options.tabs.length * RUN.callsPerTab;
  const revokedBefore = await revokedFamilies(options.clientId);
  await tenantAdmin.clearRequests();
  await apiAdmin.clearRequests();
  let results: { start: number; end: number; outcomes: string[] }[];
  try {
    if (options.failure) throw new Error(options.failure);
    results = await Promise.all(
      options.tabs.map((tab) =>
        burst(tab, { kind: options.kind, url: `${API_URL}/api/me`, count: RUN.callsPerTab }),
      ),
    );
  } catch (error) {
    const reason = firstLine(error);
    if (options.mustWork) throw new Error(`${options.name}: ${reason}`);
    return {
      name: options.name,
      note: options.note,
      tabs: options.tabs.length,
      calls,
      refreshes: {},
      refreshTotal: 0,
      refreshKeys: 0,
      revokedFamilies: 0,
      families: 0,
      apiRequests: {},
      outcomes: {},
      okCalls: 0,
      totalMs: Number.NaN,
      failure: reason,
    };
  }
  const refreshes = await refreshRequests(options.clientId);
  const revokedAfter = await revokedFamilies(options.clientId);
  const families = await liveFamilies(options.clientId);
  const api = await apiAdmin.requests();
  const outcomes = tally(results.flatMap((result) => result.outcomes));
  const row: BurstRow = {
    name: options.name,
    note: options.note,
    tabs: options.tabs.length,
    calls,
    refreshes: tally(refreshes.map((entry) => String(entry.status))),
    refreshTotal: refreshes.length,
    refreshKeys: new Set(refreshes.map((entry) => entry.dpopJkt).filter(Boolean)).size,
    revokedFamilies: [...revokedAfter].filter((family) => !revokedBefore.has(family)).length,
    families: families.size,
    apiRequests: tally(
      api
        .filter((entry) => entry.method === 'GET' && entry.path === '/api/me')
        .map((entry) => String(entry.status)),
    ),
    outcomes,
    okCalls: outcomes['200'] ?? 0,
    totalMs:
      Math.max(...results.map((result) => result.end)) -
      Math.min(...results.map((result) => result.start)),
  };
  if (options.mustWork && row.okCalls !== calls) {
    throw new Error(
      `${options.name}: ${calls - row.okCalls} of ${calls} calls failed after expiry (${JSON.stringify(outcomes)})`,
    );
  }
  return row;
}
