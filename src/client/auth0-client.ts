import { assertObject, assertOptionalString } from '../core/assert.js';
import {
  EnclaveError,
  InvalidConfigurationError,
  LoginRequiredError,
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
import {
  createFetcher,
  type Fetcher,
  type FetcherConfig,
  fetchWithAuth,
} from './fetch-with-auth.js';
import { MfaApiClient } from './mfa.js';
import { PasskeyApiClient } from './passkey.js';
import { openPopup } from './popup-window.js';
import { type Auth0ClientEvents, SessionEvents } from './session-events.js';
import { WorkerConnection } from './worker-connection.js';

/** Options of {@link createAuth0Client}. Security settings are not here: they live in the worker script. */
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
  /** Defaults for `loginWithRedirect` (the worker enforces what it allows). */
  authorizationParams?: PageAuthorizationParams;
  /** How long to wait for the worker to install and take control, seconds; default 10. */
  connectTimeoutInSeconds?: number;
  /** How long any call to the worker may take, seconds; default 60. */
  workerTimeoutInSeconds?: number;
  /** How long a popup or silent (iframe) login may take, seconds; default 60 (as auth0-spa-js). */
  authorizeTimeoutInSeconds?: number;
  /**
   * When the worker holds no usable refresh token, fall back to silent authentication (a hidden
   * iframe with `prompt=none`) in `getTokenSilently` and `checkSession`. Default `false`, as in
   * auth0-spa-js — except with a worker in the memory custody mode (`persistence: 'memory'`),
   * where it is how a session resumes after the browser stopped the worker (then `fetchWithAuth`
   * resumes that way too).
   */
  useRefreshTokensFallback?: boolean;
}

/** Options of {@link Auth0Client.loginWithPopup}. */
export interface PopupLoginOptions {
  /** `/authorize` parameters for this login, merged over the defaults. */
  authorizationParams?: PageAuthorizationParams;
}

/** How {@link Auth0Client.loginWithPopup} runs its popup. */
export interface PopupConfigOptions {
  /** A window you opened yourself (synchronously, in the click handler). */
  popup?: Window;
  /** Default: `authorizeTimeoutInSeconds`. */
  timeoutInSeconds?: number;
  /** Close the popup when done; default `true`. */
  closePopup?: boolean;
}

/** Options of {@link Auth0Client.connectAccountWithRedirect} (auth0-spa-js's shape). */
export interface RedirectConnectAccountOptions<TAppState = unknown> {
  /** The connection to link, e.g. `google-oauth2`. */
  connection: string;
  /** Scopes to ask the provider for. */
  scopes?: string[];
  /** Extra parameters for the provider's authorization request. */
  authorization_params?: Record<string, unknown>;
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

/** What `handleRedirectCallback` returns (auth0-spa-js's `RedirectLoginResult` / `ConnectAccountRedirectResult`). */
export type RedirectCallbackResult<TAppState = unknown> =
  | { appState: TAppState; response_type: 'code' }
  | ({ appState: TAppState; response_type: 'connect_code' } & ConnectedAccount);

/** Options of {@link Auth0Client.loginWithRedirect}. */
export interface RedirectLoginOptions<TAppState = unknown> {
  /** `/authorize` parameters for this login, merged over the defaults. */
  authorizationParams?: PageAuthorizationParams;
  /** Any JSON data, handed back by `handleRedirectCallback()`. */
  appState?: TAppState;
  /** Navigate yourself (e.g. in a native shell); default `window.location.assign(url)`. */
  openUrl?: (url: string) => void | Promise<void>;
}

/** Options of {@link Auth0Client.logout}. */
export interface LogoutOptions {
  /**
   * `returnTo`: where the logout page sends the browser (default: the worker config's);
   * `federated`: log out of the identity provider too.
   */
  logoutParams?: { returnTo?: string; federated?: boolean };
  /** `false`: end the session here without visiting the server's logout page; or navigate yourself. */
  openUrl?: false | ((url: string) => void | Promise<void>);
}

/** Options of {@link Auth0Client.getTokenSilently}. */
export interface GetTokenSilentlyOptions {
  /** The audience and scope of the token. */
  authorizationParams?: TokenOptions;
  /**
   * `on` (default): a cached token while valid; `off`: refresh now; `cache-only`: never refresh
   * (`LoginRequiredError` when none is cached).
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
  }

  /**
   * Connects to the worker and checks that it is the one this page expects. Called by
   * {@link createAuth0Client}; other methods connect on first use.
   */
  async connect(): Promise<void> {
    await this.#connection.ready();
    const config = await this.getConfiguration();
    // Memory custody: the session lives only in the worker, so this page keeps it alive while
    // open, and a stopped worker's session resumes by a silent login (unless the app said no).
    if (config.persistence === 'memory') {
      this.#memoryCustody = true;
      this.#connection.holdOpen();
    }
    const { domain, clientId } = this.#options;
    if (domain === undefined && clientId === undefined) return;
    if (
      (domain !== undefined && !sameDomain(domain, config.domain)) ||
      (clientId !== undefined && clientId !== config.clientId)
    ) {
      throw new InvalidConfigurationError({
        message: `This page expects domain "${domain}" and client "${clientId}", but the worker at ${this.#options.workerUrl ?? '/auth-worker.js'} is configured for "${config.domain}" and "${config.clientId}".`,
      });
    }
  }

