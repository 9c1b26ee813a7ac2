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
  MfaError,
  MfaRequiredError,
  MissingRefreshTokenError,
  NetworkError,
  NotAllowedError,
  NotSupportedError,
  OAuthError,
  PasskeyError,
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
  /** Builds an instance; `cause` is passed where the constructor accepts one. */
  make: (cause?: unknown) => EnclaveError;
  code: ErrorCode;
  /** The expected `error`; defaults to `code`. */
  error?: string;
  acceptsCause: boolean;
}

const CASES: Record<string, Case> = {
  EnclaveError: {
    make: (cause) => new EnclaveError('not_allowed', 'base', { cause }),
    code: 'not_allowed',
    acceptsCause: true,
  },
  OAuthError: {
    make: (cause) =>
      new OAuthError({ error: 'invalid_grant', description: 'bad', status: 400, cause }),
    code: 'oauth_error',
    error: 'invalid_grant',
    acceptsCause: true,
  },
  AuthenticationError: {
    make: (cause) => new AuthenticationError({ error: 'login_required', state: 's', cause }),
    code: 'authentication_error',
    error: 'login_required',
    acceptsCause: true,
  },
  LoginRequiredError: {
    make: (cause) => new LoginRequiredError(undefined, { cause }),
    code: 'login_required',
    acceptsCause: true,
  },
  MfaRequiredError: {
    make: (cause) => new MfaRequiredError({ mfa_token: 't', cause }),
    code: 'mfa_required',
    acceptsCause: true,
  },
  MissingRefreshTokenError: {
    make: () => new MissingRefreshTokenError({ audience: 'a', scope: 's' }),
    code: 'missing_refresh_token',
    acceptsCause: false,
  },
  UseDpopNonceError: {
    make: () => new UseDpopNonceError(),
    code: 'use_dpop_nonce',
    acceptsCause: false,
  },
  IdTokenValidationError: {
    make: (cause) => new IdTokenValidationError('bad', { cause }),
    code: 'invalid_id_token',
    acceptsCause: true,
  },
  LogoutTokenValidationError: {
    make: (cause) => new LogoutTokenValidationError('bad', { cause }),
    code: 'invalid_logout_token',
    acceptsCause: true,
  },
  InvalidStateError: {
    make: () => new InvalidStateError(),
    code: 'invalid_state',
    acceptsCause: false,
  },
  ResponseError: {
    make: (cause) => new ResponseError('bad', { cause, status: 200 }),
    code: 'invalid_response',
    acceptsCause: true,
  },
  HttpError: { make: () => new HttpError(503, 'down'), code: 'http_error', acceptsCause: false },
  NetworkError: {
    make: (cause) => new NetworkError('down', { cause }),
    code: 'network_error',
    acceptsCause: true,
  },
  TimeoutError: {
    make: (cause) => new TimeoutError(undefined, { cause }),
    code: 'timeout',
    acceptsCause: true,
  },
  PopupOpenError: { make: () => new PopupOpenError(), code: 'popup_open', acceptsCause: false },
  PopupCancelledError: {
    make: () => new PopupCancelledError(),
    code: 'popup_cancelled',
    error: 'cancelled',
    acceptsCause: false,
  },
  PopupTimeoutError: {
    make: () => new PopupTimeoutError(),
    code: 'popup_timeout',
    error: 'timeout',
    acceptsCause: false,
  },
  InvalidConfigurationError: {
    make: (cause) => new InvalidConfigurationError('bad', { cause }),
    code: 'invalid_configuration',
    acceptsCause: true,
  },
  NotSupportedError: {
    make: () => new NotSupportedError('no'),
    code: 'not_supported',
    acceptsCause: false,
  },
  NotAllowedError: {
    make: () => new NotAllowedError('no'),
    code: 'not_allowed',
    acceptsCause: false,
  },
  TokenNotExposedError: {
    make: () => new TokenNotExposedError('no'),
    code: 'token_not_exposed',
    acceptsCause: false,
  },
  WorkerUnavailableError: {
    make: (cause) => new WorkerUnavailableError('gone', { cause }),
    code: 'worker_unavailable',
    acceptsCause: true,
  },
  RpcRejectedError: {
    make: () => new RpcRejectedError('no'),
    code: 'rpc_rejected',
    acceptsCause: false,
  },
  ConnectError: {
    make: (cause) => new ConnectError('bad', { cause }),
    code: 'connect_error',
    acceptsCause: true,
  },
  PasskeyError: {
    make: (cause) => new PasskeyError('bad', { cause }),
    code: 'passkey_error',
    acceptsCause: true,
  },
  MfaError: {
    make: (cause) => new MfaError('bad', { cause }),
    code: 'mfa_error',
    acceptsCause: true,
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

test.each(Object.entries(CASES).filter(([, { acceptsCause }]) => acceptsCause))(
  '%s keeps its cause',
  (_name, { make }) => {
    const cause = new Error('root');
    expect(make(cause).cause).toBe(cause);
    expect('cause' in make()).toBe(false);
  },
);

test('GenericError is EnclaveError', () => {
  expect(GenericError).toBe(EnclaveError);
});

test('OAuthError keeps status and the server error; description becomes the message', () => {
  const err = new OAuthError({ error: 'invalid_grant', description: 'Expired code', status: 403 });
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
  expect(new ConnectError('x', { error: 'invalid_request' }).error).toBe('invalid_request');
  expect(new PasskeyError('x', { error: 'invalid_request' }).error).toBe('invalid_request');
  expect(new MfaError('x', { error: 'invalid_otp' }).error).toBe('invalid_otp');
});

test('HttpError and ResponseError keep the status', () => {
  expect(new HttpError(502, 'x').status).toBe(502);
  expect(new ResponseError('x', { status: 200 }).status).toBe(200);
  expect(new ResponseError('x').status).toBeUndefined();
});
