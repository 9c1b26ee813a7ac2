import { MfaRequiredError } from '../errors.js';

/**
 * Whether `error` says the server requires multi-factor authentication: an
 * {@link MfaRequiredError}, or an error of the same shape from another copy of this package
 * (`error === 'mfa_required'` with a string `mfa_token`). Narrow with it, then finish the login
 * with `authClient.mfa`.
 *
 * @example
 * ```ts
 * import { isMfaRequiredError } from 'auth0-enclave/core';
 *
 * try {
 *   await auth.getTokenByPassword({ username: 'alice@example.com', password: 'wonderland' });
 * } catch (err) {
 *   if (!isMfaRequiredError(err)) throw err;
 *   const authenticators = await auth.mfa.listAuthenticators({ mfaToken: err.mfa_token });
 * }
 * ```
 */
export function isMfaRequiredError(error: unknown): error is MfaRequiredError {
  if (error instanceof MfaRequiredError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { error?: unknown; mfa_token?: unknown };
  return candidate.error === 'mfa_required' && typeof candidate.mfa_token === 'string';
}
