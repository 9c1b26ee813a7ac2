import type { AnonymousSessionOptions, AnonymousTokenSummary } from '../rpc/protocol.js';

/** `auth0.anonymous.createSession` options (auth0-spa-js's `CreateAnonymousSessionOptions`). */
export type CreateAnonymousSessionOptions = AnonymousSessionOptions;

/** `auth0.anonymous.getTokenSilently` options (auth0-spa-js's). */
export interface AnonymousGetTokenSilentlyOptions {
  /** An API the worker config names; default: the login's audience. */
  audience?: string;
  /** Scopes the worker config names. */
  scope?: string;
}

/**
 * An anonymous session as the page sees it (auth0-spa-js's `AnonymousSession` without
 * `sessionToken`, which stays in the worker): `accessToken` only with `exposeAccessTokens`.
 */
export type AnonymousSession = AnonymousTokenSummary;

/** What `auth0.anonymous.getTokenSilently` resolves with (spa-js's `AnonymousTokenResult`). */
export type AnonymousTokenResult = AnonymousTokenSummary;

/**
 * `auth0.anonymous`: Auth0's anonymous sessions with auth0-spa-js 2.27's names. The worker holds
 * the session token (in memory only: it is a bearer credential, so never in origin storage) and
 * its access tokens; allow-listed API requests (`fetchWithAuth`, and plain `fetch` where the
 * worker config allows) carry the anonymous token while no user is logged in. The page gets
 * summaries; `accessToken` only when the worker config sets `exposeAccessTokens`.
 *
 * Differences from spa-js, by design: the session lasts as long as the worker runs (a browser
 * stops an idle worker after about 30 s unless `persistence: 'memory'` keeps it alive), after
 * which `getTokenSilently` starts a new anonymous identity — as spa-js does when the session
 * token expires. `hasSession()` is synchronous, so it answers from what this page last heard
 * from the worker: `false` until this page's first `createSession` or `getTokenSilently`, then
 * kept current by every call. After a reload, call `getTokenSilently()` (which reuses the worker's session) rather
 * than `hasSession()` + `createSession()`. `getClaims()` is `null`, as in spa-js (the session
 * token is opaque).
 *
 * Errors: `OAuthError` with the server's `error` (spa-js: `AnonymousSessionError`);
 * `NotAllowedError` for an audience or scope the worker config does not name; `TypeError` for
 * bad arguments.
 *
 * @example
 * ```ts
 * await auth0.anonymous.getTokenSilently({ audience: 'https://api.example.com/' });
 * const cart = await (await auth0.fetchWithAuth('https://api.example.com/cart')).json();
 * ```
 */
export interface AnonymousSessionApiClient {
  /** Starts a new anonymous identity (the previous one is forgotten). */
  createSession(options?: CreateAnonymousSessionOptions): Promise<AnonymousSession>;
  /** A fresh anonymous token's summary, reusing, renewing or creating the session as needed. */
  getTokenSilently(options?: AnonymousGetTokenSilentlyOptions): Promise<AnonymousTokenResult>;
  /** Ends the anonymous session at the server and in the worker. */
  logout(): Promise<void>;
  /** Whether the worker held an anonymous session when this page last heard (see above). */
  hasSession(): boolean;
  /** Always `null`, as auth0-spa-js: the session token is opaque. */
  getClaims(): null;
}

/**
 * @internal `auth0.anonymous`'s synchronous members, answered on the page; `heard` is kept by
 * forwarding-client.ts: what this page last heard from the worker.
 */
export function anonymousOwn(): object {
  return {
    // Declared here so that `this.heard` (read through the Proxy) is this, not a forwarder.
    heard: false,
    hasSession(this: { heard: boolean }) {
      return this.heard;
    },
    getClaims: () => null,
  };
}
