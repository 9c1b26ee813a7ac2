/**
 * The one error model of auth0-enclave, shared by the core, the worker and the page.
 *
 * Every error is an {@link EnclaveError} with
 * - `code`: a stable value from the closed {@link ErrorCode} union — switch on this. Each class has
 *   its own code, so on an {@link AnyEnclaveError} `switch (err.code)` narrows to the class and
 *   its fields;
 * - `error`: the OAuth error string the server sent (`invalid_grant`, `login_required`, …) or,
 *   when the failure did not come from a server, the same value as `code` — the field
 *   `@auth0/auth0-spa-js` users already switch on;
 * - `error_description`: a human sentence, equal to `message`. Never match on it.
 *
 * Every class takes one constructor argument, an options object, and each option sets the
 * instance field of the same name (`message`, `error`, `status`, `mfa_token` …; `cause` is kept
 * as `Error` keeps it). Classes with a usual message make `message` optional; each concrete class
 * sets its own `code` (only the base class takes one). A subclass adds its own fields to the
 * same object and passes it on to `super`.
 *
 * Fields are `declare`d and set in the constructor: a plain field declaration compiles to a class
 * field that every bundle (page and worker) carries once more for nothing.
 *
 * Errors cross the page ↔ worker boundary as plain data and are rebuilt on the other side with
 * their class's own constructor (see src/rpc/errors.ts), so `instanceof` works on both sides.
 * Fields must therefore be plain data, and must never hold a credential. Each class sets `name`
 * on its prototype and registers itself under it, in a static block (`named`, ./error-registry.ts),
 * never from its constructor's name: minifiers rename classes, and the rebuilt error must still
 * find its class.
 *
 * Caller mistakes (a missing option, a wrong type) are not `EnclaveError`s: they throw a
 * `TypeError` naming the option.
 */

import { named } from './error-registry.js';

/** Every code an {@link EnclaveError} can carry. Stable: a new code is a new feature. */
export type ErrorCode =
  | 'oauth_error'
  | 'authentication_error'
  | 'login_required'
  | 'mfa_required'
  | 'missing_refresh_token'
  | 'missing_scopes'
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
  | 'mfa_error'
  | 'my_account_api_error';

/** What every error constructor accepts. Classes add their own fields to it. */
export interface EnclaveErrorOptions {
  /**
   * What went wrong, as a sentence; becomes `message` and `error_description`. Required by the
   * classes that have no usual message.
   */
  message?: string | undefined;
  /** The underlying failure. Kept on this side of the RPC boundary only. */
  cause?: unknown;
}

/** The options of the errors that report a server's answer ({@link PasskeyError}, {@link MfaError}, {@link ConnectError}). */
export interface ServerErrorOptions extends EnclaveErrorOptions {
  /** The server's OAuth `error` when it sent one; otherwise `error` is the class's code. */
  error?: string | undefined;
  /** HTTP status of the server's answer, when the failure was one. */
  status?: number | undefined;
}

/**
 * Base class of every error auth0-enclave throws. Exported as `GenericError` too, the name
 * auth0-spa-js users know. The SDK throws only its subclasses (the {@link AnyEnclaveError}
 * union); `instanceof EnclaveError` catches them all.
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
    named(EnclaveError, 'EnclaveError');
  }
  /** Stable code from {@link ErrorCode}; switch on this. */
  declare readonly code: ErrorCode;
  /** The server's OAuth `error` when there was one, otherwise equal to {@link code}. */
  declare readonly error: string;
  /** Human-readable description, equal to `message`. */
  declare readonly error_description: string;

  constructor(
    options: EnclaveErrorOptions & {
      code: ErrorCode;
      message: string;
      /** Defaults to `code`. */
      error?: string | undefined;
    },
  ) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.error = options.error ?? options.code;
    this.error_description = options.message;
  }
}

/** Options of {@link OAuthError}. */
export interface OAuthErrorOptions extends EnclaveErrorOptions {
  /** The server's OAuth `error`. */
  error: string;
  /** HTTP status of the response. */
  status: number;
}

