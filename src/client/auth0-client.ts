import { assertObject, assertOptionalString } from '../core/assert.js';
import {
  EnclaveError,
  InvalidConfigurationError,
  InvalidStateError,
  LoginRequiredError,
  MfaRequiredError,
  MissingRefreshTokenError,
  PopupOpenError,
} from '../core/errors.js';
import type {
  ConnectedAccount,
  IdTokenClaims,
  LoginOutcome,
  PageAuthorizationParams,
  PublicConfiguration,
  TokenDetails,
  TokenExchangeSummary,
  TokenOptions,
  User,
} from '../rpc/protocol.js';
import { type AnonymousSessionApiClient, anonymousOwn } from './anonymous.js';
import {
  type CustomFetchMinimalOutput,
  createFetcher,
  type Fetcher,
  type FetcherConfig,
  fetchWithAuth,
} from './fetch-with-auth.js';
import { forwardingClient } from './forwarding-client.js';
import { MfaApiClient } from './mfa.js';
import type { MyAccountApiClient } from './my-account.js';
import { PAGE_KIT, WORKER_OWNED_OPTIONS } from './page-kit.js';
import { PasskeyApiClient } from './passkey.js';
import { openPopup } from './popup-window.js';
import { type Auth0ClientEvents, SessionEvents } from './session-events.js';
import { WorkerConnection } from './worker-connection.js';

/**
 * `/authorize` parameters (auth0-spa-js's `AuthorizationParams`). The worker enforces what it
 * allows (audiences and scopes of its config; `redirect_uri` is its own).
 */
export interface AuthorizationParams {
  /** How the login page is displayed. */
  display?: 'page' | 'popup' | 'touch' | 'wap';
  /** `login` forces the login page, `none` fails instead of showing one (silent login is the worker's), `consent`, `select_account`. */
  prompt?: 'none' | 'login' | 'consent' | 'select_account';
  /** Seconds since the last authentication after which the user must log in again. */
  max_age?: string | number;
  /** Preferred languages of the login page, space-separated. */
  ui_locales?: string;
  /** Not on the page: the worker sends its own `id_token_hint` where one is needed. */
  id_token_hint?: string;
  /** `signup` opens the signup page. */
  screen_hint?: 'signup' | 'login' | string;
  /** The email or username to prefill. */
  login_hint?: string;
  /** Authentication context class references asked for. */
  acr_values?: string;
  /** Scopes added to the worker config's (which decides what is allowed). */
  scope?: string;
  /** The API the access token is for: one of the worker config's audiences. */
  audience?: string;
  /** Log in with this connection directly. */
  connection?: string;
  /** The organization id or name to log in to. */
  organization?: string;
  /** The organization invitation id. */
  invitation?: string;
  /** Must equal the worker's `redirect_uri`, which is where the worker completes the flow. */
  redirect_uri?: string;
  /** A session transfer token from a native app. */
  session_transfer_token?: string;
  /** Universal Login experiment id (auth0-spa-js's). */
  experiment_id?: string;
  /** Universal Login experiment variation id. */
  variation_id?: string;
  /** Universal Login experiment segment id. */
  segment_id?: string;
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's shape: custom parameters of any type.
  [key: string]: any;
}

/** Page-level defaults (auth0-spa-js's `ClientAuthorizationParams`): `scope` may be per audience. */
export interface ClientAuthorizationParams extends Omit<AuthorizationParams, 'scope'> {
  /** A scope, or scopes by audience (`{ default: 'openid', 'https://api/': 'read' }`). */
  scope?: string | Record<string, string>;
}

/** Where auth0-spa-js caches tokens. Accepted; the worker keeps them (see MIGRATING.md). */
export type CacheLocation = 'memory' | 'localstorage';

/**
 * Options of {@link createAuth0Client}: every option of auth0-spa-js 2.27, plus where the worker
 * is. Security settings live in the worker script: `domain`, `clientId`, `issuer`, `useDpop` and
 * `leeway` may be repeated here and must then equal the worker's (else `InvalidConfigurationError`
 * naming the worker option); the token-storage options are fulfilled by the worker and accepted
 * as they are. MIGRATING.md maps each option to the worker config.
 */
