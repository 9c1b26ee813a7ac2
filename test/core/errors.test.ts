import { describe, expect, test } from 'vitest';
import * as errors from '../../src/core/errors.js';
import {
  AuthenticationError,
  ConnectError,
  EnclaveError,
  type ErrorCode,
  GenericError,
  HttpError,
  IdTokenValidationError,
  InvalidConfigurationError,
  InvalidStateError,
  LoginRequiredError,
  LogoutTokenValidationError,
  MfaChallengeError,
  MfaEnrollmentError,
  MfaEnrollmentFactorsError,
  MfaError,
  MfaListAuthenticatorsError,
  MfaRequiredError,
  MfaVerifyError,
  MissingRefreshTokenError,
  MissingScopesError,
  MyAccountApiError,
  NetworkError,
  NotAllowedError,
  NotSupportedError,
  OAuthError,
  PasskeyChallengeError,
  PasskeyError,
  PasskeyGetTokenError,
  PasskeyRegisterError,
  PopupCancelledError,
  PopupOpenError,
  PopupTimeoutError,
  ResponseError,
  RpcRejectedError,
  TimeoutError,
  TokenNotExposedError,
  UseDpopNonceError,
  WorkerUnavailableError,
} from '../../src/core/errors.js';

// A Record over the union: the compiler fails this file when a code is added or removed.
const CODES: Record<ErrorCode, true> = {
  oauth_error: true,
  authentication_error: true,
  login_required: true,
  mfa_required: true,
  missing_refresh_token: true,
  missing_scopes: true,
  my_account_api_error: true,
  use_dpop_nonce: true,
  invalid_id_token: true,
  invalid_logout_token: true,
  invalid_state: true,
  invalid_response: true,
  http_error: true,
  network_error: true,
  timeout: true,
  popup_open: true,
  popup_cancelled: true,
  popup_timeout: true,
  invalid_configuration: true,
  not_supported: true,
  not_allowed: true,
  token_not_exposed: true,
  worker_unavailable: true,
  rpc_rejected: true,
  connect_error: true,
  passkey_error: true,
  mfa_error: true,
};

interface Case {
  /** Builds an instance with `cause` (every constructor accepts one). */
  make: (cause?: unknown) => EnclaveError;
  code: ErrorCode;
  /** The expected `error`; defaults to `code`. */
  error?: string;
}

