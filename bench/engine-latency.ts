// The latency section in one engine: a fresh browser with normal settings, our sample app and the
// auth0-spa-js page logged in side by side in it, the no-SDK page for the baseline, and the
// interleaved measurement (bench/latency.ts). The browser is closed before the next engine starts,
// so engines never share the machine while measuring.
import type { EngineName } from '../e2e/engines/driver.js';
import type { BaselineSigner } from './baseline.js';
import { firstLine } from './browser.js';
import { ENGINE_LABELS, missingPart, startEngine } from './engines.js';
import { type LatencyRow, latencyCases, measureLatency } from './latency.js';
import { loginEnclaveTab, loginSpaJsTab, openPlainTab, timerResolutionIn } from './tabs.js';

export interface EngineLatency {
  engine: EngineName;
  label: string;
  /** The browser's name and version as its automation reports it. */
  version: string;
  /** How it was launched (automation settings that differ from a person's browser). */
  settings: string;
  rows: LatencyRow[];
  /** `performance.now()`'s step in the baseline's page, in ms. */
  timerResolutionMs: number;
  /** Why the engine was not measured (not found on this machine). */
  skipped?: string;
  seconds: number;
}

export async function measureEngineLatency(
  engine: EngineName,
  baseline: BaselineSigner,
): Promise<EngineLatency> {
  const started = performance.now();
  const label = ENGINE_LABELS[engine];
  const missing = missingPart(engine);
  if (missing) {
    return {
      engine,
      label,
      version: '—',
      settings: '—',
      rows: [],
      timerResolutionMs: Number.NaN,
      skipped: missing,
      seconds: 0,
    };
  }
  let run: Awaited<ReturnType<typeof startEngine>>;
  try {
    run = await startEngine(engine);
  } catch (error) {
    throw new Error(`could not start ${label}: ${firstLine(error)}`);
  }
  try {
    const { session } = run;
    const enclave = await session.newTab({ ownWindow: true });
    await loginEnclaveTab(enclave).catch((error: unknown) => {
      throw new Error(`${label}: our sample app did not log in: ${firstLine(error)}`);
    });
    const spaJs = await session.newTab({ ownWindow: true });
    let spaJsFailure: string | undefined;
    try {
      await loginSpaJsTab(spaJs);
    } catch (error) {
      spaJsFailure = `login failed in ${label}: ${firstLine(error)}`;
    }
    const plain = await session.newTab({ ownWindow: true });
    await openPlainTab(plain);
    const timerResolutionMs = await timerResolutionIn(plain);
    const rows = await measureLatency(
      latencyCases({ enclave, spaJs, plain }, { spaJsFailure, baseline }),
    ).catch((error: unknown) => {
      throw new Error(`${label}: ${firstLine(error)}`);
    });
    return {
      engine,
      label,
      version: session.version,
      settings: run.settings,
      rows,
      timerResolutionMs,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await run.close();
  }
}