export interface Auth0ClientOptions {
  /** URL of the worker script that calls `installAuthWorker`; default `/auth-worker.js`. */
  workerUrl?: string;
  /** `module` (default) for an ES-module worker script, `classic` otherwise. */
  workerType?: 'module' | 'classic';
  /** Registration scope; default: the script's directory. */
  workerScope?: string;
  /** Optional: when given, must equal the worker's, which catches a page wired to the wrong worker. */
  domain?: string;
  /** Optional: when given, must equal the worker's. */
  clientId?: string;
  /** Optional: when given, must equal the worker's issuer (`https://<domain>/`). */
  issuer?: string;
  /** Optional: when given, must equal the worker config's `leeway`. */
  leeway?: number;
  /** Optional: when given, must equal the worker config's `useDpop`. */
  useDpop?: boolean;
  /** Accepted: the worker keeps tokens (memory + IndexedDB for the refresh token), never Web Storage. */
  cacheLocation?: CacheLocation;
  /** Accepted, not used: tokens never reach the page, so a page cache has nothing to hold. */
  cache?: unknown;
  /** Accepted: the worker always uses refresh tokens (worker option `refreshTokenStorage`). */
  useRefreshTokens?: boolean;
  /**
   * When the worker holds no usable refresh token, fall back to silent authentication (a hidden
   * iframe with `prompt=none`) in `getTokenSilently` and `checkSession`. Default `false`, as in
   * auth0-spa-js — except with a worker in the memory custody mode (`persistence: 'memory'`),
   * where it is how a session resumes after the browser stopped the worker (then `fetchWithAuth`
   * resumes that way too).
   */
  useRefreshTokensFallback?: boolean;
  /** Accepted: the worker reuses a refresh token across audiences of its allow-list. */
  useMrrt?: boolean;
  /** Accepted: the worker posts form-encoded token requests. */
  useFormData?: boolean;
  /** Accepted: the worker's `httpTimeoutMs` governs its requests. */
  httpTimeoutInSeconds?: number;
  /** Accepted, not used: the worker sends its own telemetry. */
  auth0Client?: { name: string; version: string; env?: { [key: string]: string } };
  /** Accepted, not used: no cookies are set by the page. */
  legacySameSiteCookie?: boolean;
  /** Accepted, not used: transactions live in the worker. */
  useCookiesForTransactions?: boolean;
  /** Accepted, not used: no `auth0.is.authenticated` cookie; the worker knows. */
  sessionCheckExpiryDays?: number;
  /** Accepted, not used: no cookies are set by the page. */
  cookieDomain?: string;
  /** Accepted, not used: the worker's clock checks expiry and ID tokens. */
  nowProvider?: () => Promise<number> | number;
  /** Accepted: the worker refreshes with its own refresh tokens. */
  refreshTokenMode?: 'offline' | 'online';
  /** `popup`: on `mfa_required`, `getTokenSilently` opens a login popup (the step-up) and tries again. */
  interactiveErrorHandler?: 'popup';
  /** Defaults for every login (the worker enforces what it allows). */
  authorizationParams?: ClientAuthorizationParams;
  /** Accepted, not used: anonymous sessions live in the worker. */
  anonymousSessionsCacheMode?: 'localStorage' | 'memory';
  /** Accepted, not used. */
  createAnonymousSessionOnFailedSilentAuth?: boolean;
  /** Accepted, not used: pass `session_transfer_token` in `authorizationParams`. */
  sessionTransferTokenQueryParamName?: string;
  /** Accepted, not used. */
  enterpriseConnect?: boolean;
  /** How long to wait for the worker to install and take control, seconds; default 10. */
  connectTimeoutInSeconds?: number;
  /** How long any call to the worker may take, seconds; default 60. */
  workerTimeoutInSeconds?: number;
  /** How long a popup or silent (iframe) login may take, seconds; default 60 (as auth0-spa-js). */
  authorizeTimeoutInSeconds?: number;
}

/** `getConfiguration()`'s answer (auth0-spa-js's `ClientConfiguration`). */
export interface ClientConfiguration {
  /** The authorization server, as the worker is configured. */
  domain: string;
  /** The client id, as the worker is configured. */
  clientId: string;
}

/** Options of {@link Auth0Client.loginWithPopup}. */
export interface PopupLoginOptions {
  /** `/authorize` parameters for this login, merged over the defaults. */
  authorizationParams?: AuthorizationParams;
}

/** Options of {@link Auth0Client.getTokenWithPopup}. */
export interface GetTokenWithPopupOptions extends PopupLoginOptions {
  /** `on` (default): a cached token while valid; `off`: log in again; `cache-only`: never open a popup. */
  cacheMode?: 'on' | 'off' | 'cache-only';
}

