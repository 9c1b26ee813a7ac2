// Runs inside the bench's pages (injected as an init script by bench/browser.ts, bundled by
// esbuild): every timing is taken here with performance.now(), never over CDP. The bench calls
// it as `window.__benchDriver`. It is bundled rather than passed to page.evaluate() because tsx
// rewrites functions (`__name(…)`) in ways that do not survive serialisation into a page.

/**
 * Which client sends the request. `baseline`: plain `fetch` with an access token and a DPoP proof
 * made ahead of time in Node (one pair per request, in `credentials`).
 */
export type CallKind = 'enclave' | 'spa-js' | 'spa-js-default' | 'plain' | 'baseline';

/** The headers of one pre-made request: `Authorization: DPoP <token>` and its own proof. */
export interface PremadeCredentials {
  authorization: string;
  dpop: string;
}

/** What {@link BenchDriver.sequential} is asked to send. */
export interface SequentialArgs {
  kind: CallKind;
  url: string;
  count: number;
  /** `baseline` only: the headers of each request, in order (at least `count`). */
  credentials?: PremadeCredentials[];
}

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
  sequential(args: SequentialArgs): Promise<SequentialResult>;
  burst(args: { kind: CallKind; url: string; count: number }): Promise<BurstResult>;
  /**
   * The smallest step `performance.now()` takes here, in ms: engines coarsen it in pages that
   * are not cross-origin isolated, and every timing is a multiple of it.
   */
  timerResolution(): number;
}

type Call = (url: string) => Promise<Response>;

function caller(kind: CallKind, credentials: PremadeCredentials[] = []): Call {
  const scope = window as unknown as {
    auth0?: { fetchWithAuth: Call };
    bench?: { fetchWithAuth: Call; fetchDefault: Call };
  };
  if (kind === 'plain') return (url) => fetch(url);
  if (kind === 'baseline') {
    // Each request takes the next pair; nothing is computed here, so only the request remains.
    let next = 0;
    return (url) => {
      const pair = credentials[next++];
      if (!pair) return Promise.reject(new Error('no pre-made credentials left for this request'));
      return fetch(url, { headers: { Authorization: pair.authorization, DPoP: pair.dpop } });
    };
  }
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
  async sequential({ kind, url, count, credentials }) {
    const call = caller(kind, credentials);
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
  timerResolution() {
    let last = performance.now();
    const until = last + 50;
    let smallest = Number.POSITIVE_INFINITY;
    for (let now = last; now < until; now = performance.now()) {
      if (now !== last) {
        smallest = Math.min(smallest, now - last);
        last = now;
      }
    }
    return smallest;
  },
};

(window as unknown as { __benchDriver: BenchDriver }).__benchDriver = driver;
