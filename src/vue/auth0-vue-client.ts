import type {
  Auth0Client,
  CustomFetchMinimalOutput,
  CustomTokenExchangeOptions,
  Fetcher,
  FetcherConfig,
  GetTokenSilentlyOptions,
  GetTokenWithPopupOptions,
  IdTokenClaims,
  MfaApiClient,
  PasskeyApiClient,
  PopupConfigOptions,
  PopupLoginOptions,
  RedirectCallbackResult,
  TokenDetails,
  TokenExchangeSummary,
  User,
} from 'auth0-enclave';
import type { Ref } from 'vue';
import type { AppState, LogoutOptions, RedirectLoginOptions } from './options.js';

/**
 * What `useAuth0()` returns: auth0-vue 2.x's `Auth0VueClient` (reactive refs and methods), with
 * the page client's custody rules — every token stays in the service worker:
 * `getAccessTokenSilently` / `getAccessTokenWithPopup` return a token only when the worker config
 * sets `exposeAccessTokens` (else `TokenNotExposedError`); call APIs with `fetchWithAuth`.
 * `idTokenClaims` has no raw token. No `myAccount` client.
 */
export interface Auth0VueClient {
  /** `true` until the first session check (or the redirect login's completion) is done. */
  isLoading: Ref<boolean>;
  /** Whether the worker holds a session. */
  isAuthenticated: Ref<boolean>;
  /** The user's profile, or `undefined`. */
  user: Ref<User | undefined>;
  /** The ID token's claims, or `undefined` (the raw token stays in the worker). */
  idTokenClaims: Ref<IdTokenClaims | undefined>;
  /** The last error of a call made through this client (typed `EnclaveError`s), or `null`. */
  // biome-ignore lint/suspicious/noExplicitAny: auth0-vue's type.
  error: Ref<any>;
  /** Logs in in a popup (opened synchronously: call it from a click handler). */
  loginWithPopup(options?: PopupLoginOptions, config?: PopupConfigOptions): Promise<void>;
  /** Navigates to the login page; the worker holds the transaction. */
  loginWithRedirect(options?: RedirectLoginOptions<AppState>): Promise<void>;
  /** Custom Token Exchange that logs the user in; a summary (a token only with `exposeAccessTokens`). */
  loginWithCustomTokenExchange(options: CustomTokenExchangeOptions): Promise<TokenExchangeSummary>;
  /** Finishes a redirect login (the plugin does it on the callback page). */
  handleRedirectCallback(url?: string): Promise<RedirectCallbackResult<AppState>>;
  /** Makes sure the session is usable; "not logged in" is not an error. */
  checkSession(options?: GetTokenSilentlyOptions): Promise<void>;
  /** Makes sure the worker holds a valid token; returns it only with `exposeAccessTokens`. */
  getAccessTokenSilently(
    options: GetTokenSilentlyOptions & { detailedResponse: true },
  ): Promise<TokenDetails | undefined>;
  getAccessTokenSilently(options?: GetTokenSilentlyOptions): Promise<string | undefined>;
  /** Logs in in a popup, then as `getAccessTokenSilently`. */
  getAccessTokenWithPopup(
    options?: GetTokenWithPopupOptions,
    config?: PopupConfigOptions,
  ): Promise<string | undefined>;
  /** Ends the session in the worker (every tab) and, unless `openUrl: false`, at the server. */
  logout(options?: LogoutOptions): Promise<void>;
  /** The DPoP nonce the worker holds for a server origin. */
  getDpopNonce(origin?: string): Promise<string | undefined>;
  /** Only with `exposeDpopProofs` in the worker config (else `NotAllowedError`). */
  setDpopNonce(nonce: string, origin?: string): Promise<void>;
  /** Only with `exposeDpopProofs` in the worker config (else `NotAllowedError`). */
  generateDpopProof(params: Parameters<Auth0Client['generateDpopProof']>[0]): Promise<string>;
  /** A fetcher with a base URL whose requests the worker authenticates. */
  createFetcher<TOutput extends CustomFetchMinimalOutput = Response>(
    config?: FetcherConfig<TOutput>,
  ): Fetcher<TOutput>;
  /**
   * `fetch()` with the access token (and DPoP proof) attached by the worker, for URLs on its
   * `apis` allow-list — how this SDK calls APIs.
   */
  fetchWithAuth: Auth0Client['fetchWithAuth'];
  /** Step-up MFA after an `MfaRequiredError`. */
  mfa: MfaApiClient;
  /** Passkey signup and login; the refs follow the session the worker announces. */
  passkey: PasskeyApiClient;
}