/**
 * The authorization server answered a request with an OAuth error (`{ error, error_description }`):
 * `error` is the server's, `message` its `error_description`.
 */
export class OAuthError extends EnclaveError {
  static {
    named(OAuthError, 'OAuthError');
  }
  declare readonly code: 'oauth_error';
  /** HTTP status of the response. */
  declare readonly status: number;
  constructor(options: OAuthErrorOptions) {
    super({
      ...options,
      code: 'oauth_error',
      message: options.message || `The server answered "${options.error}".`,
    });
    this.status = options.status;
  }
}

/** Options of {@link AuthenticationError}. */
export interface AuthenticationErrorOptions extends EnclaveErrorOptions {
  /** The `error` of the callback (`login_required`, `access_denied`, …). */
  error: string;
  /** The `state` of the transaction the error belongs to. */
  state?: string | undefined;
  /** The `appState` given when the login started, when the transaction was known. */
  appState?: unknown;
}

/**
 * The authorization server redirected back with an error (for instance `login_required`,
 * `consent_required`, `access_denied`). `error` holds the server's code, `message` its
 * `error_description`.
 */
export class AuthenticationError extends EnclaveError {
  static {
    named(AuthenticationError, 'AuthenticationError');
  }
  declare readonly code: 'authentication_error';
  /** The `state` of the transaction the error belongs to. */
  declare readonly state: string | undefined;
  /** The `appState` given when the login started, when the transaction was known (`any`, as in auth0-spa-js). */
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js types appState as any; apps read it without a cast.
  declare readonly appState: any;
  constructor(options: AuthenticationErrorOptions) {
    super({
      ...options,
      code: 'authentication_error',
      message: options.message || `Login failed: "${options.error}".`,
    });
    this.state = options.state;
    this.appState = options.appState;
  }
}

/** There is no session to use: the user has to log in. */
export class LoginRequiredError extends EnclaveError {
  static {
    named(LoginRequiredError, 'LoginRequiredError');
  }
  declare readonly code: 'login_required';
  constructor(options: EnclaveErrorOptions = {}) {
    super({
      ...options,
      code: 'login_required',
      message: options.message ?? 'Login required: there is no session.',
    });
  }
}

/** What the server requires before it issues tokens (`mfa_requirements` of WIRE.md). */
export interface MfaRequirements {
  /** Factor types the user may be challenged with, e.g. `otp`, `oob`. */
  challenge?: { type: string }[];
  /** Factor types the user must enroll first, having none yet. */
  enroll?: { type: string }[];
}

/** Options of {@link MfaRequiredError}. */
export interface MfaRequiredErrorOptions extends EnclaveErrorOptions {
  /** On servers, Auth0's `mfa_token`; on the page, an opaque handle held by the worker. */
  mfa_token: string;
  /** The factors the server accepts or asks to enroll. */
  mfa_requirements?: MfaRequirements | undefined;
}

/**
 * The server requires multi-factor authentication. On the page, `mfa_token` is an opaque handle
 * that only the worker can redeem, never Auth0's token itself.
 */
export class MfaRequiredError extends EnclaveError {
  static {
    named(MfaRequiredError, 'MfaRequiredError');
  }
  declare readonly code: 'mfa_required';
  /** On servers, Auth0's `mfa_token`; on the page, an opaque handle held by the worker. */
  declare readonly mfa_token: string;
  /** The factors the server will accept (`challenge`) or let the user enroll (`enroll`). */
  declare readonly mfa_requirements: MfaRequirements | undefined;
  constructor(options: MfaRequiredErrorOptions) {
    super({
      ...options,
      code: 'mfa_required',
      message: options.message || 'Multi-factor authentication is required.',
    });
    this.mfa_token = options.mfa_token;
    this.mfa_requirements = options.mfa_requirements;
  }
}

/** Options of {@link MissingRefreshTokenError}. */
export interface MissingRefreshTokenErrorOptions extends EnclaveErrorOptions {
  /** The audience a refresh token was needed for; `undefined` for the default one. */
  audience?: string | undefined;
  /** The scope a refresh token was needed for; `undefined` for the default one. */
  scope?: string | undefined;
}

