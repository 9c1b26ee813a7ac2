import { fileURLToPath } from 'node:url';
import { expose, wrap } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import * as errors from '../../src/core/errors.js';
import {
  AuthenticationError,
  ConnectError,
  EnclaveError,
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
import {
  deserializeError,
  installErrorTransfer,
  type SerializedError,
  serializeError,
} from '../../src/rpc/errors.js';

type Exports = typeof errors;
/** The export names that are error classes (GenericError is EnclaveError under another name). */
type ClassName = Exclude<
  {
    [K in keyof Exports]: Exports[K] extends abstract new (...args: never[]) => Error ? K : never;
  }[keyof Exports],
  'GenericError'
>;

/** The classes by export name. */
const CLASSES = Object.fromEntries(Object.entries(errors)) as unknown as Record<
  ClassName,
  typeof EnclaveError
>;

const cause = new Error('inner failure with a refresh_token=rt-in-cause');

// A Record over every class export: this file stops compiling when a class is added or removed.
// Each sample sets every plain field its class has, with values a real failure would carry.
const SAMPLES: Record<ClassName, () => EnclaveError> = {
  EnclaveError: () =>
    new EnclaveError({ code: 'timeout', message: 'Base failure.', error: 'custom', cause }),
  OAuthError: () =>
    new OAuthError({
      error: 'invalid_grant',
      message: 'Refresh token revoked.',
      status: 400,
      cause,
    }),
  AuthenticationError: () =>
    new AuthenticationError({
      error: 'access_denied',
      message: 'The user said no.',
      state: 'state-123',
      appState: { returnTo: '/notes', tags: ['a', 'b'], nested: { n: 1, ok: true, none: null } },
    }),
  LoginRequiredError: () => new LoginRequiredError({ message: 'No session.', cause }),
  MfaRequiredError: () =>
    new MfaRequiredError({
      message: 'MFA needed.',
      mfa_token: 'enclave-mfa:opaque-handle',
      mfa_requirements: {
        challenge: [{ type: 'otp' }, { type: 'oob' }],
        enroll: [{ type: 'otp' }],
      },
    }),
  MissingRefreshTokenError: () =>
    new MissingRefreshTokenError({ audience: 'https://api.example.com/', scope: 'openid read' }),
  UseDpopNonceError: () => new UseDpopNonceError(),
  IdTokenValidationError: () => new IdTokenValidationError({ message: '"aud" mismatch.', cause }),
  LogoutTokenValidationError: () =>
    new LogoutTokenValidationError({ message: '"events" missing.' }),
  InvalidStateError: () => new InvalidStateError(),
  ResponseError: () => new ResponseError({ message: 'Not JSON.', status: 502, cause }),
  HttpError: () => new HttpError({ status: 503, message: 'Service unavailable.' }),
  NetworkError: () => new NetworkError({ message: 'Connection refused.', cause }),
  TimeoutError: () => new TimeoutError({ message: 'No answer in 10 s.' }),
  PopupOpenError: () => new PopupOpenError(),
  PopupCancelledError: () => new PopupCancelledError(),
  PopupTimeoutError: () => new PopupTimeoutError(),
  InvalidConfigurationError: () => new InvalidConfigurationError({ message: 'Bad config.', cause }),
  NotSupportedError: () => new NotSupportedError({ message: 'No revocation endpoint.' }),
  NotAllowedError: () => new NotAllowedError({ message: 'Audience not allowed.' }),
  TokenNotExposedError: () => new TokenNotExposedError({ message: 'Tokens stay in the worker.' }),
  WorkerUnavailableError: () => new WorkerUnavailableError({ message: 'No worker.', cause }),
  RpcRejectedError: () => new RpcRejectedError({ message: 'Only method calls.' }),
  ConnectError: () => new ConnectError({ message: 'Connect failed.', error: 'invalid_connection' }),
  PasskeyError: () =>
    new PasskeyError({ message: 'Passkey failed.', error: 'invalid_authn_response' }),
  MfaError: () => new MfaError({ message: 'Enrollment failed.', error: 'invalid_otp' }),
  MissingScopesError: () =>
    new MissingScopesError({ audience: 'https://api.example.com/', scope: 'write:notes' }),
  MyAccountApiError: () =>
    new MyAccountApiError({
      type: 'https://auth0.com/api-errors/A0E-400-0003',
      status: 400,
      title: 'Validation Error',
      detail: 'Invalid request payload input',
      validation_errors: [{ detail: 'name is required', field: 'name' }],
    }),
  PasskeyRegisterError: () =>
    new PasskeyRegisterError({ message: 'Signup refused.', error: 'user_exists', status: 409 }),
  PasskeyChallengeError: () =>
    new PasskeyChallengeError({ message: 'Challenge refused.', error: 'invalid_request' }),
  PasskeyGetTokenError: () =>
    new PasskeyGetTokenError({ message: 'Credential refused.', error: 'invalid_grant' }),
  MfaListAuthenticatorsError: () =>
    new MfaListAuthenticatorsError({ message: 'List failed.', error: 'expired_token' }),
  MfaEnrollmentError: () =>
    new MfaEnrollmentError({ message: 'Enroll failed.', error: 'invalid_request' }),
  MfaChallengeError: () =>
    new MfaChallengeError({ message: 'Challenge failed.', error: 'unsupported_challenge_type' }),
  MfaVerifyError: () =>
    new MfaVerifyError({ message: 'Wrong code.', error: 'invalid_grant', status: 403 }),
  MfaEnrollmentFactorsError: () =>
    new MfaEnrollmentFactorsError({ message: 'Factors failed.', error: 'expired_token' }),
};

/** What crossing a MessagePort does to a value. */
function cross(value: SerializedError): SerializedError {
  return structuredClone(value);
}

function roundTrip(error: unknown): Error {
  return deserializeError(cross(serializeError(error)));
}

/** The error's own enumerable fields, without what must not cross. */
function ownFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error))
    if (key !== 'stack' && key !== 'cause' && value !== undefined) fields[key] = value;
  return fields;
}

