import type { User } from 'auth0-enclave';
import { type Context, useContext } from 'react';
import { Auth0Context, type Auth0ContextInterface } from './auth0-context.js';

/**
 * The session's state and methods (auth0-react's `useAuth0`). `TUser` types `user`.
 *
 * @example
 * ```tsx
 * const { isLoading, isAuthenticated, user, loginWithRedirect, logout } = useAuth0();
 * ```
 */
export function useAuth0<TUser extends User = User>(
  context: Context<Auth0ContextInterface> = Auth0Context,
): Auth0ContextInterface<TUser> {
  return useContext(context) as Auth0ContextInterface<TUser>;
}