/** A refresh token was needed and none is held (for this audience and scope). */
export class MissingRefreshTokenError extends EnclaveError {
  static {
    named(MissingRefreshTokenError, 'MissingRefreshTokenError');
  }
  declare readonly code: 'missing_refresh_token';
  /** The audience a token was asked for (`undefined`: the default audience). */
  declare readonly audience: string | undefined;
  /** The scope a token was asked for (`undefined`: the default scope). */
  declare readonly scope: string | undefined;
  constructor(options: MissingRefreshTokenErrorOptions = {}) {
    super({
      ...options,
      code: 'missing_refresh_token',
      message:
        options.message ??
        `Missing refresh token for audience "${options.audience ?? 'default'}" and scope "${options.scope ?? 'default'}".`,
    });
    this.audience = options.audience;
    this.scope = options.scope;
  }
}

/**
 * A token came back without every scope that was asked for (auth0-spa-js's `MissingScopesError`,
 * thrown where its `useMrrt` gets a token narrower than requested).
 */
export class MissingScopesError extends EnclaveError {
  static {
    named(MissingScopesError, 'MissingScopesError');
  }
  declare readonly code: 'missing_scopes';
  /** The audience the token was asked for. */
  declare readonly audience: string | undefined;
  /** The scopes asked for and missing. */
  declare readonly scope: string | undefined;
  constructor(options: MissingRefreshTokenErrorOptions = {}) {
    super({
      ...options,
      code: 'missing_scopes',
      message:
        options.message ??
        `Missing requested scopes "${options.scope ?? ''}" for audience "${options.audience ?? 'default'}".`,
    });
    this.audience = options.audience;
    this.scope = options.scope;
  }
}

/** The server insisted on a new DPoP nonce even after one retry with a fresh proof. */
export class UseDpopNonceError extends EnclaveError {
  static {
    named(UseDpopNonceError, 'UseDpopNonceError');
  }
  declare readonly code: 'use_dpop_nonce';
  /** The nonce the server sent last (nonces are not secrets), as auth0-spa-js reports it. */
  declare readonly newDpopNonce: string | undefined;
  constructor(options: EnclaveErrorOptions & { newDpopNonce?: string | undefined } = {}) {
    super({
      ...options,
      code: 'use_dpop_nonce',
      message: options.message ?? 'The server still requires a new DPoP nonce after one retry.',
    });
    this.newDpopNonce = options.newDpopNonce;
  }
}

/** An ID token failed verification: signature, algorithm or one of its claims. Nothing was stored. */
export class IdTokenValidationError extends EnclaveError {
  static {
    named(IdTokenValidationError, 'IdTokenValidationError');
  }
  declare readonly code: 'invalid_id_token';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'invalid_id_token' });
  }
}

/** A back-channel logout token failed verification. */
export class LogoutTokenValidationError extends EnclaveError {
  static {
    named(LogoutTokenValidationError, 'LogoutTokenValidationError');
  }
  declare readonly code: 'invalid_logout_token';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'invalid_logout_token' });
  }
}

/** A callback's `state` does not belong to a pending login (unknown, reused or mismatched). */
export class InvalidStateError extends EnclaveError {
  static {
    named(InvalidStateError, 'InvalidStateError');
  }
  declare readonly code: 'invalid_state';
  constructor(options: EnclaveErrorOptions = {}) {
    super({
      ...options,
      code: 'invalid_state',
      message:
        options.message ?? 'The callback does not match a pending login (unknown or reused state).',
    });
  }
}

/** Options of {@link ResponseError}. */
export interface ResponseErrorOptions extends EnclaveErrorOptions {
  message: string;
  /** HTTP status of the response, when it got that far. */
  status?: number | undefined;
}

