// What the benchmark runs against: its own ports (45xx — never the browser tests' 44xx or
// `npm start`'s 3000/4000/4001), its clients in the local tenant, and how much it measures.
import { fileURLToPath } from 'node:url';
import { CHROMIUM_LAUNCH } from '../e2e/engines/chromium.js';

export const PORTS = { tenant: 4500, api: 4501, app: 4502, spaJs: 4503 } as const;

export const TENANT_URL = `http://localhost:${PORTS.tenant}`;
export const API_URL = `http://localhost:${PORTS.api}`;
/** Our sample app (dev/app), built with a worker config for the bench. */
export const APP_URL = `http://localhost:${PORTS.app}`;
/** The tiny auth0-spa-js page (bench/spa-js-page.ts). */
export const SPA_JS_URL = `http://localhost:${PORTS.spaJs}`;

export const AUDIENCE = 'https://api.example.com/';
export const SCOPE = 'openid profile email read:notes';
export const USER = { email: 'alice@example.com', password: 'wonderland', name: 'Alice Liddell' };

export const CLIENT_IDS = { enclave: 'bench-enclave', spaJs: 'bench-spa-js' } as const;

/** Build output (git-ignored). */
export const OUT_DIR = fileURLToPath(new URL('./.out/', import.meta.url));

/**
 * Chromium exactly as the browser tests launch it (e2e/engines/chromium.ts, which
 * playwright.config.ts uses too): Debian's Chromium (`$CHROMIUM_PATH`, else /usr/bin/chromium)
 * and the args that stop it dialling the closed network.
 */
export const CHROMIUM_PATH = CHROMIUM_LAUNCH.executablePath;
export const CHROMIUM_ARGS: readonly string[] = CHROMIUM_LAUNCH.args;

export const RUN = {
  /** Sequential requests per client before timing starts. */
  warmup: 20,
  /** Timed sequential requests per client, interleaved in `latencyRounds` rounds. */
  latencySamples: 200,
  latencyRounds: 4,
  tabs: 3,
  callsPerTab: 100,
  /** How far the tenant clock moves: past the 1 h access-token lifetime. */
  clockAdvanceSeconds: 2 * 60 * 60,
  coldRounds: 5,
  /** No single page step may take longer than this. */
  stepTimeoutMs: 30_000,
} as const;
