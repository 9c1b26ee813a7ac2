// auth-js 1.16's error classes, mapped onto the one error model of errors.ts (issue 17).
//
// auth-js names each failing *operation* (`TokenByCodeError`, `SignUpError` …) and puts the
// server's answer in `cause` as an `OAuth2Error`. Here each of those classes is a SUBCLASS of the
// class this SDK already throws for a server's refusal — `OAuthError`, `MfaError` or
// `PasskeyError` — so both styles work on the same object:
//   - `err instanceof TokenByCodeError`, `err.cause.error`, `err.statusCode` (auth-js style);
//   - `switch (err.code)` over `AnyEnclaveError` (`'oauth_error'` …), `err.error`, `err.status`.
// `code` keeps this SDK's stable value (auth-js's per-class strings such as
// `'token_by_code_error'` are not codes here: switch on the class or on `err.error`). Failures
// that are not a server's refusal (timeouts, network, a forged ID token) keep their own classes.
// They are thrown by AuthClient only (server code): none crosses the page <-> worker boundary.

import {
  type EnclaveError,
  IdTokenValidationError,
  InvalidConfigurationError,
  LogoutTokenValidationError,
  MfaError,
  MfaRequiredError,
  type MfaRequirements,
  OAuthError,
  type PasskeyError,
} from './errors.js';

/** auth-js's `OAuth2Error`: what `cause` holds on the operation errors. */
export interface OAuth2Error {
  /** The OAuth error code the server returned, e.g. `invalid_grant`. */
  error: string;
  /** The server's human-readable explanation of the error. */
  error_description: string;
  /** The error message, as on the thrown error. */
  message?: string;
  /** On `mfa_required`: the token that authorizes the MFA API calls for this login. */
  mfa_token?: string;
  /** On `mfa_required`: which factors the user may challenge or enroll. */
  mfa_requirements?: MfaRequirements;
  /** HTTP status of the server's answer. */
  statusCode?: number;
  /** HTTP headers of the server's answer. */
  headers?: Headers;
  /** Raw body of the server's answer, when it was not JSON. */
  body?: string;
}

/** Options of the auth-js operation errors. */
export interface OperationErrorOptions {
  /** The OAuth error code the server returned. */
  error: string;
  /** The server's explanation; a generic one is used when absent. */
  message?: string | undefined;
  /** HTTP status of the server's answer. */
  status: number;
}

function oauth2Error(options: {
  error: string;
  message: string;
  status?: number | undefined;
}): OAuth2Error {
  return {
    error: options.error,
    error_description: options.message,
    message: options.message,
    ...(options.status === undefined ? {} : { statusCode: options.status }),
  };
}

/** A server's refusal of one AuthClient operation (auth-js's `ApiError`). */
export class ApiOperationError extends OAuthError {
  static {
    ApiOperationError.prototype.name = 'ApiOperationError';
  }
  /** The server's answer, in auth-js's shape. */
  declare readonly cause: OAuth2Error;
  /** HTTP status of the server's answer (auth-js's name for {@link OAuthError.status}). */
  readonly statusCode: number;
  constructor(options: OperationErrorOptions) {
    super({ error: options.error, message: options.message, status: options.status });
    this.statusCode = options.status;
    Object.defineProperty(this, 'cause', {
      value: oauth2Error({ ...options, message: this.message }),
      writable: true,
      configurable: true,
    });
  }
}

/** The server refused `getTokenByCode / getTokenByMagicLinkCode`. */
export class TokenByCodeError extends ApiOperationError {
  static {
    TokenByCodeError.prototype.name = 'TokenByCodeError';
  }
}

/** The server refused `getTokenByClientCredentials`. */
export class TokenByClientCredentialsError extends ApiOperationError {
  static {
    TokenByClientCredentialsError.prototype.name = 'TokenByClientCredentialsError';
  }
}

/** The server refused `getTokenByRefreshToken`. */
export class TokenByRefreshTokenError extends ApiOperationError {
  static {
    TokenByRefreshTokenError.prototype.name = 'TokenByRefreshTokenError';
  }
}

/** The server refused `getTokenByPassword`. */
export class TokenByPasswordError extends ApiOperationError {
  static {
    TokenByPasswordError.prototype.name = 'TokenByPasswordError';
  }
}

/** The server refused `getTokenForConnection`. */
export class TokenForConnectionError extends ApiOperationError {
  static {
    TokenForConnectionError.prototype.name = 'TokenForConnectionError';
  }
}

/** The server refused `exchangeToken`. */
export class TokenExchangeError extends ApiOperationError {
  static {
    TokenExchangeError.prototype.name = 'TokenExchangeError';
  }
}

/** The server refused `revokeToken`. */
export class TokenRevocationError extends ApiOperationError {
  static {
    TokenRevocationError.prototype.name = 'TokenRevocationError';
  }
}

/** The server refused `getUserInfo`. */
export class UserInfoError extends ApiOperationError {
  static {
    UserInfoError.prototype.name = 'UserInfoError';
  }
}

/** The server refused `backchannelAuthentication and its two halves`. */
export class BackchannelAuthenticationError extends ApiOperationError {
  static {
    BackchannelAuthenticationError.prototype.name = 'BackchannelAuthenticationError';
  }
}

/** The server refused `buildAuthorizationUrl (the pushed authorization request)`. */
export class BuildAuthorizationUrlError extends ApiOperationError {
  static {
    BuildAuthorizationUrlError.prototype.name = 'BuildAuthorizationUrlError';
  }
}