  /** The worker's configuration (it holds no secrets). */
  getConfiguration(): Promise<PublicConfiguration> {
    return this.#connection.call('getConfiguration');
  }

  /** Starts a login: the worker prepares the transaction, the page navigates to `/authorize`. */
  async loginWithRedirect<TAppState = unknown>(
    options: RedirectLoginOptions<TAppState> = {},
  ): Promise<void> {
    assertObject(options, 'options');
    const { url } = await this.#connection.call('startLogin', {
      authorizationParams: { ...this.#options.authorizationParams, ...options.authorizationParams },
      appState: options.appState,
    });
    if (options.openUrl) await options.openUrl(url);
    else window.location.assign(url);
  }

  /**
   * Finishes a login. The worker already redeemed the callback when the browser came back (the
   * address bar never shows the code); this returns the login's `appState`, or throws its typed
   * error. If a callback URL reached the page without the worker (a hard reload), pass it — or
   * call without arguments on that page — and the worker redeems it.
   */
  async handleRedirectCallback<TAppState = unknown>(
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
      const { loginInPopup } = await import('./window-login.js');
      await loginInPopup({
        connection: this.#connection,
        popup,
        authorizationParams: {
          ...this.#options.authorizationParams,
          ...options.authorizationParams,
        },
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
    options: PopupLoginOptions & { cacheMode?: 'on' | 'off' | 'cache-only' } = {},
    config: PopupConfigOptions = {},
  ): Promise<string> {
    await this.loginWithPopup(options, config);
    const { audience, scope } = options.authorizationParams ?? {};
    return this.getTokenSilently({
      authorizationParams: {
        ...(typeof audience === 'string' ? { audience } : {}),
        ...(typeof scope === 'string' ? { scope } : {}),
      },
      cacheMode: options.cacheMode ?? 'on',
    });
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
        this.#connection.call('checkSession', options.authorizationParams),
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
    options: GetTokenSilentlyOptions & { detailedResponse: true },
  ): Promise<TokenDetails>;
  async getTokenSilently(options?: GetTokenSilentlyOptions): Promise<string>;
  async getTokenSilently(options: GetTokenSilentlyOptions = {}): Promise<string | TokenDetails> {
    const details = await this.#withSilentFallback(options, () =>
      this.#connection.call('getTokenSilently', {
        ...options.authorizationParams,
        ...(options.cacheMode ? { cacheMode: options.cacheMode } : {}),
      }),
    );
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
      const { loginSilently } = await import('./window-login.js');
      await loginSilently({
        connection: this.#connection,
        authorizationParams: options.authorizationParams ?? {},
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
    return this.#connection.call('exchangeToken', options);
  }

  /** Alias of {@link loginWithCustomTokenExchange}, as in auth0-spa-js. */
  customTokenExchange(options: CustomTokenExchangeOptions): Promise<TokenExchangeSummary> {
    return this.loginWithCustomTokenExchange(options);
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
  async connectAccountWithRedirect<TAppState = unknown>(
    options: RedirectConnectAccountOptions<TAppState>,
  ): Promise<void> {
    assertObject(options, 'options');
    const { openUrl, ...connect } = options;
    const { url } = await this.#connection.call('startConnect', connect);
    if (openUrl) await openUrl(url);
    else window.location.assign(url);
  }

  /** Revokes the refresh token for an audience (the login's by default) at the server and forgets it. */
  revokeRefreshToken(options: { audience?: string } = {}): Promise<void> {
    return this.#connection.call('revokeRefreshToken', options);
  }

  /**
   * Ends the session: the worker revokes the refresh token, wipes keys and tokens, tells every tab,
   * and the page goes to the server's logout URL (unless `openUrl: false`).
   */
  async logout(options: LogoutOptions = {}): Promise<void> {
    assertObject(options, 'options');
    const params = options.logoutParams ?? {};
    const url = await this.#connection.call('logout', {
      ...(params.returnTo ? { returnTo: params.returnTo } : {}),
      ...(params.federated ? { federated: true } : {}),
      localOnly: options.openUrl === false,
    });
    if (!url || options.openUrl === false) return;
    if (typeof options.openUrl === 'function') await options.openUrl(url);
    else window.location.assign(url);
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

  /** A {@link Fetcher} with a base URL and default token options. */
  createFetcher(config?: FetcherConfig): Fetcher {
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

function sameDomain(a: string, b: string): boolean {
  const host = (value: string) =>
    value
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  return host(a) === host(b);
}

function cleanAddressBar(): void {
  const url = new URL(window.location.href);
  url.search = '';
  window.history.replaceState(window.history.state, '', url.href);
}
