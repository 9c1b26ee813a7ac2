// Runs inside the bench's pages (injected as an init script by bench/browser.ts, bundled by
// esbuild): every timing is taken here with performance.now(), never over CDP. The bench calls
// it as `window.__benchDriver`. It is bundled rather than passed to page.evaluate() because tsx
// rewrites functions (`__name(…)`) in ways that do not survive serialisation into a page.

/** Which client sends the request. */
export type CallKind = 'enclave' | 'spa-js' | 'spa-js-default' | 'plain';

export interface SequentialResult {
  /** Milliseconds per request (until the body is read), in order. */
  durations: number[];
  /** One entry per request that was not a 200: its status or error. */
  failures: string[];
}

export interface BurstResult {
  /** Epoch milliseconds (high resolution): `performance.timeOrigin + performance.now()`. */
  start: number;
  end: number;
  /** `200`, another status, or `error: …`, per call. */
  outcomes: string[];
}

export interface BenchDriver {
  sequential(args: { kind: CallKind; url: string; count: number }): Promise<SequentialResult>;
  burst(args: { kind: CallKind; url: string; count: number }): Promise<BurstResult>;
}

type Call = (url: string) => Promise<Response>;

function caller(kind: CallKind): Call {
  const scope = window as unknown as {
    auth0?: { fetchWithAuth: Call };
    bench?: { fetchWithAuth: Call; fetchDefault: Call };
  };
  if (kind === 'plain') return (url) => fetch(url);
  if (kind === 'enclave') {
    const client = scope.auth0;
    if (!client) throw new Error('no auth0-enclave client (window.auth0) on this page');
    return (url) => client.fetchWithAuth(url);
  }
  const client = scope.bench;
  if (!client) throw new Error('no auth0-spa-js client (window.bench) on this page');
  if (kind === 'spa-js-default') return (url) => client.fetchDefault(url);
  return (url) => client.fetchWithAuth(url);
}

function explain(error: unknown): string {
  if (error instanceof Error) {
    const code =
      (error as { code?: unknown; error?: unknown }).code ?? (error as { error?: unknown }).error;
    return `error: ${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return `error: ${String(error)}`;
}

async function once(call: Call, url: string): Promise<string> {
  try {
    const response = await call(url);
    await response.arrayBuffer();
    return String(response.status);
  } catch (error) {
    return explain(error);
  }
}

const driver: BenchDriver = {
  async sequential({ kind, url, count }) {
    const call = caller(kind);
    const durations: number[] = [];
    const failures: string[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const outcome = await once(call, url);
      durations.push(performance.now() - started);
      if (outcome !== '200') failures.push(outcome);
    }
    return { durations, failures };
  },
  async burst({ kind, url, count }) {
    const call = caller(kind);
    const start = performance.timeOrigin + performance.now();
    const outcomes = await Promise.all(Array.from({ length: count }, () => once(call, url)));
    const end = performance.timeOrigin + performance.now();
    return { start, end, outcomes };
  },
};

(window as unknown as { __benchDriver: BenchDriver }).__benchDriver = driver;
