// 3. Cold resume: the browser stopped the worker (CDP ServiceWorker.stopAllWorkers, as Chromium
// does ~30 s after a worker's last event); how long until the first authenticated response?
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from '@playwright/test';
import { refreshRequests, tenantAdmin } from './admin.js';
import { sequential, stopWorkers } from './browser.js';
import { API_URL, CLIENT_IDS, RUN } from './config.js';
import { median } from './stats.js';

export interface ColdResumeResult {
  /** Milliseconds from calling fetchWithAuth to the response body, one per round. */
  rounds: number[];
  median: number;
  /** Refresh-token grants per round (access tokens live only in worker memory). */
  refreshesPerRound: number[];
}

/**
 * In a real browser the page has long noticed the dead worker (its Web Lock is granted 7–112 ms
 * after the worker dies) before the user's next click; this waits that out before timing.
 */
const NOTICE_MS = 500;

export async function measureColdResume(page: Page): Promise<ColdResumeResult> {
  const rounds: number[] = [];
  const refreshesPerRound: number[] = [];
  for (let round = 0; round < RUN.coldRounds; round++) {
    await stopWorkers(page);
    await sleep(NOTICE_MS);
    await tenantAdmin.clearRequests();
    const result = await sequential(page, {
      kind: 'enclave',
      url: `${API_URL}/api/me`,
      count: 1,
    });
    if (result.failures.length > 0) {
      throw new Error(`cold resume, round ${round + 1}: ${result.failures.join(', ')}`);
    }
    rounds.push(result.durations[0] as number);
    refreshesPerRound.push((await refreshRequests(CLIENT_IDS.enclave)).length);
  }
  return { rounds, median: median(rounds), refreshesPerRound };
}