/** A response was not what the protocol promises: not JSON, truncated, oversized, fields missing. */
export class ResponseError extends EnclaveError {
  static {
    named(ResponseError, 'ResponseError');
  }
  declare readonly code: 'invalid_response';
  /** The HTTP status of the response, when there was one. */
  declare readonly status: number | undefined;
  constructor(options: ResponseErrorOptions) {
    super({ ...options, code: 'invalid_response' });
    this.status = options.status;
  }
}

/** Options of {@link HttpError}. */
export interface HttpErrorOptions extends EnclaveErrorOptions {
  message: string;
  /** HTTP status of the response. */
  status: number;
}

/** The server answered with an HTTP error that carries no OAuth error (a 5xx, a bare 404). */
export class HttpError extends EnclaveError {
  static {
    named(HttpError, 'HttpError');
  }
  declare readonly code: 'http_error';
  /** The HTTP status the server answered with. */
  declare readonly status: number;
  constructor(options: HttpErrorOptions) {
    super({ ...options, code: 'http_error' });
    this.status = options.status;
  }
}

/** The request never got a response (connection refused, DNS, CORS). */
export class NetworkError extends EnclaveError {
  static {
    named(NetworkError, 'NetworkError');
  }
  declare readonly code: 'network_error';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'network_error' });
  }
}

/**
 * An operation did not finish within its time limit. {@link PopupTimeoutError} is one too (as in
 * auth0-spa-js), with its own code: `code` is `timeout` or `popup_timeout`.
 */
export class TimeoutError<
  /** `popup_timeout` for {@link PopupTimeoutError}; a plain TimeoutError's code is `timeout`. */
  Code extends 'timeout' | 'popup_timeout' = 'timeout',
> extends EnclaveError {
  static {
    named(TimeoutError, 'TimeoutError');
  }
  declare readonly code: Code;
  constructor(options: EnclaveErrorOptions = {}) {
    super({ ...options, code: 'timeout', message: options.message ?? 'Timeout.' });
  }
}

/**
 * The popup window of a popup error: a `Window` on the page (src/core has no DOM lib, so the
 * members apps use are named here). Page only: it never crosses to the worker.
 */
export interface PopupWindow {
  /** Whether the user or the page closed it. */
  readonly closed: boolean;
  /** Closes it. */
  close(): void;
  /** Brings it to the front. */
  focus(): void;
}

/** Options of the popup errors. */
export interface PopupErrorOptions extends EnclaveErrorOptions {
  /** The popup window, so the app can close or focus it. */
  popup?: PopupWindow | undefined;
}

/** The login popup could not be opened (blocked by the browser). */
export class PopupOpenError extends EnclaveError {
  static {
    named(PopupOpenError, 'PopupOpenError');
  }
  declare readonly code: 'popup_open';
  constructor(options: EnclaveErrorOptions = {}) {
    super({
      ...options,
      code: 'popup_open',
      message: options.message ?? 'Unable to open a popup for loginWithPopup: it was blocked.',
    });
  }
}

/** The user closed the login popup before the login finished. `error` is `cancelled`, as in auth0-spa-js. */
export class PopupCancelledError extends EnclaveError {
  static {
    named(PopupCancelledError, 'PopupCancelledError');
  }
  declare readonly code: 'popup_cancelled';
  /** The popup window (auth0-spa-js's field). */
  declare readonly popup: PopupWindow;
  constructor(options: PopupErrorOptions = {}) {
    super({
      ...options,
      code: 'popup_cancelled',
      error: 'cancelled',
      message: options.message ?? 'The popup was closed before the login finished.',
    });
    this.popup = options.popup as PopupWindow;
  }
}

/**
 * The login popup did not finish in time: a {@link TimeoutError} with `error` `timeout` and the
 * `popup` (still open unless `closePopup`), as in auth0-spa-js.
 */
export class PopupTimeoutError extends TimeoutError<'popup_timeout'> {
  static {
    named(PopupTimeoutError, 'PopupTimeoutError');
  }
  declare readonly code: 'popup_timeout';
  /** The popup window (auth0-spa-js's field). */
  declare readonly popup: PopupWindow;
  constructor(options: PopupErrorOptions = {}) {
    super({
      ...options,
      message: options.message ?? 'The popup did not finish the login in time.',
    });
    // One constructor shape: TimeoutError takes no code, so the subclass sets its own here.
    (this as { code: ErrorCode }).code = 'popup_timeout';
    this.popup = options.popup as PopupWindow;
  }
}

