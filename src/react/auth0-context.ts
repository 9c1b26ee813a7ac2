import {
  type Auth0Client,
  type LogoutOptions as ClientLogoutOptions,
  type RedirectLoginOptions as ClientRedirectLoginOptions,
  type ConnectAccountRedirectResult,
  type CustomTokenExchangeOptions,
  type GetTokenWithPopupOptions,
  type IdTokenClaims,
  InvalidStateError,
  type MfaApiClient,
  type PasskeyApiClient,
  type PopupConfigOptions,
  type PopupLoginOptions,
  type RedirectCallbackResult,
  type RedirectConnectAccountOptions,
  type RevokeRefreshTokenOptions,
  type TokenExchangeSummary,
  type User,
} from 'auth0-enclave';
import { createContext } from 'react';
import { type AuthState, initialAuthState } from './auth-state.js';

/** The account linked by `connectAccountWithRedirect`, handed to `onRedirectCallback`. */
export type ConnectedAccount = Omit<ConnectAccountRedirectResult, 'appState' | 'response_type'>;

/**
 * What `loginWithRedirect` carries through the login and `onRedirectCallback` receives
 * (auth0-react's `AppState`). Any JSON; it is kept by the worker, not in Web Storage.
 */
export type AppState = {
  /** Where `onRedirectCallback` (by default) puts the user back. */
  returnTo?: string;
  /** After `connectAccountWithRedirect`: the linked account. */
  connectedAccount?: ConnectedAccount;
  /** `code` (a login) or `connect_code` (an account link). */
  response_type?: 'code' | 'connect_code';
  // biome-ignore lint/suspicious/noExplicitAny: auth0-react's shape: app-defined data.
  [key: string]: any;
};

/** Options of `logout` (auth0-react's: the client's, without the deprecated `onRedirect`). */
export interface LogoutOptions extends Omit<ClientLogoutOptions, 'onRedirect'> {}

/** Options of `loginWithRedirect` (auth0-react's: without the deprecated `onRedirect`). */
export interface RedirectLoginOptions<TAppState = AppState>
  extends Omit<ClientRedirectLoginOptions<TAppState>, 'onRedirect'> {}

/**
 * The state and methods `useAuth0()` returns: auth0-react 2.x's `Auth0ContextInterface`, with
 * the page client's custody rules — every token stays in the service worker:
 * - `getAccessTokenSilently` / `getAccessTokenWithPopup` make sure the worker holds a valid token
 *   and return it only when the worker config sets `exposeAccessTokens`; otherwise they reject
 *   with `TokenNotExposedError`. Call APIs with {@link Auth0ContextInterface.fetchWithAuth}.
 * - `getIdTokenClaims` returns the claims; the raw ID token (`__raw`) stays in the worker.
 * - `loginWithCustomTokenExchange` and friends resolve a summary; `access_token` only with
 *   `exposeAccessTokens`.
 * - No `myAccount` or `anonymous` client (not implemented by the worker).
 */
