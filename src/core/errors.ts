/**
 * The one error model of auth0-enclave, shared by the core, the worker and the page.
 *
 * Every error is an {@link EnclaveError} with
 * - `code`: a stable value from the closed {@link ErrorCode} union — switch on this;
 * - `error`: the OAuth error string the server sent (`invalid_grant`, `login_required`, …) or,
 *   when the failure did not come from a server, the same value as `code` — the field
 *   `@auth0/auth0-spa-js` users already switch on;
 * - `error_description`: a human sentence, equal to `message`. Never match on it.
 *
 * Errors cross the page ↔ worker boundary as plain data and are rebuilt into the same class
 * (see src/rpc/errors.ts), so `instanceof` works on both sides. Fields must therefore be plain
 * data, and must never hold a credential. Each class sets `name` on its prototype (a static
 * block), never from its constructor's name: minifiers rename classes, and the rebuilt error
 * must still find its class.
 *
 * Caller mistakes (a missing option, a wrong type) are not `EnclaveError`s: they throw a
 * `TypeError` naming the option.
 */

/** Every code an {@link EnclaveError} can carry. Stable: a new code is a new feature. */
export type ErrorCode =
  | 'oauth_error'
  | 'authentication_error'
  | 'login_required'
  | 'mfa_required'
  | 'missing_refresh_token'
  | 'use_dpop_nonce'
  | 'invalid_id_token'
  | 'invalid_logout_token'
  | 'invalid_state'
  | 'invalid_response'
  | 'http_error'
  | 'network_error'
  | 'timeout'
  | 'popup_open'
  | 'popup_cancelled'
  | 'popup_timeout'
  | 'invalid_configuration'
  | 'not_supported'
  | 'not_allowed'
  | 'token_not_exposed'
  | 'worker_unavailable'
  | 'rpc_rejected'
  | 'connect_error'
  | 'passkey_error'
  | 'mfa_error';

/** Options every error constructor accepts. */
export interface EnclaveErrorOptions {
  /** The underlying failure. Kept on this side of the RPC boundary only. */
  cause?: unknown;
}

/**
 * Base class of every error auth0-enclave throws. Exported as `GenericError` too, the name
 * auth0-spa-js users know.
 *
 * @example
 * ```ts
 * import { EnclaveError } from 'auth0-enclave';
 *
 * try {
 *   await auth0.fetchWithAuth('/api/notes');
 * } catch (err) {
 *   if (err instanceof EnclaveError && err.code === 'login_required') await auth0.loginWithRedirect();
 *   else throw err;
 * }
 * ```
 */
export class EnclaveError extends Error {
  static {
    EnclaveError.prototype.name = 'EnclaveError';
  }
  /** Stable code from {@link ErrorCode}; switch on this. */
  readonly code: ErrorCode;
  /** The server's OAuth `error` when there was one, otherwise equal to {@link code}. */
  readonly error: string;
  /** Human-readable description, equal to `message`. */
  readonly error_description: string;

