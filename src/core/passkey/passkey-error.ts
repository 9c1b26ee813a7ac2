import { MfaRequiredError, OAuthError, PasskeyError } from '../errors.js';

/**
 * The error a passkey call throws for `error`: a server's OAuth answer becomes a
 * {@link PasskeyError} with its `error` and `status`; `mfa_required` stays a
 * {@link MfaRequiredError}, and transport failures stay as they are.
 */
export function toPasskeyError(error: unknown, Class: typeof PasskeyError = PasskeyError): unknown {
  if (error instanceof MfaRequiredError || !(error instanceof OAuthError)) return error;
  return new Class({
    message: error.message,
    error: error.error,
    status: error.status,
    cause: error,
  });
}