const CASES: Record<string, Case> = {
  EnclaveError: {
    make: (cause) => new EnclaveError({ code: 'not_allowed', message: 'base', cause }),
    code: 'not_allowed',
  },
  OAuthError: {
    make: (cause) => new OAuthError({ error: 'invalid_grant', message: 'bad', status: 400, cause }),
    code: 'oauth_error',
    error: 'invalid_grant',
  },
  AuthenticationError: {
    make: (cause) => new AuthenticationError({ error: 'login_required', state: 's', cause }),
    code: 'authentication_error',
    error: 'login_required',
  },
  LoginRequiredError: {
    make: (cause) => new LoginRequiredError({ cause }),
    code: 'login_required',
  },
  MfaRequiredError: {
    make: (cause) => new MfaRequiredError({ mfa_token: 't', cause }),
    code: 'mfa_required',
  },
  MissingRefreshTokenError: {
    make: (cause) => new MissingRefreshTokenError({ audience: 'a', scope: 's', cause }),
    code: 'missing_refresh_token',
  },
  UseDpopNonceError: {
    make: (cause) => new UseDpopNonceError({ cause }),
    code: 'use_dpop_nonce',
  },
  IdTokenValidationError: {
    make: (cause) => new IdTokenValidationError({ message: 'bad', cause }),
    code: 'invalid_id_token',
  },
  LogoutTokenValidationError: {
    make: (cause) => new LogoutTokenValidationError({ message: 'bad', cause }),
    code: 'invalid_logout_token',
  },
  InvalidStateError: {
    make: (cause) => new InvalidStateError({ cause }),
    code: 'invalid_state',
  },
  ResponseError: {
    make: (cause) => new ResponseError({ message: 'bad', cause, status: 200 }),
    code: 'invalid_response',
  },
  HttpError: {
    make: (cause) => new HttpError({ status: 503, message: 'down', cause }),
    code: 'http_error',
  },
  NetworkError: {
    make: (cause) => new NetworkError({ message: 'down', cause }),
    code: 'network_error',
  },
  TimeoutError: {
    make: (cause) => new TimeoutError({ cause }),
    code: 'timeout',
  },
  PopupOpenError: {
    make: (cause) => new PopupOpenError({ cause }),
    code: 'popup_open',
  },
  PopupCancelledError: {
    make: (cause) => new PopupCancelledError({ cause }),
    code: 'popup_cancelled',
    error: 'cancelled',
  },
  PopupTimeoutError: {
    make: (cause) => new PopupTimeoutError({ cause }),
    code: 'popup_timeout',
    error: 'timeout',
  },
  InvalidConfigurationError: {
    make: (cause) => new InvalidConfigurationError({ message: 'bad', cause }),
    code: 'invalid_configuration',
  },
  NotSupportedError: {
    make: (cause) => new NotSupportedError({ message: 'no', cause }),
    code: 'not_supported',
  },
  NotAllowedError: {
    make: (cause) => new NotAllowedError({ message: 'no', cause }),
    code: 'not_allowed',
  },
  TokenNotExposedError: {
    make: (cause) => new TokenNotExposedError({ message: 'no', cause }),
    code: 'token_not_exposed',
  },
  WorkerUnavailableError: {
    make: (cause) => new WorkerUnavailableError({ message: 'gone', cause }),
    code: 'worker_unavailable',
  },
  RpcRejectedError: {
    make: (cause) => new RpcRejectedError({ message: 'no', cause }),
    code: 'rpc_rejected',
  },
  ConnectError: {
    make: (cause) => new ConnectError({ message: 'bad', cause }),
    code: 'connect_error',
  },
  PasskeyError: {
    make: (cause) => new PasskeyError({ message: 'bad', cause }),
    code: 'passkey_error',
  },
  MfaError: {
    make: (cause) => new MfaError({ message: 'bad', cause }),
    code: 'mfa_error',
  },
  MissingScopesError: {
    make: (cause) => new MissingScopesError({ audience: 'https://api/', scope: 'write', cause }),
    code: 'missing_scopes',
  },
  MyAccountApiError: {
    make: (cause) => new MyAccountApiError({ status: 404, title: 'Not Found', cause }),
    code: 'my_account_api_error',
  },
  // auth0-spa-js's subclasses carry their parent's code.
  PasskeyRegisterError: {
    make: (cause) => new PasskeyRegisterError({ message: 'bad', cause }),
    code: 'passkey_error',
  },
  PasskeyChallengeError: {
    make: (cause) => new PasskeyChallengeError({ message: 'bad', cause }),
    code: 'passkey_error',
  },
  PasskeyGetTokenError: {
    make: (cause) => new PasskeyGetTokenError({ message: 'bad', cause }),
    code: 'passkey_error',
  },
  MfaListAuthenticatorsError: {
    make: (cause) => new MfaListAuthenticatorsError({ message: 'bad', cause }),
    code: 'mfa_error',
  },
  MfaEnrollmentError: {
    make: (cause) => new MfaEnrollmentError({ message: 'bad', cause }),
    code: 'mfa_error',
  },
  MfaChallengeError: {
    make: (cause) => new MfaChallengeError({ message: 'bad', cause }),
    code: 'mfa_error',
  },
  MfaVerifyError: {
    make: (cause) => new MfaVerifyError({ message: 'bad', cause }),
    code: 'mfa_error',
  },
  MfaEnrollmentFactorsError: {
    make: (cause) => new MfaEnrollmentFactorsError({ message: 'bad', cause }),
    code: 'mfa_error',
  },
};

const exportedClasses = Object.entries(errors).filter(
  ([name, value]) => typeof value === 'function' && name !== 'GenericError',
);

test('every exported error class has a case here', () => {
  expect(exportedClasses.map(([name]) => name).sort()).toEqual(Object.keys(CASES).sort());
});