/** How {@link Auth0Client.loginWithPopup} runs its popup. */
export interface PopupConfigOptions {
  /** A window you opened yourself (synchronously, in the click handler); `null` opens one. */
  popup?: Window | null;
  /** Default: `authorizeTimeoutInSeconds`. */
  timeoutInSeconds?: number;
  /** Close the popup when done; default `true`. */
  closePopup?: boolean;
}

/** Options of {@link Auth0Client.connectAccountWithRedirect} (auth0-spa-js's shape). */
// biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
export interface RedirectConnectAccountOptions<TAppState = any> {
  /** The connection to link, e.g. `google-oauth2`. */
  connection: string;
  /** Scopes to ask the provider for. */
  scopes?: string[];
  /** Extra parameters for the provider's authorization request. */
  authorization_params?: AuthorizationParams;
  /** Optional: when given, must equal the worker's `redirect_uri` (the worker completes the flow there). */
  redirectUri?: string;
  /** Any JSON data, handed back by `handleRedirectCallback()`. */
  appState?: TAppState;
  /** Navigate yourself; default `window.location.assign(url)`. */
  openUrl?: (url: string) => void | Promise<void>;
}

/** Options of {@link Auth0Client.loginWithCustomTokenExchange} (auth0-spa-js's shape). */
export interface CustomTokenExchangeOptions {
  /** The token to exchange (from your legacy system or partner). */
  subject_token: string;
  /** Its type: a URI your tenant's token-exchange profile accepts. */
  subject_token_type: string;
  /** The API to get a token for. */
  audience?: string;
  /** Scopes to ask for. */
  scope?: string;
  /** An organization to log in to. */
  organization?: string;
  /** The token of an actor acting for the subject (delegation). */
  actor_token?: string;
  /** The actor token's type. */
  actor_token_type?: string;
  [extra: string]: unknown;
}

/** What `handleRedirectCallback` returns after a login (auth0-spa-js's `RedirectLoginResult`). */
// biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
export interface RedirectLoginResult<TAppState = any> {
  /** What `loginWithRedirect` was given as `appState`. */
  appState?: TAppState;
  /** `code`: a login. */
  response_type: 'code';
}

/** What `handleRedirectCallback` returns after `connectAccountWithRedirect` (auth0-spa-js's). */
// biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
export type ConnectAccountRedirectResult<TAppState = any> = ConnectedAccount & {
  appState?: TAppState;
  response_type: 'connect_code';
};

/** What `handleRedirectCallback` returns. */
// biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
export type RedirectCallbackResult<TAppState = any> =
  | RedirectLoginResult<TAppState>
  | ConnectAccountRedirectResult<TAppState>;

/** Options of {@link Auth0Client.loginWithRedirect}. */
// biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
export interface RedirectLoginOptions<TAppState = any> {
  /** `/authorize` parameters for this login, merged over the defaults. */
  authorizationParams?: AuthorizationParams;
  /** Any JSON data, handed back by `handleRedirectCallback()`. */
  appState?: TAppState;
  /** Appended to the `/authorize` URL as its fragment (`#…`), as auth0-spa-js does. */
  fragment?: string;
  /**
   * auth0-spa-js's old name of `openUrl`, honoured the same way.
   *
   * @deprecated Use `openUrl`.
   */
  onRedirect?: (url: string) => Promise<void>;
  /** Navigate yourself (e.g. in a native shell); default `window.location.assign(url)`. */
  openUrl?: (url: string) => void | Promise<void>;
}

/** Options of {@link Auth0Client.logout}. */
export interface LogoutOptions {
  /** Optional: when a string, must equal the worker's `clientId`; `null` is accepted (the worker's client is used). */
  clientId?: string | null;
  /** `returnTo` (checked by the worker), `federated`, and custom parameters for the logout URL. */
  logoutParams?: {
    returnTo?: string;
    federated?: boolean;
    // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's shape.
    [key: string]: any;
  };
  /**
   * auth0-spa-js's old name of `openUrl`, honoured the same way.
   *
   * @deprecated Use `openUrl`.
   */
  onRedirect?: (url: string) => Promise<void>;
  /** `false`: end the session here without visiting the server's logout page; or navigate yourself. */
  openUrl?: false | ((url: string) => void | Promise<void>);
}

/** Options of {@link Auth0Client.revokeRefreshToken}. */
export interface RevokeRefreshTokenOptions {
  /** Whose refresh token to revoke; default the worker config's audience. */
  audience?: string;
}