/** The SDK is configured in a way that cannot work (or the server lacks what the config needs). */
export class InvalidConfigurationError extends EnclaveError {
  static {
    named(InvalidConfigurationError, 'InvalidConfigurationError');
  }
  declare readonly code: 'invalid_configuration';
  /** What to change (auth0-spa-js's field): for a page option, the worker option to set. */
  declare readonly suggestion: string;
  constructor(options: EnclaveErrorOptions & { message: string; suggestion?: string | undefined }) {
    super({ ...options, code: 'invalid_configuration' });
    this.suggestion = options.suggestion ?? '';
  }
}

/** The server does not offer what was asked for (for instance no revocation endpoint). */
export class NotSupportedError extends EnclaveError {
  static {
    named(NotSupportedError, 'NotSupportedError');
  }
  declare readonly code: 'not_supported';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'not_supported' });
  }
}

/** The worker's configuration does not allow this (an audience, scope or URL outside the allow-list). */
export class NotAllowedError extends EnclaveError {
  static {
    named(NotAllowedError, 'NotAllowedError');
  }
  declare readonly code: 'not_allowed';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'not_allowed' });
  }
}

/** Page code asked for a token, and the worker's config does not expose tokens to the page. */
export class TokenNotExposedError extends EnclaveError {
  static {
    named(TokenNotExposedError, 'TokenNotExposedError');
  }
  declare readonly code: 'token_not_exposed';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'token_not_exposed' });
  }
}

/** The service worker is unavailable, blocked or did not take control in time. Fails closed. */
export class WorkerUnavailableError extends EnclaveError {
  static {
    named(WorkerUnavailableError, 'WorkerUnavailableError');
  }
  declare readonly code: 'worker_unavailable';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'worker_unavailable' });
  }
}

/** The worker refused an RPC message (unknown method, property walk, bad arguments, wrong protocol). */
export class RpcRejectedError extends EnclaveError {
  static {
    named(RpcRejectedError, 'RpcRejectedError');
  }
  declare readonly code: 'rpc_rejected';
  constructor(options: EnclaveErrorOptions & { message: string }) {
    super({ ...options, code: 'rpc_rejected' });
  }
}

/** One field-level complaint of a My Account API problem-details answer. */
export interface ConnectValidationError {
  /** What is wrong with the value, in the API's words. */
  detail: string;
  /** The name of the offending field, when given. */
  field?: string;
  /** JSON Pointer (RFC 6901) to the offending value in the request, when given. */
  pointer?: string;
  /** Where the offending value was, e.g. `body` or `query`, when given. */
  source?: string;
}

/** Options of {@link ConnectError}: the RFC 9457 problem details, when the API sent them. */
export interface ConnectErrorOptions extends ServerErrorOptions {
  message: string;
  /** Problem type URI. */
  type?: string | undefined;
  /** Short summary of the problem. */
  title?: string | undefined;
  /** What went wrong this time. */
  detail?: string | undefined;
  /** Field-level errors of a 400. */
  validation_errors?: ConnectValidationError[] | undefined;
  /** The connection being linked (auth0-spa-js's field). */
  connection?: string | undefined;
  /** The `state` of the connect transaction. */
  state?: string | undefined;
  /** The `appState` given to `connectAccountWithRedirect`. */
  appState?: unknown;
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
    named(ConnectError, 'ConnectError');
  }
  declare readonly code: 'connect_error';
  /** HTTP status of the problem-details answer. */
  declare readonly status: number | undefined;
  /** Problem type URI. */
  declare readonly type: string | undefined;
  /** Short summary of the problem. */
  declare readonly title: string | undefined;
  /** What went wrong this time. */
  declare readonly detail: string | undefined;
  /** Field-level errors of a 400. */
  declare readonly validation_errors: ConnectValidationError[] | undefined;
  /** The connection being linked (auth0-spa-js's field). */
  declare readonly connection: string | undefined;
  /** The `state` of the connect transaction. */
  declare readonly state: string | undefined;
  /** The `appState` given to `connectAccountWithRedirect` (`any`, as in auth0-spa-js). */
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js types appState as any.
  declare readonly appState: any;
  constructor(options: ConnectErrorOptions) {
    super({ ...options, code: 'connect_error' });
    this.status = options.status;
    this.type = options.type;
    this.title = options.title;
    this.detail = options.detail;
    this.validation_errors = options.validation_errors;
    this.connection = options.connection;
    this.state = options.state;
    this.appState = options.appState;
  }
}

