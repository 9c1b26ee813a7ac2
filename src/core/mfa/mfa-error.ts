import { MfaError, MfaRequiredError, OAuthError } from '../errors.js';

/**
 * The error an MFA call throws for `error`: a server's OAuth answer becomes an {@link MfaError}
 * carrying its `error` and `status` (callers switch on `err.error`, e.g. `authorization_pending`);
 * a chained {@link MfaRequiredError} and transport failures (timeouts, network, 5xx pages) stay
 * as they are. `Class` is the operation's subclass (auth0-spa-js's `MfaVerifyError` …).
 */
export function toMfaError(error: unknown, Class: typeof MfaError = MfaError): unknown {
  if (error instanceof MfaRequiredError || !(error instanceof OAuthError)) return error;
  return new Class({
    message: error.message,
    error: error.error,
    status: error.status,
    cause: error,
  });
}
