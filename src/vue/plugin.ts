import {
  Auth0Client,
  type CustomTokenExchangeOptions,
  type GetTokenSilentlyOptions,
  type GetTokenWithPopupOptions,
  type IdTokenClaims,
  InvalidStateError,
  type MfaApiClient,
  type PasskeyApiClient,
  type PopupConfigOptions,
  type PopupLoginOptions,
  type TokenDetails,
  type User,
} from 'auth0-enclave';
import { type App, type InjectionKey, type Ref, ref, shallowRef } from 'vue';
import { finishRedirect } from '../bindings/redirect-return.js';
import type { Auth0VueClient } from './auth0-vue-client.js';

import type {
  AppState,
  Auth0PluginOptions,
  Auth0VueClientOptions,
  LogoutOptions,
  RedirectLoginOptions,
} from './options.js';

/** The global property name (`this.$auth0` in the options API), as in auth0-vue. */
export const AUTH0_TOKEN = '$auth0';

/** The injection key of the client (`inject(AUTH0_INJECTION_KEY)`), as in auth0-vue. */
export const AUTH0_INJECTION_KEY: InjectionKey<Auth0VueClient> = Symbol('$auth0');

/** The installed plugin, for `authGuard` without an app (auth0-vue's module-level `client`). */
export const client: Ref<Auth0VueClient | undefined> = shallowRef();

/** What the plugin needs of a vue-router router (optional: no import of vue-router). */
interface RouterLike {
  push(to: string): unknown;
}

/**
 * The plugin `createAuth0()` returns; also what `useAuth0()` injects. Its methods are bound, so
 * they can be destructured (`const { loginWithRedirect } = useAuth0()`).
 */
export class Auth0Plugin implements Auth0VueClient {
  readonly #clientOptions: Auth0VueClientOptions;
  readonly #pluginOptions: Auth0PluginOptions;
  #client: Auth0Client | undefined;
  isLoading = ref(true);
  isAuthenticated = ref(false);
  user: Ref<User | undefined> = ref();
  idTokenClaims: Ref<IdTokenClaims | undefined> = ref();
  // biome-ignore lint/suspicious/noExplicitAny: auth0-vue's type.
  error: Ref<any> = ref(null);
  mfa!: MfaApiClient;
  passkey!: PasskeyApiClient;
  fetchWithAuth: Auth0Client['fetchWithAuth'] = (input, init, options) =>
    this.#installed().fetchWithAuth(input, init, options);

  constructor(clientOptions: Auth0VueClientOptions = {}, pluginOptions: Auth0PluginOptions = {}) {
    this.#clientOptions = clientOptions;
    this.#pluginOptions = pluginOptions;
    // Methods are handed around detached (`provide`, destructuring): bind them once.
    for (const name of Object.getOwnPropertyNames(Auth0Plugin.prototype)) {
      const value = (this as unknown as Record<string, unknown>)[name];
      if (name !== 'constructor' && typeof value === 'function') {
        Object.defineProperty(this, name, { value: value.bind(this), writable: true });
      }
    }
  }

