import {
  Auth0Client,
  type Auth0ClientOptions,
  type CustomTokenExchangeOptions,
  type GetTokenSilentlyOptions,
  type GetTokenWithPopupOptions,
  type PopupConfigOptions,
  type PopupLoginOptions,
  type RedirectConnectAccountOptions,
  type RevokeRefreshTokenOptions,
  type User,
} from 'auth0-enclave';
import {
  type Context,
  type JSX,
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { finishRedirect } from '../bindings/redirect-return.js';
import { type AuthState, initialAuthState, reducer } from './auth-state.js';
import {
  type AppState,
  Auth0Context,
  type Auth0ContextInterface,
  type ConnectedAccount,
  type LogoutOptions,
  type RedirectLoginOptions,
} from './auth0-context.js';

type Auth0ProviderBaseOptions<TUser extends User = User> = {
  /** The components that use the session. */
  children?: ReactNode;
  /**
   * Called after a redirect login (or account link) finished, with its `appState` and the user.
   * Default: `history.replaceState` to `appState.returnTo` (or the current path). With a router,
   * navigate with it here.
   */
  onRedirectCallback?: (appState?: AppState, user?: TUser) => void;
  /**
   * `true`: do not finish a login on this page load (e.g. a `redirect_uri` path that belongs to
   * another OAuth client). The worker still intercepts its own `redirect_uri`.
   */
  skipRedirectCallback?: boolean;
  /** The context to fill instead of the default one (several providers in one app). */
  context?: Context<Auth0ContextInterface<TUser>>;
};

/** `<Auth0Provider>` props with the client's options (`workerUrl`, `authorizationParams` …). */
export type Auth0ProviderWithConfigOptions<TUser extends User = User> =
  Auth0ProviderBaseOptions<TUser> & Auth0ClientOptions & { client?: never };

/** `<Auth0Provider>` props with a client you built (`new Auth0Client(options)`). */
export type Auth0ProviderWithClientOptions<TUser extends User = User> =
  Auth0ProviderBaseOptions<TUser> & { client: Auth0Client };

/**
 * `<Auth0Provider>`'s props (auth0-react 2.x's): the page client's options, or a `client`.
 * `domain` and `clientId` are optional here — the worker script holds them; given, they must
 * equal the worker's (else the provider's `error` is an `InvalidConfigurationError`).
 */
export type Auth0ProviderOptions<TUser extends User = User> =
  | Auth0ProviderWithConfigOptions<TUser>
  | Auth0ProviderWithClientOptions<TUser>;

const defaultOnRedirectCallback = (appState?: AppState): void => {
  window.history.replaceState({}, document.title, appState?.returnTo ?? window.location.pathname);
};

/**
 * Connects to the auth worker and provides the session to its children (`useAuth0()`,
 * `withAuth0`, `withAuthenticationRequired`). On the page load that returns from a redirect login
 * it finishes the login and calls `onRedirectCallback`; otherwise it checks the session. The
 * state follows the session in every tab (the worker announces logins and logouts).
 *
 * @example
 * ```tsx
 * import { Auth0Provider } from 'auth0-enclave/react';
 *
 * createRoot(root).render(
 *   <Auth0Provider workerUrl="/auth-worker.js">
 *     <App />
 *   </Auth0Provider>,
 * );
 * ```
 */
export function Auth0Provider<TUser extends User = User>(
  opts: Auth0ProviderOptions<TUser>,
): JSX.Element {
  const {
    children,
    skipRedirectCallback,
    onRedirectCallback = defaultOnRedirectCallback,
    context = Auth0Context as unknown as Context<Auth0ContextInterface<TUser>>,
    client: providedClient,
    ...clientOptions
  } = opts as Auth0ProviderBaseOptions<TUser> & Auth0ClientOptions & { client?: Auth0Client };
  // One client for the provider's life: built once, never on a re-render.
  const [client] = useState(() => providedClient ?? new Auth0Client(clientOptions));
  const [state, dispatch] = useReducer(reducer<TUser>, initialAuthState as AuthState<TUser>);
  const didInitialise = useRef(false);
  // The latest callbacks, read when the login finishes (a re-render must not restart it).
  const latest = useRef({ onRedirectCallback, skipRedirectCallback });
  latest.current = { onRedirectCallback, skipRedirectCallback };

  const handleError = useCallback((error: unknown): Error => {
    const typed = error instanceof Error ? error : new Error('Login failed');
    dispatch({ type: 'ERROR', error: typed });
    return typed;
  }, []);

  const syncUser = useCallback(
    async () => dispatch({ type: 'SYNC_USER', user: await client.getUser() }),
    [client],
  );

  useEffect(() => {
    // Once per provider, StrictMode's second effect run included: a login result is single-use.
    if (didInitialise.current) return;
    didInitialise.current = true;
    void (async () => {
      try {
        await client.connect();
        const result = latest.current.skipRedirectCallback
          ? undefined
          : await finishRedirect(client);
        let user: TUser | undefined;
        if (result) {
          const {
            appState = {},
            response_type,
            ...connected
          } = result as typeof result & {
            appState?: AppState;
          };
          user = await client.getUser<TUser>();
          appState.response_type = response_type;
          if (response_type === 'connect_code')
            appState.connectedAccount = connected as ConnectedAccount;
          latest.current.onRedirectCallback(appState, user);
        } else {
          await client.checkSession();
          user = await client.getUser<TUser>();
        }
        dispatch({ type: 'INITIALISED', user });
      } catch (error) {
        handleError(error);
      }
    })();
  }, [client, handleError]);

  // Logins and logouts in other tabs (and refresh failures) reach every provider.
  useEffect(
    () =>
      client.on('session', (session) =>
        dispatch({ type: 'SYNC_USER', user: session.authenticated ? session.user : undefined }),
      ),
    [client],
  );

  const loginWithRedirect = useCallback(
    (options?: RedirectLoginOptions): Promise<void> => client.loginWithRedirect(options),
    [client],
  );

  const loginWithPopup = useCallback(
    async (options?: PopupLoginOptions, config?: PopupConfigOptions): Promise<void> => {
      dispatch({ type: 'LOGIN_POPUP_STARTED' });
      try {
        await client.loginWithPopup(options, config);
      } catch (error) {
        handleError(error);
        return;
      }
      dispatch({ type: 'LOGIN_POPUP_COMPLETE', user: await client.getUser() });
    },
    [client, handleError],
  );

  const logout = useCallback(
    async (options: LogoutOptions = {}): Promise<void> => {
      await client.logout(options);
      if (options.openUrl || options.openUrl === false) dispatch({ type: 'LOGOUT' });
    },
    [client],
  );

  /** Runs a client call, then re-reads the user whatever it did (auth0-react's pattern). */
  const thenSync = useCallback(
    async <T,>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } finally {
        await syncUser();
      }
    },
    [syncUser],
  );

  const getAccessTokenSilently = useCallback(
    (options?: GetTokenSilentlyOptions) => thenSync(() => client.getTokenSilently(options)),
    [client, thenSync],
  ) as Auth0Client['getTokenSilently'];

  const getAccessTokenWithPopup = useCallback(
    (options?: GetTokenWithPopupOptions, config?: PopupConfigOptions) =>
      thenSync<string | undefined>(() => client.getTokenWithPopup(options, config)),
    [client, thenSync],
  );

  const loginWithCustomTokenExchange = useCallback(
    (options: CustomTokenExchangeOptions) =>
      thenSync(() => client.loginWithCustomTokenExchange(options)),
    [client, thenSync],
  );

  const revokeRefreshToken = useCallback(
    (options?: RevokeRefreshTokenOptions) => thenSync(() => client.revokeRefreshToken(options)),
    [client, thenSync],
  );

  const handleRedirectCallback = useCallback(
    (url?: string) => thenSync(() => client.handleRedirectCallback<AppState>(url)),
    [client, thenSync],
  );

  // The pass-through methods: one identity per client, so an effect that depends on one (say
  // `fetchWithAuth`) does not run again on every change of state.
  const passThrough = useMemo(
    () => ({
      getIdTokenClaims: () => client.getIdTokenClaims(),
      customTokenExchange: (options: CustomTokenExchangeOptions) =>
        client.customTokenExchange(options),
      connectAccountWithRedirect: (options: RedirectConnectAccountOptions) =>
        client.connectAccountWithRedirect(options),
      getDpopNonce: (origin?: string) => client.getDpopNonce(origin),
      setDpopNonce: (nonce: string, origin?: string) => client.setDpopNonce(nonce, origin),
      generateDpopProof: (options: Parameters<Auth0Client['generateDpopProof']>[0]) =>
        client.generateDpopProof(options),
      createFetcher: ((config) => client.createFetcher(config)) as Auth0Client['createFetcher'],
      getConfiguration: () => client.getConfiguration(),
      fetchWithAuth: ((input, init, options) =>
        client.fetchWithAuth(input, init, options)) as Auth0Client['fetchWithAuth'],
      mfa: client.mfa,
      passkey: client.passkey,
    }),
    [client],
  );

  const contextValue = useMemo<Auth0ContextInterface<TUser>>(
    () => ({
      ...state,
      ...passThrough,
      getAccessTokenSilently,
      getAccessTokenWithPopup,
      loginWithCustomTokenExchange,
      exchangeToken: loginWithCustomTokenExchange,
      loginWithRedirect,
      loginWithPopup,
      logout,
      revokeRefreshToken,
      handleRedirectCallback,
    }),
    [
      state,
      passThrough,
      getAccessTokenSilently,
      getAccessTokenWithPopup,
      loginWithCustomTokenExchange,
      loginWithRedirect,
      loginWithPopup,
      logout,
      revokeRefreshToken,
      handleRedirectCallback,
    ],
  );

  return <context.Provider value={contextValue}>{children}</context.Provider>;
}
