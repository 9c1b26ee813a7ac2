import { InvalidStateError } from 'auth0-enclave';
import { type App, unref, watch } from 'vue';
import type { Auth0VueClient } from './auth0-vue-client.js';
import type { RedirectLoginOptions } from './options.js';
import { AUTH0_TOKEN, client } from './plugin.js';

/** The part of vue-router's `RouteLocation` the guard reads (no import of vue-router). */
export interface GuardedRoute {
  /** The route's path, query and hash: where the user returns after the login. */
  fullPath: string;
}

/** Options of {@link createAuthGuard} (auth0-vue's `AuthGuardOptions`). */
export interface AuthGuardOptions {
  /** The app the plugin is installed in; default the last one installed. */
  app?: App;
  /** Options of the login; `appState.target` defaults to the guarded route. */
  redirectLoginOptions?: RedirectLoginOptions;
}

/** Resolves once the plugin's first session check is done. */
function loaded(auth0: Auth0VueClient): Promise<void> {
  if (!unref(auth0.isLoading)) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = watch(auth0.isLoading, (loading) => {
      if (loading) return;
      stop();
      resolve();
    });
  });
}

async function guard(
  auth0: Auth0VueClient | undefined,
  to: GuardedRoute,
  redirectLoginOptions?: RedirectLoginOptions,
): Promise<boolean> {
  if (!auth0) {
    throw new InvalidStateError({
      message:
        'auth0-enclave/vue: install the plugin (app.use(createAuth0())) before a guard runs.',
    });
  }
  await loaded(auth0);
  if (unref(auth0.isAuthenticated)) return true;
  await auth0.loginWithRedirect({
    ...redirectLoginOptions,
    appState: { target: to.fullPath, ...redirectLoginOptions?.appState },
  });
  return false;
}

/**
 * A vue-router guard (`beforeEnter` or `beforeEach`): lets the route through with a session;
 * without one (once the plugin has checked), sends the user to the login page and back to the
 * route after it (auth0-vue's `createAuthGuard`).
 *
 * @example
 * ```ts
 * { path: '/notes', component: Notes, beforeEnter: createAuthGuard(app) }
 * ```
 */
export function createAuthGuard(
  appOrOptions?: App | AuthGuardOptions,
): (to: GuardedRoute) => Promise<boolean> {
  const { app, redirectLoginOptions } =
    !appOrOptions || 'config' in appOrOptions
      ? { app: appOrOptions as App | undefined, redirectLoginOptions: undefined }
      : appOrOptions;
  return (to) =>
    guard(
      app ? (app.config.globalProperties[AUTH0_TOKEN] as Auth0VueClient) : unref(client),
      to,
      redirectLoginOptions,
    );
}

/** {@link createAuthGuard} for the last app the plugin was installed in. */
export function authGuard(to: GuardedRoute): Promise<boolean> {
  return guard(unref(client), to);
}