describe('every error class survives the round trip as itself', () => {
  it('the samples cover every class export', () => {
    const exported = Object.entries(errors)
      .filter(([name, value]) => typeof value === 'function' && name !== 'GenericError')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(SAMPLES).sort()).toEqual(exported);
    expect(GenericError).toBe(EnclaveError);
  });

  it.each(Object.entries(SAMPLES))('%s', (name, make) => {
    const original = make();
    const Class = CLASSES[name as ClassName];
    expect(original).toBeInstanceOf(Class);

    const serialized = cross(serializeError(original));
    const rebuilt = deserializeError(serialized);

    expect(rebuilt).toBeInstanceOf(Class);
    expect(rebuilt).toBeInstanceOf(EnclaveError);
    expect(rebuilt).toBeInstanceOf(Error);
    const typed = rebuilt as EnclaveError;
    expect(typed.name).toBe(name);
    expect(typed.code).toBe(original.code);
    expect(typed.error).toBe(original.error);
    expect(typed.error_description).toBe(original.error_description);
    expect(typed.message).toBe(original.message);
    // Rebuilt by its constructor: the same own fields as the original, no more, no fewer.
    expect(ownFields(typed)).toEqual(ownFields(original));

    // Neither the worker's stack nor the cause crosses.
    expect(Object.keys(serialized).sort()).toEqual(['code', 'error', 'fields', 'message', 'name']);
    expect(serialized.fields).not.toHaveProperty('stack');
    expect(serialized.fields).not.toHaveProperty('cause');
    expect(JSON.stringify(serialized)).not.toContain('inner failure');
    expect(JSON.stringify(serialized)).not.toContain(fileURLToPath(import.meta.url));
    expect('cause' in rebuilt).toBe(false);
    expect(rebuilt.stack ?? '').not.toContain('inner failure');
    // A stack of this side, under the class name, for the page's own debugging.
    expect(rebuilt.stack?.startsWith(name)).toBe(true);
  });

  it('keeps the fields users switch on', () => {
    const oauth = roundTrip(SAMPLES.OAuthError()) as OAuthError;
    expect(oauth).toMatchObject({ code: 'oauth_error', error: 'invalid_grant', status: 400 });
    const auth = roundTrip(SAMPLES.AuthenticationError()) as AuthenticationError;
    expect(auth.state).toBe('state-123');
    expect(auth.appState).toEqual({
      returnTo: '/notes',
      tags: ['a', 'b'],
      nested: { n: 1, ok: true, none: null },
    });
    const mfa = roundTrip(SAMPLES.MfaRequiredError()) as MfaRequiredError;
    expect(mfa.mfa_token).toBe('enclave-mfa:opaque-handle');
    expect(mfa.mfa_requirements).toEqual({
      challenge: [{ type: 'otp' }, { type: 'oob' }],
      enroll: [{ type: 'otp' }],
    });
    const missing = roundTrip(SAMPLES.MissingRefreshTokenError()) as MissingRefreshTokenError;
    expect(missing).toMatchObject({ audience: 'https://api.example.com/', scope: 'openid read' });
    expect((roundTrip(SAMPLES.HttpError()) as HttpError).status).toBe(503);
    expect((roundTrip(SAMPLES.ResponseError()) as ResponseError).status).toBe(502);
    expect(roundTrip(new PopupCancelledError())).toMatchObject({
      code: 'popup_cancelled',
      error: 'cancelled',
    });
  });
});

