import type { User } from 'auth0-enclave';

/** The state half of {@link Auth0ContextInterface} (auth0-react's `AuthState`). */
export interface AuthState<TUser extends User = User> {
  /** The last login or token error, typed (`EnclaveError` subclasses with a stable `code`). */
  error: Error | undefined;
  /** Whether the worker holds a session. */
  isAuthenticated: boolean;
  /** `true` until the first session check (or the redirect login's completion) is done. */
  isLoading: boolean;
  /** The user's profile (ID-token claims without the protocol ones), or `undefined`. */
  user: TUser | undefined;
}

/** Before the provider has asked the worker anything. */
export const initialAuthState: AuthState = {
  isAuthenticated: false,
  isLoading: true,
  user: undefined,
  error: undefined,
};

/** What changes the state (auth0-react's reducer actions). */
export type AuthAction =
  | { type: 'LOGIN_POPUP_STARTED' }
  | { type: 'INITIALISED' | 'LOGIN_POPUP_COMPLETE' | 'SYNC_USER'; user: User | undefined }
  | { type: 'LOGOUT' }
  | { type: 'ERROR'; error: Error };

/** The provider's reducer: the transitions of auth0-react 2.x. */
export function reducer<TUser extends User = User>(
  state: AuthState<TUser>,
  action: AuthAction,
): AuthState<TUser> {
  switch (action.type) {
    case 'LOGIN_POPUP_STARTED':
      return { ...state, isLoading: true };
    case 'LOGIN_POPUP_COMPLETE':
    case 'INITIALISED':
      return {
        ...state,
        isAuthenticated: action.user !== undefined,
        user: action.user as TUser | undefined,
        isLoading: false,
        error: undefined,
      };
    case 'SYNC_USER':
      // The worker answers with a fresh object each time: an unchanged profile keeps the state
      // (and every effect that depends on `user`) as it is.
      if (sameUser(state.user, action.user)) return state;
      return {
        ...state,
        isAuthenticated: action.user !== undefined,
        user: action.user as TUser | undefined,
      };
    case 'LOGOUT':
      return { ...state, isAuthenticated: false, user: undefined };
    case 'ERROR':
      return { ...state, isLoading: false, error: action.error };
  }
}

function sameUser(a: User | undefined, b: User | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}