/** The server refused `buildLinkUserUrl`. */
export class BuildLinkUserUrlError extends ApiOperationError {
  static {
    BuildLinkUserUrlError.prototype.name = 'BuildLinkUserUrlError';
  }
}

/** The server refused `buildUnlinkUserUrl`. */
export class BuildUnlinkUserUrlError extends ApiOperationError {
  static {
    BuildUnlinkUserUrlError.prototype.name = 'BuildUnlinkUserUrlError';
  }
}

/** The server refused `passwordless.sendEmail / sendSms`. */
export class PasswordlessStartError extends ApiOperationError {
  static {
    PasswordlessStartError.prototype.name = 'PasswordlessStartError';
  }
}

/** The server refused `getTokenByPasswordlessEmail / getTokenByPasswordlessSms`. */
export class PasswordlessVerifyError extends ApiOperationError {
  static {
    PasswordlessVerifyError.prototype.name = 'PasswordlessVerifyError';
  }
}

/** The server refused `passwordless.getTokenByPasswordlessDbConnection`. */
export class PasswordlessDbGetTokenError extends ApiOperationError {
  static {
    PasswordlessDbGetTokenError.prototype.name = 'PasswordlessDbGetTokenError';
  }
}

/** The server refused `passwordless.challengeWithEmail / challengeWithPhoneNumber`. */
export class PasswordlessChallengeError extends ApiOperationError {
  static {
    PasswordlessChallengeError.prototype.name = 'PasswordlessChallengeError';
  }
  /** Field-level problems the server reported, when it did. */
  readonly validationErrors: { field: string; message: string }[] | undefined;
  constructor(
    options: OperationErrorOptions & {
      validationErrors?: { field: string; message: string }[] | undefined;
    },
  ) {
    super(options);
    this.validationErrors = options.validationErrors;
  }
}

/** The server refused `database.signUp`. */
export class SignUpError extends ApiOperationError {
  static {
    SignUpError.prototype.name = 'SignUpError';
  }
}

/** The server refused `database.changePassword`. */
export class ChangePasswordError extends ApiOperationError {
  static {
    ChangePasswordError.prototype.name = 'ChangePasswordError';
  }
}

/** The server refused `anonymous.*`. */
export class AnonymousSessionError extends ApiOperationError {
  static {
    AnonymousSessionError.prototype.name = 'AnonymousSessionError';
  }
}

/** Options of the MFA and passkey operation errors. */
export interface ServerOperationErrorOptions {
  /** The OAuth error code, when the server returned one. */
  error?: string | undefined;
  /** What went wrong, without any secret. */
  message: string;
  /** HTTP status of the server's answer, when there was one. */
  status?: number | undefined;
}

/** The server refused `mfa.deleteAuthenticator` (a {@link MfaError}, `cause` in auth-js's shape). */
export class MfaDeleteAuthenticatorError extends MfaError {
  static {
    MfaDeleteAuthenticatorError.prototype.name = 'MfaDeleteAuthenticatorError';
  }
}

/**
 * A method that needs a confidential client (a secret, a key or mTLS) was called on a public
 * one: thrown before anything is sent.
 */
export class MissingClientAuthError extends InvalidConfigurationError {
  static {
    MissingClientAuthError.prototype.name = 'MissingClientAuthError';
  }
  constructor(options: { message?: string | undefined } = {}) {
    super({
      message:
        options.message ??
        'This method needs client authentication: configure clientSecret, clientAssertionSigningKey or useMtls.',
    });
  }
}

/** The ID token's `org_id` / `org_name` does not match the organization asked for. */
export class OrganizationValidationError extends IdTokenValidationError {
  static {
    OrganizationValidationError.prototype.name = 'OrganizationValidationError';
  }
}

/** auth-js's name for {@link LogoutTokenValidationError}. */
export const VerifyLogoutTokenError = LogoutTokenValidationError;
/** auth-js's name for {@link LogoutTokenValidationError}. */
export type VerifyLogoutTokenError = LogoutTokenValidationError;

type ApiOperationErrorClass = new (options: OperationErrorOptions) => ApiOperationError;
type ServerOperationErrorClass = new (options: ServerOperationErrorOptions) => EnclaveError;

/**
 * Rethrows a server's refusal as the operation's class; anything else (MfaRequiredError, a
 * timeout, a TypeError, an already-mapped error) unchanged.
 */
export function asOperationError(error: unknown, Class: ApiOperationErrorClass): unknown {
  if (error instanceof ApiOperationError || error instanceof MfaRequiredError) return error;
  if (!(error instanceof OAuthError)) return error;
  return new Class({ error: error.error, message: error.message, status: error.status });
}

/**
 * As {@link asOperationError}, for the MFA and passkey sub-clients' errors. The classes are the
 * page's too (auth0-spa-js has the same names), so auth-js's extras — `statusCode`, and the
 * server's answer in `cause` — go on the instance here, where AuthClient throws it, rather than
 * into every page's bundle.
 */
export function asServerOperationError(
  error: unknown,
  Base: typeof MfaError | typeof PasskeyError,
  Class: ServerOperationErrorClass,
): unknown {
  if (!(error instanceof Base)) return error;
  const { error: code, message, status } = error as MfaError | PasskeyError;
  // The protocol functions throw auth0-spa-js's per-method classes already; a plain one is mapped.
  const mapped = error.constructor === Base ? new Class({ error: code, message, status }) : error;
  for (const [name, value] of [
    ['statusCode', status],
    ['cause', oauth2Error({ error: mapped.error, message: mapped.message, status })],
  ] as const) {
    Object.defineProperty(mapped, name, { value, writable: true, configurable: true });
  }
  return mapped;
}