/**
 * A passkey registration or login failed. `error` is the server's OAuth error when it sent one
 * (`invalid_grant` for a refused credential, `user_exists` …), and `status` its HTTP status.
 */
export class PasskeyError extends EnclaveError {
  static {
    named(PasskeyError, 'PasskeyError');
  }
  declare readonly code: 'passkey_error';
  /** HTTP status of the server's answer, when the failure was one. */
  declare readonly status: number | undefined;
  constructor(options: ServerErrorOptions & { message: string }) {
    super({ ...options, code: 'passkey_error' });
    this.status = options.status;
  }
}

/**
 * An MFA API call or MFA grant failed. `error` is the server's OAuth error when it sent one —
 * `invalid_grant` (wrong code), `expired_token`, `authorization_pending` and `slow_down` (keep
 * polling an out-of-band challenge), `too_many_attempts` … — and `status` its HTTP status.
 */
export class MfaError extends EnclaveError {
  static {
    named(MfaError, 'MfaError');
  }
  declare readonly code: 'mfa_error';
  /** HTTP status of the server's answer, when the failure was one. */
  declare readonly status: number | undefined;
  constructor(options: ServerErrorOptions & { message: string }) {
    super({ ...options, code: 'mfa_error' });
    this.status = options.status;
  }
}

/** A passkey signup challenge failed (auth0-spa-js's `PasskeyRegisterError`). */
export class PasskeyRegisterError extends PasskeyError {
  static {
    named(PasskeyRegisterError, 'PasskeyRegisterError');
  }
}

/** A passkey login challenge failed (auth0-spa-js's `PasskeyChallengeError`). */
export class PasskeyChallengeError extends PasskeyError {
  static {
    named(PasskeyChallengeError, 'PasskeyChallengeError');
  }
}

/** Redeeming a passkey credential for tokens failed (auth0-spa-js's `PasskeyGetTokenError`). */
export class PasskeyGetTokenError extends PasskeyError {
  static {
    named(PasskeyGetTokenError, 'PasskeyGetTokenError');
  }
}

/** `auth0.mfa.getAuthenticators` failed (auth0-spa-js's `MfaListAuthenticatorsError`). */
export class MfaListAuthenticatorsError extends MfaError {
  static {
    named(MfaListAuthenticatorsError, 'MfaListAuthenticatorsError');
  }
}

/** `auth0.mfa.enroll` failed (auth0-spa-js's `MfaEnrollmentError`). */
export class MfaEnrollmentError extends MfaError {
  static {
    named(MfaEnrollmentError, 'MfaEnrollmentError');
  }
}

/** `auth0.mfa.challenge` failed (auth0-spa-js's `MfaChallengeError`). */
export class MfaChallengeError extends MfaError {
  static {
    named(MfaChallengeError, 'MfaChallengeError');
  }
}

/** `auth0.mfa.verify` failed (auth0-spa-js's `MfaVerifyError`): a wrong code, an expired token … */
export class MfaVerifyError extends MfaError {
  static {
    named(MfaVerifyError, 'MfaVerifyError');
  }
}

/** `auth0.mfa.getEnrollmentFactors` failed (auth0-spa-js's `MfaEnrollmentFactorsError`). */
export class MfaEnrollmentFactorsError extends MfaError {
  static {
    named(MfaEnrollmentFactorsError, 'MfaEnrollmentFactorsError');
  }
}