describe.each(Object.entries(CASES))('%s', (name, { make, code, error }) => {
  const ExportedClass = (errors as Record<string, unknown>)[name];

  test('has name equal to its class name and is an EnclaveError and an Error', () => {
    const err = make();
    expect(err).toBeInstanceOf(ExportedClass as new (...args: never[]) => unknown);
    expect(err).toBeInstanceOf(EnclaveError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(name);
    expect(err.constructor.name).toBe(name);
  });

  test('carries a code from the union, `error` and `error_description`', () => {
    const err = make();
    expect(err.code).toBe(code);
    expect(Object.hasOwn(CODES, err.code)).toBe(true);
    expect(err.error).toBe(error ?? code);
    expect(err.error_description).toBe(err.message);
    expect(err.message.length).toBeGreaterThan(0);
  });
});

test.each(Object.entries(CASES))('%s keeps its cause', (_name, { make }) => {
  const cause = new Error('root');
  expect(make(cause).cause).toBe(cause);
  expect('cause' in make()).toBe(false);
});

test.each(exportedClasses)('%s takes one argument, an options object', (_name, Class) => {
  // `length` counts the parameters before the first default: 0 or 1, never a second positional.
  expect(Class.length).toBeLessThanOrEqual(1);
});

// The classes whose message has a default: it applies when `message` is left out, and a given
// `message` replaces it.
const DEFAULT_MESSAGES: [string, (options: { message?: string }) => EnclaveError][] = [
  ['OAuthError', (o) => new OAuthError({ ...o, error: 'invalid_grant', status: 400 })],
  ['AuthenticationError', (o) => new AuthenticationError({ ...o, error: 'access_denied' })],
  ['LoginRequiredError', (o) => new LoginRequiredError(o)],
  ['MfaRequiredError', (o) => new MfaRequiredError({ ...o, mfa_token: 't' })],
  ['MissingRefreshTokenError', (o) => new MissingRefreshTokenError(o)],
  ['UseDpopNonceError', (o) => new UseDpopNonceError(o)],
  ['InvalidStateError', (o) => new InvalidStateError(o)],
  ['TimeoutError', (o) => new TimeoutError(o)],
  ['PopupOpenError', (o) => new PopupOpenError(o)],
  ['PopupCancelledError', (o) => new PopupCancelledError(o)],
  ['PopupTimeoutError', (o) => new PopupTimeoutError(o)],
];

test.each(DEFAULT_MESSAGES)('%s has a default message, and `message` replaces it', (_, make) => {
  const byDefault = make({});
  expect(byDefault.message.length).toBeGreaterThan(0);
  expect(byDefault.error_description).toBe(byDefault.message);
  const given = make({ message: 'Said otherwise.' });
  expect(given.message).toBe('Said otherwise.');
  expect(given.error_description).toBe('Said otherwise.');
});

test('the default messages name what they are about', () => {
  expect(new OAuthError({ error: 'invalid_grant', status: 400 }).message).toBe(
    'The server answered "invalid_grant".',
  );
  expect(new AuthenticationError({ error: 'access_denied', message: undefined }).message).toBe(
    'Login failed: "access_denied".',
  );
  expect(new MissingRefreshTokenError({ audience: 'https://api/' }).message).toBe(
    'Missing refresh token for audience "https://api/" and scope "default".',
  );
});

test('GenericError is EnclaveError', () => {
  expect(GenericError).toBe(EnclaveError);
});

test("OAuthError keeps status and the server error; the server's description is the message", () => {
  const err = new OAuthError({ error: 'invalid_grant', message: 'Expired code', status: 403 });
  expect(err.status).toBe(403);
  expect(err.error).toBe('invalid_grant');
  expect(err.error_description).toBe('Expired code');
  expect(err.message).toBe('Expired code');
});

test('AuthenticationError keeps state and appState', () => {
  const err = new AuthenticationError({
    error: 'access_denied',
    state: 's1',
    appState: { to: '/x' },
  });
  expect(err.state).toBe('s1');
  expect(err.appState).toEqual({ to: '/x' });
});

test('MfaRequiredError keeps mfa_token and mfa_requirements', () => {
  const requirements = { challenge: [{ type: 'otp' }] };
  const err = new MfaRequiredError({ mfa_token: 'tok', mfa_requirements: requirements });
  expect(err.mfa_token).toBe('tok');
  expect(err.mfa_requirements).toEqual(requirements);
});

test('ConnectError, PasskeyError and MfaError take the server error when given', () => {
  expect(new ConnectError({ message: 'x', error: 'invalid_request' }).error).toBe(
    'invalid_request',
  );
  expect(new PasskeyError({ message: 'x', error: 'invalid_request' }).error).toBe(
    'invalid_request',
  );
  expect(new MfaError({ message: 'x', error: 'invalid_otp' }).error).toBe('invalid_otp');
});

test('HttpError and ResponseError keep the status', () => {
  expect(new HttpError({ status: 502, message: 'x' }).status).toBe(502);
  expect(new ResponseError({ message: 'x', status: 200 }).status).toBe(200);
  expect(new ResponseError({ message: 'x' }).status).toBeUndefined();
});