export interface Auth0ContextInterface<TUser extends User = User> extends AuthState<TUser> {
  /** Makes sure the worker holds a valid access token; see the custody note above. */
  getAccessTokenSilently: Auth0Client['getTokenSilently'];
  /** Logs in in a popup, then as `getAccessTokenSilently`. Call it from a click handler. */
  getAccessTokenWithPopup: (
    options?: GetTokenWithPopupOptions,
    config?: PopupConfigOptions,
  ) => Promise<string | undefined>;
  /** The ID token's claims, or `undefined` (the raw token stays in the worker). */
  getIdTokenClaims: () => Promise<IdTokenClaims | undefined>;
  /** Custom Token Exchange that logs the user in. */
  loginWithCustomTokenExchange: (
    options: CustomTokenExchangeOptions,
  ) => Promise<TokenExchangeSummary>;
  /** Custom Token Exchange that leaves the session as it is. */
  customTokenExchange: (options: CustomTokenExchangeOptions) => Promise<TokenExchangeSummary>;
  /** @deprecated auth0-react's old name of `loginWithCustomTokenExchange`. */
  exchangeToken: (options: CustomTokenExchangeOptions) => Promise<TokenExchangeSummary>;
  /** Navigates to the login page; the worker holds the transaction (state, nonce, PKCE verifier). */
  loginWithRedirect: (options?: RedirectLoginOptions<AppState>) => Promise<void>;
  /** Logs in in a popup (opened synchronously: call it from a click handler). */
  loginWithPopup: (options?: PopupLoginOptions, config?: PopupConfigOptions) => Promise<void>;
  /** Links another account by redirect; `onRedirectCallback` receives it as `connectedAccount`. */
  connectAccountWithRedirect: (options: RedirectConnectAccountOptions) => Promise<void>;
  /** Ends the session in the worker (every tab) and, unless `openUrl: false`, at the server. */
  logout: (options?: LogoutOptions) => Promise<void>;
  /** Revokes the refresh token the worker holds (at the server) and forgets it. */
  revokeRefreshToken: (options?: RevokeRefreshTokenOptions) => Promise<void>;
  /**
   * Finishes a redirect login. The provider calls it for you on the callback page; the worker
   * redeemed the code before the page loaded, so this only picks up `appState` (or the error).
   */
  handleRedirectCallback: (url?: string) => Promise<RedirectCallbackResult<AppState>>;
  /** The DPoP nonce the worker holds for a server origin. */
  getDpopNonce: Auth0Client['getDpopNonce'];
  /** Sets a DPoP nonce: only with `exposeDpopProofs` in the worker config (else `NotAllowedError`). */
  setDpopNonce: Auth0Client['setDpopNonce'];
  /** Has the worker sign a DPoP proof: only with `exposeDpopProofs` (else `NotAllowedError`). */
  generateDpopProof: Auth0Client['generateDpopProof'];
  /** A fetcher with a base URL whose requests the worker authenticates. */
  createFetcher: Auth0Client['createFetcher'];
  /** `domain` and `clientId`, as the worker is configured. */
  getConfiguration: Auth0Client['getConfiguration'];
  /**
   * `fetch()` with the access token (and DPoP proof) attached by the worker, for URLs on its
   * `apis` allow-list — how this SDK calls APIs (see also `useFetchWithAuth()`).
   */
  fetchWithAuth: Auth0Client['fetchWithAuth'];
  /** Step-up MFA after an `MfaRequiredError`. */
  mfa: MfaApiClient;
  /** Passkey signup and login; the state follows the session the worker announces. */
  passkey: PasskeyApiClient;
}

/** Every method of the context outside a provider: a typed error naming the fix. */
function outsideProvider(): never {
  throw new InvalidStateError({
    message: 'auth0-enclave/react: wrap your component in <Auth0Provider>.',
  });
}

/** `mfa` and `passkey` outside a provider: each method throws as above when called. */
const notInstalled = new Proxy(
  {},
  { get: (_, key) => (typeof key === 'string' && key !== 'then' ? outsideProvider : undefined) },
) as never;

/** The context's value outside any `<Auth0Provider>`: methods throw `InvalidStateError`. */
export const initialContext: Auth0ContextInterface = {
  ...initialAuthState,
  getAccessTokenSilently: outsideProvider,
  getAccessTokenWithPopup: outsideProvider,
  getIdTokenClaims: outsideProvider,
  loginWithCustomTokenExchange: outsideProvider,
  customTokenExchange: outsideProvider,
  exchangeToken: outsideProvider,
  loginWithRedirect: outsideProvider,
  loginWithPopup: outsideProvider,
  connectAccountWithRedirect: outsideProvider,
  logout: outsideProvider,
  revokeRefreshToken: outsideProvider,
  handleRedirectCallback: outsideProvider,
  getDpopNonce: outsideProvider,
  setDpopNonce: outsideProvider,
  generateDpopProof: outsideProvider,
  createFetcher: outsideProvider,
  getConfiguration: outsideProvider,
  fetchWithAuth: outsideProvider,
  mfa: notInstalled,
  passkey: notInstalled,
};

/** The default context `<Auth0Provider>` fills and `useAuth0()` reads. */
export const Auth0Context = createContext<Auth0ContextInterface>(initialContext);