  /** Builds the page client, finishes a redirect login or checks the session, provides itself. */
  install(app: App): void {
    const auth0 = new Auth0Client(this.#clientOptions);
    this.#client = auth0;
    this.mfa = auth0.mfa;
    this.passkey = auth0.passkey;
    app.config.globalProperties[AUTH0_TOKEN] = this;
    app.provide(AUTH0_INJECTION_KEY, this);
    client.value = this;
    // Logins and logouts in other tabs (and refresh failures) update the refs here too.
    auth0.on('session', () => void this.#refreshState());
    const router = (app.config.globalProperties as { $router?: RouterLike }).$router;
    void this.#start(auth0, router);
  }

  async #start(auth0: Auth0Client, router: RouterLike | undefined): Promise<void> {
    let finishing = false;
    try {
      await auth0.connect();
      const result = this.#pluginOptions.skipRedirectCallback
        ? undefined
        : await finishRedirect(auth0);
      if (result) {
        finishing = true;
        const target = (result.appState as AppState | undefined)?.target;
        if (router) {
          window.history.replaceState({}, '', window.location.pathname);
          // Not awaited: the target's guard waits for `isLoading`, which ends below.
          void router.push(target ?? '/');
        } else {
          window.history.replaceState({}, '', target ?? window.location.pathname);
        }
      } else {
        await auth0.checkSession();
      }
    } catch (error) {
      // Never thrown from install(): the error is the `error` ref, as in auth0-vue; a failed
      // callback page is left for the error path.
      this.error.value = error;
      if (finishing || router) window.history.replaceState({}, '', '/');
      if (router) void router.push(this.#pluginOptions.errorPath ?? '/');
    } finally {
      await this.#refreshState();
    }
  }

  #installed(): Auth0Client {
    if (!this.#client) {
      throw new InvalidStateError({
        message: 'auth0-enclave/vue: install the plugin first (app.use(createAuth0())).',
      });
    }
    return this.#client;
  }

  async #refreshState(): Promise<void> {
    const auth0 = this.#installed();
    try {
      const user = await auth0.getUser();
      this.isAuthenticated.value = user !== undefined;
      this.user.value = user;
      this.idTokenClaims.value = user === undefined ? undefined : await auth0.getIdTokenClaims();
    } catch (error) {
      this.error.value = error;
    } finally {
      this.isLoading.value = false;
    }
  }

  /** Runs a call; `error` records its outcome and the refs are read again (auth0-vue's proxy). */
  async #proxy<T>(call: () => Promise<T>, refresh = true): Promise<T> {
    try {
      const result = await call();
      this.error.value = null;
      return result;
    } catch (error) {
      this.error.value = error;
      throw error;
    } finally {
      if (refresh) await this.#refreshState();
    }
  }

  loginWithRedirect(options?: RedirectLoginOptions<AppState>): Promise<void> {
    return this.#installed().loginWithRedirect(options);
  }

  loginWithPopup(options?: PopupLoginOptions, config?: PopupConfigOptions): Promise<void> {
    return this.#proxy(() => this.#installed().loginWithPopup(options, config));
  }

  logout(options?: LogoutOptions): Promise<void> {
    if (options?.openUrl !== undefined) {
      return this.#proxy(() => this.#installed().logout(options));
    }
    return this.#installed().logout(options);
  }

  getAccessTokenSilently(
    options: GetTokenSilentlyOptions & { detailedResponse: true },
  ): Promise<TokenDetails | undefined>;
  getAccessTokenSilently(options?: GetTokenSilentlyOptions): Promise<string | undefined>;
  getAccessTokenSilently(
    options: GetTokenSilentlyOptions = {},
  ): Promise<string | TokenDetails | undefined> {
    return this.#proxy(() => this.#installed().getTokenSilently(options));
  }

  getAccessTokenWithPopup(
    options?: GetTokenWithPopupOptions,
    config?: PopupConfigOptions,
  ): Promise<string | undefined> {
    return this.#proxy(() => this.#installed().getTokenWithPopup(options, config));
  }

  loginWithCustomTokenExchange(options: CustomTokenExchangeOptions) {
    return this.#proxy(() => this.#installed().loginWithCustomTokenExchange(options));
  }

  checkSession(options?: GetTokenSilentlyOptions): Promise<void> {
    return this.#proxy(() => this.#installed().checkSession(options));
  }

  handleRedirectCallback(url?: string) {
    return this.#proxy(() => this.#installed().handleRedirectCallback<AppState>(url));
  }

  getDpopNonce(origin?: string): Promise<string | undefined> {
    return this.#proxy(() => this.#installed().getDpopNonce(origin), false);
  }

  setDpopNonce(nonce: string, origin?: string): Promise<void> {
    return this.#proxy(() => this.#installed().setDpopNonce(nonce, origin), false);
  }

  generateDpopProof(params: Parameters<Auth0Client['generateDpopProof']>[0]): Promise<string> {
    return this.#proxy(() => this.#installed().generateDpopProof(params), false);
  }

  createFetcher: Auth0Client['createFetcher'] = (config) => this.#installed().createFetcher(config);
}
