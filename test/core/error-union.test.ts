import { describe, expect, expectTypeOf, test } from 'vitest';
import * as errors from '../../src/core/errors.js';
import {
  type AnyEnclaveError,
  AuthenticationError,
  ConnectError,
  type EnclaveError,
  type ErrorCode,
  HttpError,
  IdTokenValidationError,
  InvalidConfigurationError,
  InvalidStateError,
  LoginRequiredError,
  LogoutTokenValidationError,
  MfaError,
  MfaRequiredError,
  type MfaRequirements,
  MissingRefreshTokenError,
  MissingScopesError,
  MyAccountApiError,
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

// The type-level half of this file is checked by `npm run typecheck` (tsconfig.json includes
// test/): a narrowing that stops working fails the build, not just this run.

/** Each code's class. The mapped type is the proof: it compiles only if every code of the union has exactly the class written here. */
const CLASS_BY_CODE: {
  [C in ErrorCode]: abstract new (
    options: never,
  ) => Extract<AnyEnclaveError, { code: C }>;
} = {
  oauth_error: OAuthError,
  authentication_error: AuthenticationError,
  login_required: LoginRequiredError,
  mfa_required: MfaRequiredError,
  missing_refresh_token: MissingRefreshTokenError,
  use_dpop_nonce: UseDpopNonceError,
  invalid_id_token: IdTokenValidationError,
  invalid_logout_token: LogoutTokenValidationError,
  invalid_state: InvalidStateError,
  invalid_response: ResponseError,
  http_error: HttpError,
  network_error: NetworkError,
  timeout: TimeoutError,
  popup_open: PopupOpenError,
  popup_cancelled: PopupCancelledError,
  popup_timeout: PopupTimeoutError,
  invalid_configuration: InvalidConfigurationError,
  not_supported: NotSupportedError,
  not_allowed: NotAllowedError,
  token_not_exposed: TokenNotExposedError,
  worker_unavailable: WorkerUnavailableError,
  rpc_rejected: RpcRejectedError,
  connect_error: ConnectError,
  passkey_error: PasskeyError,
  mfa_error: MfaError,
  missing_scopes: MissingScopesError,
  my_account_api_error: MyAccountApiError,
};

/** What `switch (err.code)` gives a caller: the fields of the class each case narrows to. */
function describeError(err: AnyEnclaveError): string {
  switch (err.code) {
    case 'mfa_required':
      expectTypeOf(err).toEqualTypeOf<MfaRequiredError>();
      expectTypeOf(err.mfa_token).toEqualTypeOf<string>();
      expectTypeOf(err.mfa_requirements).toEqualTypeOf<MfaRequirements | undefined>();
      return `mfa:${err.mfa_token}`;
    case 'oauth_error':
      expectTypeOf(err).toEqualTypeOf<OAuthError>();
      expectTypeOf(err.status).toEqualTypeOf<number>();
      return `oauth:${err.error}:${err.status}`;
    case 'http_error':
      expectTypeOf(err).toEqualTypeOf<HttpError>();
      expectTypeOf(err.status).toEqualTypeOf<number>();
      return `http:${err.status}`;
    case 'invalid_response':
      expectTypeOf(err).toEqualTypeOf<ResponseError>();
      expectTypeOf(err.status).toEqualTypeOf<number | undefined>();
      return `response:${err.status}`;
    case 'authentication_error':
      expectTypeOf(err).toEqualTypeOf<AuthenticationError>();
      expectTypeOf(err.state).toEqualTypeOf<string | undefined>();
      // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js types appState as any.
      expectTypeOf(err.appState).toEqualTypeOf<any>();
      return `authentication:${err.error}:${err.state}`;
    case 'missing_refresh_token':
      expectTypeOf(err).toEqualTypeOf<MissingRefreshTokenError>();
      return `missing:${err.audience}`;
    case 'connect_error':
      expectTypeOf(err).toEqualTypeOf<ConnectError>();
      return `connect:${err.status}:${err.validation_errors?.length}`;
    case 'popup_cancelled':
      expectTypeOf(err).toEqualTypeOf<PopupCancelledError>();
      return `cancelled:${err.error}`;
    default:
      // Fields of one class do not leak into the others.
      // @ts-expect-error `status` exists only on the classes that report an HTTP answer.
      err.status;
      return err.code;
  }
}

/** Exhaustive: adding a code without handling it here fails the type-check. */
function exhaustive(err: AnyEnclaveError): ErrorCode {
  const code = err.code;
  switch (code) {
    case 'oauth_error':
    case 'authentication_error':
    case 'login_required':
    case 'mfa_required':
    case 'missing_refresh_token':
    case 'use_dpop_nonce':
    case 'invalid_id_token':
    case 'invalid_logout_token':
    case 'invalid_state':
    case 'invalid_response':
    case 'http_error':
    case 'network_error':
    case 'timeout':
    case 'popup_open':
    case 'popup_cancelled':
    case 'popup_timeout':
    case 'invalid_configuration':
    case 'not_supported':
    case 'not_allowed':
    case 'token_not_exposed':
    case 'worker_unavailable':
    case 'rpc_rejected':
    case 'connect_error':
    case 'passkey_error':
    case 'mfa_error':
    case 'missing_scopes':
    case 'my_account_api_error':
      return code;
    default:
      return code satisfies never;
  }
}

type Exports = typeof errors;
/** The instances of every exported class but the base (and its alias, GenericError). */
type ConcreteInstances = {
  // TimeoutError is generic over its code (PopupTimeoutError extends it): its own instances are `timeout`.
  [K in Exclude<keyof Exports, 'EnclaveError' | 'GenericError'>]: K extends 'TimeoutError'
    ? TimeoutError
    : Exports[K] extends abstract new (
          ...args: never[]
        ) => infer Instance
      ? Instance
      : never;
}[Exclude<keyof Exports, 'EnclaveError' | 'GenericError'>];

describe('AnyEnclaveError', () => {
  test('is the union of every concrete class, and its codes are exactly ErrorCode', () => {
    expectTypeOf<AnyEnclaveError>().toEqualTypeOf<ConcreteInstances>();
    expectTypeOf<AnyEnclaveError['code']>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<AnyEnclaveError>().toExtend<EnclaveError>();
  });

  test('every class in the union has a code of its own', () => {
    const exported = Object.entries(errors).filter(
      ([name, value]) =>
        typeof value === 'function' && name !== 'EnclaveError' && name !== 'GenericError',
    );
    const classes = Object.values(CLASS_BY_CODE);
    // Each class once, and every concrete class exported is here — or, for auth0-spa-js's
    // subclasses (MfaVerifyError, PasskeyGetTokenError …), its parent, whose code it shares.
    expect(new Set(classes).size).toBe(classes.length);
    for (const [name, Class] of exported) {
      const filed = classes.includes(Class as never)
        ? Class
        : Object.getPrototypeOf(Class as object);
      expect(classes, name).toContain(filed);
    }
    // The instances carry the code they are filed under: one class per code, one code per class.
    for (const [code, Class] of Object.entries(CLASS_BY_CODE)) {
      const Concrete = Class as unknown as new (options: object) => EnclaveError;
      const err = new Concrete({ message: 'm', error: 'e', status: 400, mfa_token: 't' });
      expect(err.code, Concrete.prototype.name).toBe(code);
    }
  });

  test('switch (err.code) reaches the fields of the narrowed class', () => {
    const cases: [AnyEnclaveError, string][] = [
      [new MfaRequiredError({ mfa_token: 'enclave-mfa:h' }), 'mfa:enclave-mfa:h'],
      [new OAuthError({ error: 'invalid_grant', status: 403 }), 'oauth:invalid_grant:403'],
      [new HttpError({ status: 503, message: 'down' }), 'http:503'],
      [new ResponseError({ message: 'not JSON', status: 502 }), 'response:502'],
      [
        new AuthenticationError({ error: 'access_denied', state: 's1' }),
        'authentication:access_denied:s1',
      ],
      [new MissingRefreshTokenError({ audience: 'https://api/' }), 'missing:https://api/'],
      [new ConnectError({ message: 'm', status: 400, validation_errors: [] }), 'connect:400:0'],
      [new PopupCancelledError(), 'cancelled:cancelled'],
      [new TimeoutError<'timeout'>(), 'timeout'],
    ];
    for (const [err, expected] of cases) {
      expect(describeError(err)).toBe(expected);
      expect(exhaustive(err)).toBe(err.code);
    }
  });
});
