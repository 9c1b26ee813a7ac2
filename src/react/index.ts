/**
 * `auth0-enclave/react`: the API of `@auth0/auth0-react` 2.x over the page client — change the
 * import, move the security settings to the worker script, and call APIs with
 * `useFetchWithAuth()`: every token stays in the service worker. React is an optional peer
 * dependency of `auth0-enclave`, needed only for this entry.
 *
 * @packageDocumentation
 * @module auth0-enclave/react
 */

// Everything auth0-react re-exports from spa-js, from the page client: an app migrated by
// changing its import finds its error classes and types here.
export * from 'auth0-enclave';
export type { AuthState } from './auth-state.js';
export {
  type AppState,
  Auth0Context,
  type Auth0ContextInterface,
  type ConnectedAccount,
  initialContext,
  type LogoutOptions,
  type RedirectLoginOptions,
} from './auth0-context.js';
export {
  Auth0Provider,
  type Auth0ProviderOptions,
  type Auth0ProviderWithClientOptions,
  type Auth0ProviderWithConfigOptions,
} from './auth0-provider.js';
export { useAuth0 } from './use-auth0.js';
export { useFetchWithAuth } from './use-fetch-with-auth.js';
export { type WithAuth0Props, withAuth0 } from './with-auth0.js';
export {
  type WithAuthenticationRequiredOptions,
  withAuthenticationRequired,
} from './with-authentication-required.js';
