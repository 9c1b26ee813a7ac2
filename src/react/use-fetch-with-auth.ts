import type { Auth0Client } from 'auth0-enclave';
import type { Context } from 'react';
import { Auth0Context, type Auth0ContextInterface } from './auth0-context.js';
import { useAuth0 } from './use-auth0.js';

/**
 * `fetch()` for the APIs on the worker's `apis` allow-list: the worker attaches the access token
 * and a DPoP proof, so the page never holds either. The function keeps its identity for the
 * provider's life, so it is safe in an effect's dependencies. Rejects with a typed error
 * (`LoginRequiredError`, `NotAllowedError` …) when there is no session or the URL is not allowed.
 *
 * @example
 * ```tsx
 * const fetchWithAuth = useFetchWithAuth();
 * useEffect(() => {
 *   fetchWithAuth('https://api.example.com/notes').then((response) => response.json()).then(setNotes);
 * }, [fetchWithAuth]);
 * ```
 */
export function useFetchWithAuth(
  context: Context<Auth0ContextInterface> = Auth0Context,
): Auth0Client['fetchWithAuth'] {
  return useAuth0(context).fetchWithAuth;
}