/** Options of {@link MyAccountApiError}: the API's RFC 9457 problem details. */
export interface MyAccountApiErrorOptions extends EnclaveErrorOptions {
  /** Problem type URI. */
  type?: string | undefined;
  /** HTTP status. */
  status?: number | undefined;
  /** Short summary of the problem. */
  title?: string | undefined;
  /** What went wrong this time. */
  detail?: string | undefined;
  /** Field-level errors of a 400. */
  validation_errors?: ConnectValidationError[] | undefined;
}

/**
 * A My Account API call (`auth0.myAccount.*`) failed with problem details (auth0-spa-js's
 * `MyAccountApiError`): `status`, `type`, `title`, `detail`, `validation_errors`.
 */
export class MyAccountApiError extends EnclaveError {
  static {
    named(MyAccountApiError, 'MyAccountApiError');
  }
  declare readonly code: 'my_account_api_error';
  /** Problem type URI. */
  declare readonly type: string;
  /** HTTP status. */
  declare readonly status: number;
  /** Short summary of the problem. */
  declare readonly title: string;
  /** What went wrong this time. */
  declare readonly detail: string;
  /** Field-level errors of a 400. */
  declare readonly validation_errors: ConnectValidationError[] | undefined;
  constructor(options: MyAccountApiErrorOptions) {
    super({
      ...options,
      code: 'my_account_api_error',
      message: options.message || options.detail || options.title || 'My Account API error.',
    });
    this.type = options.type ?? '';
    this.status = options.status ?? 0;
    this.title = options.title ?? '';
    this.detail = options.detail ?? '';
    this.validation_errors = options.validation_errors;
  }
}

/**
 * Every error the SDK throws, as a union discriminated by `code`: each class has a code of its
 * own, so `switch (err.code)` narrows to the class and its fields (`status`, `mfa_token`,
 * `appState` …). `instanceof EnclaveError` tells an SDK error from any other; the union is what
 * it is then.
 *
 * @example
 * ```ts
 * import { type AnyEnclaveError, EnclaveError } from 'auth0-enclave';
 *
 * async function token(): Promise<string | undefined> {
 *   try {
 *     return await auth0.getTokenSilently();
 *   } catch (caught) {
 *     if (!(caught instanceof EnclaveError)) throw caught;
 *     const err = caught as AnyEnclaveError;
 *     switch (err.code) {
 *       case 'login_required':
 *         await auth0.loginWithRedirect();
 *         return undefined;
 *       case 'mfa_required': // err is an MfaRequiredError here
 *         console.info('MFA needed', err.mfa_token, err.mfa_requirements);
 *         return undefined;
 *       case 'oauth_error': // err is an OAuthError: the server's `error` and HTTP status
 *         console.warn(err.error, err.status);
 *         return undefined;
 *       default:
 *         throw err;
 *     }
 *   }
 * }
 * ```
 */
export type AnyEnclaveError =
  | OAuthError
  | AuthenticationError
  | LoginRequiredError
  | MfaRequiredError
  | MissingRefreshTokenError
  | UseDpopNonceError
  | IdTokenValidationError
  | LogoutTokenValidationError
  | InvalidStateError
  | ResponseError
  | HttpError
  | NetworkError
  | TimeoutError
  | PopupOpenError
  | PopupCancelledError
  | PopupTimeoutError
  | InvalidConfigurationError
  | NotSupportedError
  | NotAllowedError
  | TokenNotExposedError
  | WorkerUnavailableError
  | RpcRejectedError
  | ConnectError
  | PasskeyError
  | MfaError
  | MissingScopesError
  | MyAccountApiError
  // auth0-spa-js's subclasses: the code of their parent (`mfa_error`, `passkey_error`).
  | MfaListAuthenticatorsError
  | MfaEnrollmentError
  | MfaChallengeError
  | MfaVerifyError
  | MfaEnrollmentFactorsError
  | PasskeyRegisterError
  | PasskeyChallengeError
  | PasskeyGetTokenError;

export { EnclaveError as GenericError };