describe('credentials never cross', () => {
  const SECRETS = {
    access_token: 'secret-at',
    refresh_token: 'secret-rt',
    id_token: 'secret-idt',
    code_verifier: 'secret-verifier',
    client_secret: 'secret-client',
    authorization_code: 'secret-code',
    client_assertion: 'secret-assertion',
    subject_token: 'secret-subject',
    password: 'secret-password',
    otp: 'secret-otp',
    dpop_proof: 'secret-proof',
    recovery_code: 'secret-recovery',
    Refresh_Token: 'secret-rt-case',
  };

  it('fields named like a credential are dropped, whatever error carries them', () => {
    const error = Object.assign(new OAuthError({ error: 'invalid_grant', status: 400 }), SECRETS, {
      scope: 'openid',
      audience: 'https://api/',
    });
    const serialized = serializeError(error);
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(serialized.fields, name).not.toHaveProperty(name);
      expect(JSON.stringify(serialized)).not.toContain(value);
    }
    expect(serialized.fields).toEqual({ status: 400, scope: 'openid', audience: 'https://api/' });
    const rebuilt = deserializeError(cross(serialized));
    for (const name of Object.keys(SECRETS)) expect(rebuilt).not.toHaveProperty(name);
  });

  it('mfa_token crosses only as the worker’s opaque handle, never as the server’s token', () => {
    const raw = new MfaRequiredError({ mfa_token: 'Fe26.2**auth0-mfa-token' });
    const serialized = serializeError(raw);
    expect(JSON.stringify(serialized)).not.toContain('Fe26');
    const rebuilt = deserializeError(cross(serialized)) as MfaRequiredError;
    expect(rebuilt).toBeInstanceOf(MfaRequiredError);
    expect(rebuilt.mfa_token).toBeUndefined();
    const handle = new MfaRequiredError({ mfa_token: 'enclave-mfa:abc' });
    expect((roundTrip(handle) as MfaRequiredError).mfa_token).toBe('enclave-mfa:abc');
    // The prefix anywhere else does not count.
    const sneaky = new MfaRequiredError({ mfa_token: 'x-enclave-mfa:abc' });
    expect((roundTrip(sneaky) as MfaRequiredError).mfa_token).toBeUndefined();
  });

  it('only plain data crosses: no class instances, functions, symbols, or unbounded depth', () => {
    const error = Object.assign(new NotAllowedError({ message: 'm' }), {
      when: new Date(0),
      map: new Map([['a', 1]]),
      fn: () => 1,
      sym: Symbol('s'),
      deep: { a: { b: { c: { d: { e: { f: 1 } } } } } },
      long: Array.from({ length: 80 }, (_, i) => i),
      nested: { keep: 1, drop: new URL('https://x/') },
    });
    const { fields } = serializeError(error);
    expect(fields).not.toHaveProperty('when');
    expect(fields).not.toHaveProperty('map');
    expect(fields).not.toHaveProperty('fn');
    expect(fields).not.toHaveProperty('sym');
    expect(fields.deep).toEqual({ a: { b: { c: { d: {} } } } });
    expect(fields.long).toHaveLength(50);
    expect(fields.nested).toEqual({ keep: 1 });
    expect(() => structuredClone(fields)).not.toThrow();
  });
});

describe('anything else becomes a bare Error or TypeError', () => {
  it.each([
    ['an Error', new Error('boom'), Error, 'boom'],
    [
      'a TypeError',
      new TypeError('"options.x" must be a string'),
      TypeError,
      '"options.x" must be a string',
    ],
    ['a RangeError', new RangeError('too far'), Error, 'too far'],
    ['a SyntaxError', new SyntaxError('bad json'), Error, 'bad json'],
    ['a DOMException', new DOMException('aborted', 'AbortError'), Error, 'aborted'],
    ['a thrown string', 'a string', Error, 'Unknown error'],
    ['undefined', undefined, Error, 'Unknown error'],
    [
      'an object shaped like an EnclaveError',
      { name: 'OAuthError', code: 'oauth_error', message: 'forged', error: 'invalid_grant' },
      Error,
      'Unknown error',
    ],
  ])('%s', (_, thrown, Expected, message) => {
    if (thrown instanceof Error)
      Object.assign(thrown, { refresh_token: 'rt-secret', status: 500, detail: 'internal' });
    const serialized = serializeError(thrown);
    expect(serialized).toEqual({
      name: Expected === TypeError ? 'TypeError' : 'Error',
      message,
      fields: {},
    });
    const rebuilt = deserializeError(cross(serialized));
    expect(rebuilt.constructor).toBe(Expected);
    expect(rebuilt).not.toBeInstanceOf(EnclaveError);
    expect(rebuilt.message).toBe(message);
    expect(Object.keys(rebuilt)).toEqual([]);
  });
});