/** Options of {@link Auth0Client.getTokenSilently}. */
export interface GetTokenSilentlyOptions {
  /** The audience and scope of the token (`redirect_uri` is the worker's own). */
  authorizationParams?: {
    /** Not on the page: the worker uses its own `redirect_uri`. */
    redirect_uri?: string;
    scope?: string;
    audience?: string;
    // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's shape.
    [key: string]: any;
  };
  /**
   * `on` (default): a cached token while valid; `off`: refresh now; `cache-only`: never refresh,
   * and resolve `undefined` when the worker holds no valid token (as auth0-spa-js).
   */
  cacheMode?: 'on' | 'off' | 'cache-only';
  /**
   * `true`: resolve with `{ access_token, token_type, expires_in, scope }` instead of the token.
   */
  detailedResponse?: boolean;
  /** For the silent-authentication fallback; default `authorizeTimeoutInSeconds`. */
  timeoutInSeconds?: number;
}

/**
 * The page side of auth0-enclave, with the API of `@auth0/auth0-spa-js`. It holds no secret:
 * every token and key lives in the service worker, which it reaches over one RPC connection.
 *
 * @example
 * ```ts
 * import { createAuth0Client } from 'auth0-enclave';
 *
 * const auth0 = await createAuth0Client({ workerUrl: '/auth-worker.js' });
 * if (!(await auth0.isAuthenticated())) await auth0.loginWithRedirect();
 * const notes = await (await auth0.fetchWithAuth('https://api.example/v1/notes')).json();
 * ```
 */
export class Auth0Client {
  readonly #connection: WorkerConnection;
  readonly #events = new SessionEvents();
  readonly #options: Auth0ClientOptions;
  readonly #authorizeTimeoutMs: number;
  /** Step-up MFA after an `MfaRequiredError` (auth0-spa-js's `auth0.mfa`); see {@link MfaApiClient}. */
  readonly mfa: MfaApiClient;
  /** Passkey signup and login (auth0-spa-js's `auth0.passkey`); see {@link PasskeyApiClient}. */
  readonly passkey: PasskeyApiClient;
  /** The user's account (auth0-spa-js's `auth0.myAccount`); see {@link MyAccountApiClient}. */
  readonly myAccount: MyAccountApiClient;
  /** Anonymous sessions (auth0-spa-js's `auth0.anonymous`); see {@link AnonymousSessionApiClient}. */
  readonly anonymous: AnonymousSessionApiClient;

  /** The worker keeps the session in memory only (its config's `persistence: 'memory'`). */
  #memoryCustody = false;

