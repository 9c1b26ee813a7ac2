/**
 * `auth0-enclave/vue`: the API of `@auth0/auth0-vue` 2.x over the page client — the
 * `createAuth0` plugin, the `useAuth0` composable (reactive refs) and the route guards. Every
 * token stays in the service worker; call APIs with `useAuth0().fetchWithAuth`. Vue is an
 * optional peer dependency of `auth0-enclave`, needed only for this entry.
 *
 * @packageDocumentation
 * @module auth0-enclave/vue
 */
import { InvalidStateError } from 'auth0-enclave';
import { inject } from 'vue';
import type { Auth0VueClient } from './auth0-vue-client.js';
import type { Auth0PluginOptions, Auth0VueClientOptions } from './options.js';
import { AUTH0_INJECTION_KEY, AUTH0_TOKEN, Auth0Plugin } from './plugin.js';

// Everything auth0-vue re-exports from spa-js, from the page client.
export * from 'auth0-enclave';
export type { Auth0VueClient } from './auth0-vue-client.js';
export { type AuthGuardOptions, authGuard, createAuthGuard, type GuardedRoute } from './guard.js';
export type {
  AppState,
  Auth0PluginOptions,
  Auth0VueClientOptions,
  LogoutOptions,
  RedirectLoginOptions,
} from './options.js';
export { AUTH0_INJECTION_KEY, Auth0Plugin };

declare module 'vue' {
  interface ComponentCustomProperties {
    /** The Auth0 client, in the options API (`this.$auth0`). */
    [AUTH0_TOKEN]: Auth0VueClient;
  }
}

/**
 * The plugin: `app.use(createAuth0({ workerUrl: '/auth-worker.js' }))`. `domain` and `clientId`
 * are optional — the worker script holds them; given, they must equal the worker's.
 *
 * @example
 * ```ts
 * import { createAuth0 } from 'auth0-enclave/vue';
 *
 * createApp(App).use(router).use(createAuth0()).mount('#app');
 * ```
 */
export function createAuth0(
  clientOptions: Auth0VueClientOptions = {},
  pluginOptions?: Auth0PluginOptions,
): Auth0Plugin {
  return new Auth0Plugin(clientOptions, pluginOptions);
}

/**
 * The installed client: refs (`isLoading`, `isAuthenticated`, `user`, `idTokenClaims`, `error`)
 * and methods. Call it in `setup()`; outside an app with the plugin it throws `InvalidStateError`.
 */
export function useAuth0(): Auth0VueClient {
  const auth0 = inject(AUTH0_INJECTION_KEY);
  if (!auth0) {
    throw new InvalidStateError({ message: 'auth0-enclave/vue: app.use(createAuth0()) first.' });
  }
  return auth0;
}
