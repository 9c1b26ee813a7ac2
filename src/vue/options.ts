import type {
  Auth0ClientOptions,
  LogoutOptions as ClientLogoutOptions,
  RedirectLoginOptions as ClientRedirectLoginOptions,
} from 'auth0-enclave';

/** What `loginWithRedirect` carries through the login (auth0-vue's `AppState`). */
export interface AppState {
  /** The route the plugin (with a router) or `history` returns to after the login. */
  target?: string;
  // biome-ignore lint/suspicious/noExplicitAny: auth0-vue's shape: app-defined data.
  [key: string]: any;
}

/** `createAuth0`'s first argument: the page client's options (auth0-vue's `Auth0VueClientOptions`). */
export interface Auth0VueClientOptions extends Auth0ClientOptions {}

/** `createAuth0`'s second argument (auth0-vue's `Auth0PluginOptions`). */
export interface Auth0PluginOptions {
  /** `true`: do not finish a login on this page load (the path belongs to another OAuth client). */
  skipRedirectCallback?: boolean;
  /** With a router: where to go when finishing the login failed; default `/`. */
  errorPath?: string;
}

/** Options of `logout` (auth0-vue's: without the deprecated `onRedirect`). */
export interface LogoutOptions extends Omit<ClientLogoutOptions, 'onRedirect'> {}

/** Options of `loginWithRedirect` (auth0-vue's: without the deprecated `onRedirect`). */
export interface RedirectLoginOptions<TAppState = AppState>
  extends Omit<ClientRedirectLoginOptions<TAppState>, 'onRedirect'> {}