  /** Whether a missing session falls back to a silent login: the option, else memory custody. */
  get #silentFallback(): boolean {
    return this.#options.useRefreshTokensFallback ?? this.#memoryCustody;
  }

  constructor(options: Auth0ClientOptions = {}) {
    assertObject(options, 'options');
    assertOptionalString(options.workerUrl, 'options.workerUrl');
    assertOptionalString(options.domain, 'options.domain');
    assertOptionalString(options.clientId, 'options.clientId');
    if (options.workerType !== undefined && !['module', 'classic'].includes(options.workerType)) {
      throw new TypeError('"options.workerType" must be "module" or "classic"');
    }
    if (
      options.useRefreshTokensFallback !== undefined &&
      typeof options.useRefreshTokensFallback !== 'boolean'
    ) {
      throw new TypeError('"options.useRefreshTokensFallback" must be a boolean');
    }
    this.#options = options;
    this.#authorizeTimeoutMs = seconds(
      options.authorizeTimeoutInSeconds,
      60,
      'options.authorizeTimeoutInSeconds',
    );
    this.#connection = new WorkerConnection({
      workerUrl: options.workerUrl ?? '/auth-worker.js',
      workerType: options.workerType ?? 'module',
      scope: options.workerScope,
      connectTimeoutMs: seconds(
        options.connectTimeoutInSeconds,
        10,
        'options.connectTimeoutInSeconds',
      ),
      callTimeoutMs: seconds(options.workerTimeoutInSeconds, 60, 'options.workerTimeoutInSeconds'),
      onUpdateWaiting: () => this.#events.emitUpdate(),
    });
    this.mfa = new MfaApiClient(this.#connection);
    this.passkey = new PasskeyApiClient(this.#connection);
    // Forwarders to the worker, which does all of their work (forwarding-client.ts).
    this.myAccount = forwardingClient(this.#connection, 'myAccount');
    this.anonymous = forwardingClient(this.#connection, 'anonymous', anonymousOwn());
  }

  /**
   * Connects to the worker and checks that it is the one this page expects. Called by
   * {@link createAuth0Client}; other methods connect on first use.
   */
  async connect(): Promise<void> {
    await this.#connection.ready();
    const config = await this.#workerConfiguration();
    // Memory custody: the session lives only in the worker, so this page keeps it alive while
    // open, and a stopped worker's session resumes by a silent login (unless the app said no).
    if (config.persistence === 'memory') {
      this.#memoryCustody = true;
      this.#connection.holdOpen();
    }
    // A page may repeat a worker-owned option: the check (and its messages) loads only when one
    // is not written exactly as the worker's, which it may still equal (a domain with a scheme).
    const options = this.#options;
    if (
      WORKER_OWNED_OPTIONS.some(
        (name) => options[name] !== undefined && options[name] !== config[name],
      )
    ) {
      const { checkPageOptions } = await import('./on-demand.js');
      checkPageOptions(PAGE_KIT, WORKER_OWNED_OPTIONS, options, config, this.#workerUrl());
    }
  }

  /**
   * The app's `domain` and `clientId`, synchronously (auth0-spa-js's shape): the worker's, learnt
   * in the connect handshake. Before `connect()` (a client built with `new Auth0Client` and not
   * used yet) the page options' values; without them, `InvalidStateError`.
   */
  getConfiguration(): Readonly<ClientConfiguration> {
    const config = this.#connection.configuration ?? this.#options;
    const { domain, clientId } = config;
    if (domain === undefined || clientId === undefined) {
      throw new InvalidStateError({
        message: 'getConfiguration(): connect first (await createAuth0Client()).',
      });
    }
    return Object.freeze({ domain, clientId });
  }

  /** The worker's whole public configuration (allow-list, DPoP, exposure settings); no secrets. */
  getWorkerConfiguration(): Promise<PublicConfiguration> {
    return this.#connection.call('getConfiguration');
  }

  /** The handshake's configuration, or the worker's answer when the worker predates it. */
  async #workerConfiguration(): Promise<PublicConfiguration> {
    await this.#connection.ready();
    return this.#connection.configuration ?? this.getWorkerConfiguration();
  }

  #workerUrl(): string {
    return this.#options.workerUrl ?? '/auth-worker.js';
  }

  /** Page defaults and the call's parameters, with a per-audience `scope` resolved. */
  #params(call: AuthorizationParams = {}): PageAuthorizationParams {
    const { scope, ...defaults } = this.#options.authorizationParams ?? {};
    const merged = { ...defaults, ...call };
    const pageScope =
      typeof scope === 'object' ? (scope[merged.audience ?? 'default'] ?? scope.default) : scope;
    return (
      pageScope === undefined ? merged : { scope: pageScope, ...merged }
    ) as PageAuthorizationParams;
  }

  /** Starts a login: the worker prepares the transaction, the page navigates to `/authorize`. */
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
  async loginWithRedirect<TAppState = any>(
    options: RedirectLoginOptions<TAppState> = {},
  ): Promise<void> {
    assertObject(options, 'options');
    const { url } = await this.#connection.call('startLogin', {
      authorizationParams: this.#params(options.authorizationParams),
      appState: options.appState,
    });
    const target = options.fragment ? `${url}#${options.fragment}` : url;
    const open = options.openUrl ?? options.onRedirect;
    if (open) await open(target);
    else window.location.assign(target);
  }

  /**
   * Finishes a login. The worker already redeemed the callback when the browser came back (the
   * address bar never shows the code); this returns the login's `appState`, or throws its typed
   * error. If a callback URL reached the page without the worker (a hard reload), pass it — or
   * call without arguments on that page — and the worker redeems it.
   */
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
  async handleRedirectCallback<TAppState = any>(
    url?: string,
  ): Promise<RedirectCallbackResult<TAppState>> {
    const href = url ?? window.location.href;
    let outcome: LoginOutcome;
    if (new URL(href).searchParams.has('state')) {
      outcome = await this.#connection.call('redeemCallback', href);
      if (url === undefined) cleanAddressBar();
    } else {
      outcome = await this.#connection.call('takeLoginResult');
    }
    const appState = outcome.appState as TAppState;
    return outcome.connected
      ? { ...outcome.connected, appState, response_type: 'connect_code' }
      : { appState, response_type: 'code' };
  }

  /**
   * Logs in in a popup (opened synchronously by this call, so call it from a click handler). The
   * popup's return to `redirect_uri` is intercepted and redeemed by the worker; this page learns
   * the outcome by id. Rejects with `PopupOpenError` (blocked), `PopupCancelledError` (closed by
   * the user) or `PopupTimeoutError`.
   */
  async loginWithPopup(
    options: PopupLoginOptions = {},
    config: PopupConfigOptions = {},
  ): Promise<void> {
    assertObject(options, 'options');
    assertObject(config, 'config');
    // Opened before any await: browsers allow popups only in the user's gesture.
    const popup = config.popup ?? openPopup();
    if (!popup) throw new PopupOpenError();
    try {
      const timeoutMs =
        config.timeoutInSeconds === undefined
          ? this.#authorizeTimeoutMs
          : seconds(config.timeoutInSeconds, 60, 'config.timeoutInSeconds');
      const { loginInPopup } = await import('./on-demand.js');
      await loginInPopup(PAGE_KIT, {
        connection: this.#connection,
        popup,
        authorizationParams: this.#params(options.authorizationParams),
        timeoutMs,
        closePopup: config.closePopup ?? true,
      });
    } catch (error) {
      if (!config.popup && !popup.closed) popup.close();
      throw error;
    }
  }

  /**
   * `loginWithPopup`, then {@link getTokenSilently}: the token is returned only when the worker
   * config sets `exposeAccessTokens` (otherwise the login happened and this rejects with
   * `TokenNotExposedError`).
   */
  async getTokenWithPopup(
    options: GetTokenWithPopupOptions = {},
    config: PopupConfigOptions = {},
  ): Promise<string> {
    await this.loginWithPopup(options, config);
    const { audience, scope } = options.authorizationParams ?? {};
    const token = await this.getTokenSilently({
      authorizationParams: {
        ...(typeof audience === 'string' ? { audience } : {}),
        ...(typeof scope === 'string' ? { scope } : {}),
      },
      cacheMode: options.cacheMode === 'off' ? 'off' : 'on',
    });
    return token;
  }

  /** Whether the worker holds a session. */
  async isAuthenticated(): Promise<boolean> {
    return (await this.#connection.call('getSession')).authenticated;
  }

  /** The user's profile (ID-token claims without the protocol ones), or `undefined`. */
  async getUser<TUser extends User = User>(): Promise<TUser | undefined> {
    return (await this.#connection.call('getSession')).user as TUser | undefined;
  }

  /** The ID token's claims (the raw token stays in the worker), or `undefined`. */
  getIdTokenClaims(): Promise<IdTokenClaims | undefined> {
    return this.#connection.call('getIdTokenClaims');
  }

  /**
   * Makes sure the session is usable, refreshing the access token if needed. Errors that only
   * mean "not logged in" are swallowed, as in auth0-spa-js.
   */
  async checkSession(options: GetTokenSilentlyOptions = {}): Promise<void> {
    if (!(await this.isAuthenticated()) && !this.#silentFallback) return;
    try {
      await this.#withSilentFallback(options, () =>
        this.#connection.call('checkSession', tokenOptions(options.authorizationParams)),
      );
    } catch (error) {
      // A missing refresh token means "not logged in" too (spa-js's useRefreshTokens errors).
      if (error instanceof MissingRefreshTokenError) return;
      if (error instanceof EnclaveError && RECOVERABLE.has(error.error)) return;
      throw error;
    }
  }

  /**
   * Makes sure the worker holds a valid access token. Returns it only when the worker config sets
   * `exposeAccessTokens: true`; otherwise rejects with `TokenNotExposedError` — call the API with
   * {@link fetchWithAuth} instead. With `useRefreshTokensFallback`, a missing or refused refresh
   * token falls back to silent authentication in a hidden iframe.
   */
  async getTokenSilently(
    options: GetTokenSilentlyOptions & { detailedResponse: true; cacheMode: 'cache-only' },
  ): Promise<TokenDetails | undefined>;
  async getTokenSilently(
    options: GetTokenSilentlyOptions & { detailedResponse: true },
  ): Promise<TokenDetails>;
  async getTokenSilently(
    options: GetTokenSilentlyOptions & { cacheMode: 'cache-only' },
  ): Promise<string | undefined>;
  async getTokenSilently(options?: GetTokenSilentlyOptions): Promise<string>;
  async getTokenSilently(
    options: GetTokenSilentlyOptions = {},
  ): Promise<string | TokenDetails | undefined> {
    const call = () =>
      this.#connection.call('getTokenSilently', {
        ...tokenOptions(options.authorizationParams),
        ...(options.cacheMode ? { cacheMode: options.cacheMode } : {}),
      });
    let details: TokenDetails;
    try {
      details = await this.#withSilentFallback(options, call);
    } catch (error) {
      // spa-js: nothing cached is `undefined` in cache-only mode, not an error.
      if (options.cacheMode === 'cache-only' && error instanceof LoginRequiredError) return;
      // spa-js's interactiveErrorHandler: 'popup': on mfa_required, step up in a popup and try again.
      if (this.#options.interactiveErrorHandler !== 'popup' || !(error instanceof MfaRequiredError))
        throw error;
      await this.loginWithPopup({ authorizationParams: options.authorizationParams ?? {} });
      details = await call();
    }
    return options.detailedResponse ? details : details.access_token;
  }

  /** Runs `call`; when it needs a login and the fallback is on, logs in silently and runs it again. */
  async #withSilentFallback<T>(
    options: GetTokenSilentlyOptions,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const needsLogin =
        error instanceof LoginRequiredError || error instanceof MissingRefreshTokenError;
      if (!needsLogin || !this.#silentFallback || options.cacheMode === 'cache-only') {
        throw error;
      }
      const timeoutMs =
        options.timeoutInSeconds === undefined
          ? this.#authorizeTimeoutMs
          : seconds(options.timeoutInSeconds, 60, 'options.timeoutInSeconds');
      const { loginSilently } = await import('./on-demand.js');
      await loginSilently(PAGE_KIT, {
        connection: this.#connection,
        authorizationParams: this.#params(options.authorizationParams),
        timeoutMs,
      });
      return call();
    }
  }

  /**
   * Custom Token Exchange (RFC 8693): exchanges a token from your own system for this app's
   * tokens, which establish the session in the worker. Resolves with a summary — the access token
   * only when the worker config sets `exposeAccessTokens`.
   */
  loginWithCustomTokenExchange(options: CustomTokenExchangeOptions): Promise<TokenExchangeSummary> {
    assertObject(options, 'options');
    return this.#connection.call('exchangeToken', options, 'login');
  }

  /**
   * Custom Token Exchange without a session, as in auth0-spa-js: the exchange happens in the
   * worker and the session is left as it was. Resolves with a summary — the access token only
   * when the worker config sets `exposeAccessTokens` (it is not kept anywhere else).
   */
  customTokenExchange(options: CustomTokenExchangeOptions): Promise<TokenExchangeSummary> {
    assertObject(options, 'options');
    return this.#connection.call('exchangeToken', options, 'exchange');
  }

  /**
   * Alias of {@link loginWithCustomTokenExchange}, the name auth0-spa-js used before.
   *
   * @deprecated Use {@link loginWithCustomTokenExchange}.
   */
  exchangeToken(options: CustomTokenExchangeOptions): Promise<TokenExchangeSummary> {
    return this.loginWithCustomTokenExchange(options);
  }

  /**
   * Links an account of another provider to the user (Auth0's My Account API). The worker gets
   * the My Account token itself and starts the flow; the browser goes to the provider; the worker
   * completes it when the browser comes back, and `handleRedirectCallback()` then returns the
   * connected account with `response_type: 'connect_code'`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's default.
  async connectAccountWithRedirect<TAppState = any>(
    options: RedirectConnectAccountOptions<TAppState>,
  ): Promise<void> {
    assertObject(options, 'options');
    const { openUrl, redirectUri, ...connect } = options;
    if (redirectUri !== undefined) {
      const { authorizationParams } = await this.#workerConfiguration();
      await sameAsWorker('redirectUri', redirectUri, authorizationParams.redirect_uri);
    }
    const { url } = await this.#connection.call('startConnect', connect);
    if (openUrl) await openUrl(url);
    else window.location.assign(url);
  }

  /** Revokes the refresh token for an audience (the login's by default) at the server and forgets it. */
  revokeRefreshToken(options: RevokeRefreshTokenOptions = {}): Promise<void> {
    return this.#connection.call('revokeRefreshToken', options);
  }

  /**
   * Ends the session: the worker revokes the refresh token, wipes keys and tokens, tells every tab,
   * and the page goes to the server's logout URL (unless `openUrl: false`).
   */
  async logout(options: LogoutOptions = {}): Promise<void> {
    assertObject(options, 'options');
    const { returnTo, federated, ...custom } = options.logoutParams ?? {};
    if (typeof options.clientId === 'string') {
      await sameAsWorker(
        'clientId',
        options.clientId,
        (await this.#workerConfiguration()).clientId,
      );
    }
    const address = await this.#connection.call('logout', {
      ...(returnTo ? { returnTo } : {}),
      ...(federated ? { federated: true } : {}),
      localOnly: options.openUrl === false,
    });
    if (!address || options.openUrl === false) return;
    // Custom parameters go on the logout URL as spa-js puts them; the worker's own win.
    const url = new URL(address);
    for (const [name, value] of Object.entries(custom))
      if (value !== undefined && !url.searchParams.has(name))
        url.searchParams.set(name, String(value));
    const open = options.openUrl ?? options.onRedirect;
    if (open) await open(url.href);
    else window.location.assign(url.href);
  }

  /**
   * `fetch()` with the access token (and a DPoP proof) attached by the worker, for URLs on the
   * worker's `apis` allow-list. Fails closed with a typed error when there is no session or the
   * URL is not allowed, and never sends anything the worker did not see.
   */
  fetchWithAuth(
    input: RequestInfo | URL,
    init?: RequestInit,
    options?: TokenOptions,
  ): Promise<Response> {
    const send = () => fetchWithAuth(() => this.#connection.ready(), input, init, options);
    // Memory custody: a worker the browser stopped lost the session; resume it silently and send
    // again (a streamed body cannot be sent twice: that request fails typed instead).
    return this.#memoryCustody && this.#silentFallback
      ? this.#withSilentFallback({}, send)
      : send();
  }

  /**
   * A {@link Fetcher} with a base URL and default token options (auth0-spa-js's shape). `fetch`
   * replaces the global fetch (it receives the request the worker will authenticate);
   * `getAccessToken` only where the worker config sets `exposeAccessTokens` (else
   * `InvalidConfigurationError`); `dpopNonceId` is accepted — the worker keeps nonces per origin.
   */
  createFetcher<TOutput extends CustomFetchMinimalOutput = Response>(
    config: FetcherConfig<TOutput> = {},
  ): Fetcher<TOutput> {
    if (config.getAccessToken && this.#connection.configuration?.exposeAccessTokens !== true) {
      throw new InvalidConfigurationError({
        message: 'createFetcher: getAccessToken needs exposeAccessTokens in the worker config.',
        suggestion: 'Drop getAccessToken: the worker attaches the token.',
      });
    }
    return createFetcher(() => this.#connection.ready(), config);
  }

  /** The DPoP nonce the worker holds for a server origin (the authorization server by default). */
  getDpopNonce(origin?: string): Promise<string | undefined> {
    return this.#connection.call('getDpopNonce', origin);
  }

  /** Sets a server's DPoP nonce. Rejects with `NotAllowedError` unless the worker sets `exposeDpopProofs`. */
  setDpopNonce(nonce: string, origin?: string): Promise<void> {
    return this.#connection.call('setDpopNonce', nonce, origin);
  }

  /**
   * Has the worker sign a DPoP proof with the session key (for a client that must build its own
   * requests). Rejects with `NotAllowedError` unless the worker sets `exposeDpopProofs`.
   */
  generateDpopProof(options: {
    url: string;
    method: string;
    nonce?: string;
    accessToken?: string;
  }): Promise<string> {
    return this.#connection.call('generateDpopProof', options);
  }

  /** Subscribes to `session` (login, logout, expiry — from any tab) or `update` events. */
  on<K extends keyof Auth0ClientEvents>(event: K, listener: Auth0ClientEvents[K]): () => void {
    return this.#events.on(event, listener);
  }

  /** Lets a newly installed worker version take over (after an `update` event); no reload needed. */
  applyUpdate(): Promise<void> {
    return this.#connection.applyUpdate();
  }
}

/** Errors that mean "no session", which checkSession() swallows (as auth0-spa-js does). */
const RECOVERABLE = new Set([
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'access_denied',
]);

function seconds(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`"${name}" must be a number of seconds > 0`);
  }
  return value * 1000;
}

/**
 * A per-call value that must be the worker's: an `InvalidConfigurationError` when it is not, whose
 * message and advice load only then (./spa-options.ts).
 */
async function sameAsWorker(
  what: 'clientId' | 'redirectUri',
  mine: unknown,
  theirs: unknown,
): Promise<void> {
  if (mine !== theirs) (await import('./on-demand.js')).checkSame(PAGE_KIT, what, mine, theirs);
}

/** The token options the worker takes from spa-js's `authorizationParams` (audience, scope). */
function tokenOptions(params: GetTokenSilentlyOptions['authorizationParams']): TokenOptions {
  return {
    ...(params?.audience === undefined ? {} : { audience: params.audience }),
    ...(params?.scope === undefined ? {} : { scope: params.scope }),
  };
}

function cleanAddressBar(): void {
  const url = new URL(window.location.href);
  url.search = '';
  window.history.replaceState(window.history.state, '', url.href);
}