describe('deserializeError trusts nothing in the data', () => {
  it.each([
    'SomethingElse',
    'Error',
    'RangeError',
    'constructor',
    '__proto__',
    'toString',
    'hasOwnProperty',
    'valueOf',
    'prototype',
  ])('an unknown name (%s) becomes a plain Error', (name) => {
    const rebuilt = deserializeError({ name, code: 'oauth_error', message: 'm', fields: { x: 1 } });
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt.constructor).toBe(Error);
    expect(rebuilt).not.toBeInstanceOf(EnclaveError);
    expect(rebuilt.message).toBe('m');
    expect(rebuilt).not.toHaveProperty('x');
  });

  it('a known name without a code becomes a plain Error', () => {
    const rebuilt = deserializeError({ name: 'OAuthError', message: 'm', fields: {} });
    expect(rebuilt.constructor).toBe(Error);
  });

  it('fields cannot override the identity of the error or its class', () => {
    const rebuilt = deserializeError({
      name: 'NotAllowedError',
      code: 'not_allowed',
      message: 'real',
      fields: JSON.parse(
        '{"name":"X","code":"y","message":"z","error_description":"w","__proto__":{"forged":true},"constructor":1}',
      ),
    });
    expect(rebuilt).toBeInstanceOf(NotAllowedError);
    expect(rebuilt).toMatchObject({
      name: 'NotAllowedError',
      code: 'not_allowed',
      error: 'not_allowed',
      message: 'real',
      error_description: 'real',
    });
    expect(rebuilt).not.toHaveProperty('forged');
    expect(Object.getPrototypeOf(rebuilt)).toBe(NotAllowedError.prototype);
  });
});

describe('the Comlink throw transfer handler', () => {
  const ports: MessagePort[] = [];
  afterEach(() => {
    for (const port of ports.splice(0)) port.close();
  });

  function connect<T>(exposed: T) {
    installErrorTransfer();
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    expose(exposed, port2);
    return wrap<T>(port1);
  }

  it('rebuilds errors thrown in the worker into their class on the page, across a MessageChannel', async () => {
    const remote = connect({
      async fail(name: ClassName): Promise<void> {
        const error = SAMPLES[name]();
        Object.assign(error, { refresh_token: 'rt-secret' });
        throw error;
      },
      async failTyped(): Promise<void> {
        throw new TypeError('"url" must be a non-empty string');
      },
      async failPlain(): Promise<void> {
        throw Object.assign(new Error('internal detail'), { access_token: 'at' });
      },
      failSync(): void {
        throw new LoginRequiredError({ message: 'sync' });
      },
    });
    for (const name of Object.keys(SAMPLES) as ClassName[]) {
      const Class = CLASSES[name];
      const failure = await remote.fail(name).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure, name).toBeInstanceOf(Class);
      expect((failure as EnclaveError).code).toBe(SAMPLES[name]().code);
      expect(failure).not.toHaveProperty('refresh_token');
    }
    const mfa = await remote.fail('MfaRequiredError').catch((error: unknown) => error);
    expect(mfa).toMatchObject({
      error: 'mfa_required',
      mfa_token: 'enclave-mfa:opaque-handle',
      mfa_requirements: {
        challenge: [{ type: 'otp' }, { type: 'oob' }],
        enroll: [{ type: 'otp' }],
      },
    });
    await expect(remote.failTyped()).rejects.toThrow(TypeError);
    const plain = await remote.failPlain().catch((error: unknown) => error);
    expect((plain as Error).constructor).toBe(Error);
    expect(plain).not.toHaveProperty('access_token');
    await expect(remote.failSync()).rejects.toBeInstanceOf(LoginRequiredError);
  });

  it('is idempotent', async () => {
    installErrorTransfer();
    installErrorTransfer();
    const remote = connect({
      async fail(): Promise<void> {
        throw new PopupTimeoutError();
      },
    });
    await expect(remote.fail()).rejects.toBeInstanceOf(PopupTimeoutError);
  });
});
