// The auth0-spa-js 2.27 bench page (runs in the browser; bundled by bench/spa-js-server.ts).
// It configures spa-js the way its docs recommend for DPoP with refresh tokens, logs in with a
// redirect, and exposes what the bench drives as `window.bench`.
import { createAuth0Client } from '@auth0/auth0-spa-js';

/** Filled in at bundle time (esbuild `define`). */
declare const __SPA_JS_BENCH__: {
  domain: string;
  clientId: string;
  redirectUri: string;
  audience: string;
  scope: string;
};

/** What the bench calls in this page. */
export interface SpaJsBench {
  login(): Promise<void>;
  /** `createFetcher({ dpopNonceId }).fetchWithAuth`: DPoP proof, server nonces handled by spa-js. */
  fetchWithAuth(url: string): Promise<Response>;
  /** The same without authParams, as spa-js's docs call it (it fails: see fetchWithAuth). */
  fetchDefault(url: string): Promise<Response>;
  /**
   * spa-js judges token expiry by its own clock (`nowProvider`), not by the server's answer: this
   * moves that clock the way the bench moves the tenant's.
   */
  setClockOffset(ms: number): void;
}

const config = __SPA_JS_BENCH__;
let clockOffsetMs = 0;

async function main(): Promise<void> {
  const client = await createAuth0Client({
    domain: config.domain,
    clientId: config.clientId,
    useDpop: true,
    useRefreshTokens: true,
    cacheLocation: 'memory',
    nowProvider: () => Date.now() + clockOffsetMs,
    authorizationParams: {
      redirect_uri: config.redirectUri,
      audience: config.audience,
      scope: config.scope,
    },
  });
  const query = new URLSearchParams(location.search);
  if (query.has('code') && query.has('state')) {
    await client.handleRedirectCallback();
    history.replaceState(null, '', '/');
  }
  const fetcher = client.createFetcher({ dpopNonceId: 'bench-api' });
  const bench: SpaJsBench = {
    login: () => client.loginWithRedirect(),
    // The audience must be passed: without authParams, 2.27's fetcher asks getTokenSilently for
    // `{ audience: undefined }`, which overrides the configured audience, misses the cache and
    // fails with missing_refresh_token (Auth0Client.createFetcher → getAccessToken).
    fetchWithAuth: (url) => fetcher.fetchWithAuth(url, undefined, { audience: config.audience }),
    fetchDefault: (url) => fetcher.fetchWithAuth(url),
    setClockOffset: (ms) => {
      clockOffsetMs = ms;
    },
  };
  (window as unknown as { bench: SpaJsBench }).bench = bench;
  document.body.dataset.ready = (await client.isAuthenticated()) ? 'authenticated' : 'anonymous';
}

main().catch((error: unknown) => {
  document.body.dataset.error = error instanceof Error ? error.message : String(error);
  document.body.dataset.ready = 'error';
});