  constructor(
    code: ErrorCode,
    message: string,
    options?: EnclaveErrorOptions & { error?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.error = options?.error ?? code;
    this.error_description = message;
  }
}

/** The authorization server answered a request with an OAuth error (`{ error, error_description }`). */
export class OAuthError extends EnclaveError {
  static {
    OAuthError.prototype.name = 'OAuthError';
  }
  /** HTTP status of the response. */
  readonly status: number;
  constructor(
    options: {
      error: string;
      description?: string | undefined;
      status: number;
    } & EnclaveErrorOptions,
  ) {
    super('oauth_error', options.description || `The server answered "${options.error}".`, options);
    this.status = options.status;
  }
}

/**
 * The authorization server redirected back with an error (for instance `login_required`,
 * `consent_required`, `access_denied`). `error` holds the server's code.
 */
export class AuthenticationError extends EnclaveError {
  static {
    AuthenticationError.prototype.name = 'AuthenticationError';
  }
  /** The `state` of the transaction the error belongs to. */
  readonly state: string | undefined;
  /** The `appState` given when the login started, when the transaction was known. */
  readonly appState: unknown;
  constructor(
    options: {
      error: string;
      description?: string | undefined;
      state?: string;
      appState?: unknown;
    } & EnclaveErrorOptions,
  ) {
    super(
      'authentication_error',
      options.description || `Login failed: "${options.error}".`,
      options,
    );
    this.state = options.state;
    this.appState = options.appState;
  }
}

/** There is no session to use: the user has to log in. */
export class LoginRequiredError extends EnclaveError {
  static {
    LoginRequiredError.prototype.name = 'LoginRequiredError';
  }
  constructor(message = 'Login required: there is no session.', options?: EnclaveErrorOptions) {
    super('login_required', message, options);
  }
}

/** What the server requires before it issues tokens (`mfa_requirements` of WIRE.md). */
export interface MfaRequirements {
  challenge?: { type: string }[];
  enroll?: { type: string }[];
}

/**
 * The server requires multi-factor authentication. On the page, `mfa_token` is an opaque handle
 * that only the worker can redeem, never Auth0's token itself.
 */
export class MfaRequiredError extends EnclaveError {
  static {
    MfaRequiredError.prototype.name = 'MfaRequiredError';
  }
  /** On servers, Auth0's `mfa_token`; on the page, an opaque handle held by the worker. */
  readonly mfa_token: string;
  /** The factors the server will accept (`challenge`) or let the user enroll (`enroll`). */
  readonly mfa_requirements: MfaRequirements | undefined;
  constructor(
    options: {
      description?: string | undefined;
      mfa_token: string;
      mfa_requirements?: MfaRequirements | undefined;
    } & EnclaveErrorOptions,
  ) {
    super(
      'mfa_required',
      options.description || 'Multi-factor authentication is required.',
      options,
    );
    this.mfa_token = options.mfa_token;
    this.mfa_requirements = options.mfa_requirements;
  }
}

/** A refresh token was needed and none is held (for this audience and scope). */
export class MissingRefreshTokenError extends EnclaveError {
  static {
    MissingRefreshTokenError.prototype.name = 'MissingRefreshTokenError';
  }
  /** The audience a token was asked for (`undefined`: the default audience). */
  readonly audience: string | undefined;
  /** The scope a token was asked for (`undefined`: the default scope). */
  readonly scope: string | undefined;
  constructor(options: { audience?: string | undefined; scope?: string | undefined } = {}) {
    super(
      'missing_refresh_token',
      `Missing refresh token for audience "${options.audience ?? 'default'}" and scope "${options.scope ?? 'default'}".`,
    );
    this.audience = options.audience;
    this.scope = options.scope;
  }
}

/** The server insisted on a new DPoP nonce even after one retry with a fresh proof. */
export class UseDpopNonceError extends EnclaveError {
  static {
    UseDpopNonceError.prototype.name = 'UseDpopNonceError';
  }
  constructor(message = 'The server still requires a new DPoP nonce after one retry.') {
    super('use_dpop_nonce', message);
  }
}

/** An ID token failed verification: signature, algorithm or one of its claims. Nothing was stored. */
export class IdTokenValidationError extends EnclaveError {
  static {
    IdTokenValidationError.prototype.name = 'IdTokenValidationError';
  }
  constructor(message: string, options?: EnclaveErrorOptions) {
    super('invalid_id_token', message, options);
  }
}

/** A back-channel logout token failed verification. */
export class LogoutTokenValidationError extends EnclaveError {
  static {
    LogoutTokenValidationError.prototype.name = 'LogoutTokenValidationError';
  }
  constructor(message: string, options?: EnclaveErrorOptions) {
    super('invalid_logout_token', message, options);
  }
}

/** A callback's `state` does not belong to a pending login (unknown, reused or mismatched). */
export class InvalidStateError extends EnclaveError {
  static {
    InvalidStateError.prototype.name = 'InvalidStateError';
  }
  constructor(message = 'The callback does not match a pending login (unknown or reused state).') {
    super('invalid_state', message);
  }
}

/** A response was not what the protocol promises: not JSON, truncated, oversized, fields missing. */
export class ResponseError extends EnclaveError {
  static {
    ResponseError.prototype.name = 'ResponseError';
  }
  /** The HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  constructor(message: string, options?: EnclaveErrorOptions & { status?: number }) {
    super('invalid_response', message, options);
    this.status = options?.status;
  }
}

/** The server answered with an HTTP error that carries no OAuth error (a 5xx, a bare 404). */
export class HttpError extends EnclaveError {
  static {
    HttpError.prototype.name = 'HttpError';
  }
  /** The HTTP status the server answered with. */
  readonly status: number;
  constructor(status: number, message: string) {
    super('http_error', message);
    this.status = status;
  }
}

/** The request never got a response (connection refused, DNS, CORS). */
export class NetworkError extends EnclaveError {
  static {
    NetworkError.prototype.name = 'NetworkError';
  }
  constructor(message: string, options?: EnclaveErrorOptions) {
    super('network_error', message, options);
  }
}

/** An operation did not finish within its time limit. */
export class TimeoutError extends EnclaveError {
  static {
    TimeoutError.prototype.name = 'TimeoutError';
  }
  constructor(message = 'Timeout.', options?: EnclaveErrorOptions) {
    super('timeout', message, options);
  }
}

/** The login popup could not be opened (blocked by the browser). */
export class PopupOpenError extends EnclaveError {
  static {
    PopupOpenError.prototype.name = 'PopupOpenError';
  }
  constructor(message = 'Unable to open a popup for loginWithPopup: it was blocked.') {
    super('popup_open', message);
  }
}

/** The user closed the login popup before the login finished. */
export class PopupCancelledError extends EnclaveError {
  static {
    PopupCancelledError.prototype.name = 'PopupCancelledError';
  }
  constructor(message = 'The popup was closed before the login finished.') {
    super('popup_cancelled', message, { error: 'cancelled' });
  }
}

/** The login popup did not finish in time. */
export class PopupTimeoutError extends EnclaveError {
  static {
    PopupTimeoutError.prototype.name = 'PopupTimeoutError';
  }
  constructor(message = 'The popup did not finish the login in time.') {
    super('popup_timeout', message, { error: 'timeout' });
  }
}

/** The SDK is configured in a way that cannot work (or the server lacks what the config needs). */
export class InvalidConfigurationError extends EnclaveError {
  static {
    InvalidConfigurationError.prototype.name = 'InvalidConfigurationError';
  }
  constructor(message: string, options?: EnclaveErrorOptions) {
    super('invalid_configuration', message, options);
  }
}

/** The server does not offer what was asked for (for instance no revocation endpoint). */
export class NotSupportedError extends EnclaveError {
  static {
    NotSupportedError.prototype.name = 'NotSupportedError';
  }
  constructor(message: string) {
    super('not_supported', message);
  }
}

/** The worker's configuration does not allow this (an audience, scope or URL outside the allow-list). */
export class NotAllowedError extends EnclaveError {
  static {
    NotAllowedError.prototype.name = 'NotAllowedError';
  }
  constructor(message: string) {
    super('not_allowed', message);
  }
}

/** Page code asked for a token, and the worker's config does not expose tokens to the page. */
export class TokenNotExposedError extends EnclaveError {
  static {
    TokenNotExposedError.prototype.name = 'TokenNotExposedError';
  }
  constructor(message: string) {
    super('token_not_exposed', message);
  }
}

/** The service worker is unavailable, blocked or did not take control in time. Fails closed. */
export class WorkerUnavailableError extends EnclaveError {
  static {
    WorkerUnavailableError.prototype.name = 'WorkerUnavailableError';
  }
  constructor(message: string, options?: EnclaveErrorOptions) {
    super('worker_unavailable', message, options);
  }
}

/** The worker refused an RPC message (unknown method, property walk, bad arguments, wrong protocol). */
export class RpcRejectedError extends EnclaveError {
  static {
    RpcRejectedError.prototype.name = 'RpcRejectedError';
  }
  constructor(message: string) {
    super('rpc_rejected', message);
  }
}

/** One field-level complaint of a My Account API problem-details answer. */
export interface ConnectValidationError {
  detail: string;
  field?: string;
  pointer?: string;
  source?: string;
}

/**
 * The My Account API's connect flow failed. When the API answered with RFC 9457 problem details,
 * `status`, `type`, `title`, `detail` and `validation_errors` carry them (the fields of
 * auth0-spa-js's `MyAccountApiError`); when the provider's consent redirected back with an error,
 * `error` is that error (for instance `access_denied`).
 *
 * @example
 * ```ts
 * import { type CompleteAccountOptions, completeAccount, ConnectError } from 'auth0-enclave/core';
 *
 * declare const options: CompleteAccountOptions;
 * try {
 *   await completeAccount(context, options);
 * } catch (err) {
 *   if (err instanceof ConnectError && err.status === 400) console.warn(err.title, err.detail);
 * }
 * ```
 */
export class ConnectError extends EnclaveError {
  static {
    ConnectError.prototype.name = 'ConnectError';
  }
  /** HTTP status of the problem-details answer. */
  readonly status: number | undefined;
  /** Problem type URI. */
  readonly type: string | undefined;
  /** Short summary of the problem. */
  readonly title: string | undefined;
  /** What went wrong this time. */
  readonly detail: string | undefined;
  /** Field-level errors of a 400. */
  readonly validation_errors: ConnectValidationError[] | undefined;
  constructor(
    message: string,
    options?: EnclaveErrorOptions & {
      error?: string;
      status?: number | undefined;
      type?: string | undefined;
      title?: string | undefined;
      detail?: string | undefined;
      validation_errors?: ConnectValidationError[] | undefined;
    },
  ) {
    super('connect_error', message, options);
    this.status = options?.status;
    this.type = options?.type;
    this.title = options?.title;
    this.detail = options?.detail;
    this.validation_errors = options?.validation_errors;
  }
}

/**
 * A passkey registration or login failed. `error` is the server's OAuth error when it sent one
 * (`invalid_grant` for a refused credential, `user_exists` …), and `status` its HTTP status.
 */
export class PasskeyError extends EnclaveError {
  static {
    PasskeyError.prototype.name = 'PasskeyError';
  }
  /** HTTP status of the server's answer, when the failure was one. */
  readonly status: number | undefined;
  constructor(
    message: string,
    options?: EnclaveErrorOptions & { error?: string; status?: number },
  ) {
    super('passkey_error', message, options);
    this.status = options?.status;
  }
}

/**
 * An MFA API call or MFA grant failed. `error` is the server's OAuth error when it sent one —
 * `invalid_grant` (wrong code), `expired_token`, `authorization_pending` and `slow_down` (keep
 * polling an out-of-band challenge), `too_many_attempts` … — and `status` its HTTP status.
 */
export class MfaError extends EnclaveError {
  static {
    MfaError.prototype.name = 'MfaError';
  }
  /** HTTP status of the server's answer, when the failure was one. */
  readonly status: number | undefined;
  constructor(
    message: string,
    options?: EnclaveErrorOptions & { error?: string; status?: number },
  ) {
    super('mfa_error', message, options);
    this.status = options?.status;
  }
}

export { EnclaveError as GenericError };
