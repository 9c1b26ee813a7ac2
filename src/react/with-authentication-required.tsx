import { type ComponentType, type Context, type FC, type ReactNode, useEffect } from 'react';
import {
  Auth0Context,
  type Auth0ContextInterface,
  type RedirectLoginOptions,
} from './auth0-context.js';
import { useAuth0 } from './use-auth0.js';

/** Options of {@link withAuthenticationRequired} (auth0-react's). */
export interface WithAuthenticationRequiredOptions {
  /** Where `onRedirectCallback` returns the user after the login; default the current path and query. */
  returnTo?: string | (() => string);
  /** What to render while the login page is on its way. Default: nothing. */
  onRedirecting?: () => ReactNode;
  /** Runs before the redirect (analytics, saving a draft). */
  onBeforeAuthentication?: () => Promise<void>;
  /** Options of the login; `appState` is merged with `returnTo`. */
  loginOptions?: RedirectLoginOptions;
  /** The context of the provider to use (several providers in one app). */
  context?: Context<Auth0ContextInterface>;
}

const nothing = (): ReactNode => null;
const noop = async (): Promise<void> => {};

/** The current path and query. A leading `//` is one `/`: never a protocol-relative URL. */
const currentPath = (): string =>
  `${window.location.pathname.replace(/^\/\/+/, '/')}${window.location.search}`;

/**
 * Renders `Component` only with a session; without one (once the provider has checked), sends
 * the user to the login page and back here after it (auth0-react's HOC).
 *
 * @example
 * ```tsx
 * const ProtectedNotes = withAuthenticationRequired(Notes, {
 *   onRedirecting: () => <p>Redirecting to the login page…</p>,
 * });
 * ```
 */
export function withAuthenticationRequired<P extends object>(
  Component: ComponentType<P>,
  options: WithAuthenticationRequiredOptions = {},
): FC<P> {
  // Fixed for the wrapped component's life, as the HOC is created once.
  const {
    returnTo = currentPath,
    onRedirecting = nothing,
    onBeforeAuthentication = noop,
    loginOptions,
    context = Auth0Context,
  } = options;
  return function WithAuthenticationRequired(props: P): ReactNode {
    const { isAuthenticated, isLoading, loginWithRedirect } = useAuth0(context);

    useEffect(() => {
      if (isLoading || isAuthenticated) return;
      void (async () => {
        await onBeforeAuthentication();
        await loginWithRedirect({
          ...loginOptions,
          appState: {
            ...loginOptions?.appState,
            returnTo: typeof returnTo === 'function' ? returnTo() : returnTo,
          },
        });
      })();
    }, [isLoading, isAuthenticated, loginWithRedirect]);

    return isAuthenticated ? <Component {...props} /> : onRedirecting();
  };
}
