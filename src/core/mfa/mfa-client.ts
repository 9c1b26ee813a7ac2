import { assertObject, assertOptionalString, assertString } from '../assert.js';
import {
  asServerOperationError,
  MfaDeleteAuthenticatorError,
  type ServerOperationErrorOptions,
} from '../auth-js-errors.js';
import type { ClientContext } from '../context.js';
import {
  MfaChallengeError,
  MfaEnrollmentError,
  MfaError,
  MfaListAuthenticatorsError,
  MfaVerifyError,
} from '../errors.js';
import { mfaGrant } from '../grants/mfa.js';
import { assertRequestOptions, callContext, type RequestOptions } from '../request-options.js';
import type { TokenResponse } from '../token-response.js';
import { deleteAuthenticator, listAuthenticators } from './authenticators.js';
import { challengeAuthenticator } from './challenge.js';
import { enrollAuthenticator } from './enroll.js';
import type {
  AuthenticatorResponse,
  ChallengeOptions,
  ChallengeResponse,
  DeleteAuthenticatorOptions,
  EnrollAuthenticatorOptions,
  EnrollmentResponse,
  ListAuthenticatorsOptions,
  MfaVerifyOptions,
} from './types.js';

const OOB_CHANNELS: readonly string[] = ['sms', 'voice', 'auth0', 'email'];

function assertOneOf(value: unknown, name: string, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new TypeError(`"${name}" must be one of ${allowed.map((v) => `"${v}"`).join(', ')}`);
  }
}

/**
 * The MFA API (`authClient.mfa`), with the surface of @auth0/auth0-auth-js's `MfaClient`. Every
 * call is authorised by the `mfa_token` of an {@link MfaRequiredError} (see
 * {@link isMfaRequiredError}). Server refusals are {@link MfaError}s with the server's `error`.
 *
 * @example
 * ```ts
 * import { isMfaRequiredError } from 'auth0-enclave/core';
 *
 * async function login(username: string, password: string) {
 *   try {
 *     return await auth.getTokenByPassword({ username, password });
 *   } catch (err) {
 *     if (!isMfaRequiredError(err)) throw err;
 *     const [otp] = await auth.mfa.listAuthenticators({ mfaToken: err.mfa_token });
 *     return auth.mfa.verify({ mfaToken: err.mfa_token, factorType: 'otp', otp: await askForCode() });
 *   }
 * }
 * ```
 */
export class MfaClient {
  readonly #context: ClientContext;

  /** @internal Built by `AuthClient`; the worker calls the protocol functions directly. */
  constructor(context: ClientContext) {
    this.#context = context;
  }

  /** Runs one call with its per-call options; a server's refusal becomes the method's class. */
  async #call<T>(
    requestOptions: RequestOptions | undefined,
    Class: new (options: ServerOperationErrorOptions) => MfaError,
    run: (context: ClientContext) => Promise<T>,
  ): Promise<T> {
    assertRequestOptions(requestOptions);
    try {
      return await run(callContext(this.#context, requestOptions).context);
    } catch (error) {
      throw asServerOperationError(error, MfaError, Class);
    }
  }

  /** The user's authenticators (`active: false` while an enrollment is unconfirmed). */
  listAuthenticators(
    options: ListAuthenticatorsOptions,
    requestOptions?: RequestOptions,
  ): Promise<AuthenticatorResponse[]> {
    assertObject(options, 'options');
    assertString(options.mfaToken, 'options.mfaToken');
    return this.#call(requestOptions, MfaListAuthenticatorsError, (context) =>
      listAuthenticators(context, options),
    );
  }

  /**
   * Starts enrolling an authenticator: OTP (secret and `otpauth://` URI), SMS or voice (with
   * `phoneNumber`), email, or push. Confirm it with {@link verify}.
   */
  enrollAuthenticator(
    options: EnrollAuthenticatorOptions,
    requestOptions?: RequestOptions,
  ): Promise<EnrollmentResponse> {
    assertObject(options, 'options');
    assertString(options.mfaToken, 'options.mfaToken');
    const types: unknown = options.authenticatorTypes;
    if (!Array.isArray(types) || types.length !== 1 || (types[0] !== 'otp' && types[0] !== 'oob')) {
      throw new TypeError('"options.authenticatorTypes" must be ["otp"] or ["oob"]');
    }
    if (types[0] === 'oob') {
      const channels: unknown = (options as { oobChannels?: unknown }).oobChannels;
      if (!Array.isArray(channels) || channels.length === 0) {
        throw new TypeError('"options.oobChannels" must be a non-empty array');
      }
      channels.forEach((channel, index) => {
        assertOneOf(channel, `options.oobChannels[${index}]`, OOB_CHANNELS);
      });
      assertOptionalString(
        (options as { phoneNumber?: unknown }).phoneNumber,
        'options.phoneNumber',
      );
      assertOptionalString((options as { email?: unknown }).email, 'options.email');
    }
    return this.#call(requestOptions, MfaEnrollmentError, (context) =>
      enrollAuthenticator(context, options),
    );
  }

  /** Asks the server to challenge an authenticator; for `oob` it sends the code or the push. */
  challengeAuthenticator(
    options: ChallengeOptions,
    requestOptions?: RequestOptions,
  ): Promise<ChallengeResponse> {
    assertObject(options, 'options');
    assertString(options.mfaToken, 'options.mfaToken');
    assertOneOf(options.challengeType, 'options.challengeType', ['otp', 'oob']);
    assertOptionalString(options.authenticatorId, 'options.authenticatorId');
    return this.#call(requestOptions, MfaChallengeError, (context) =>
      challengeAuthenticator(context, options),
    );
  }

  /** Removes an authenticator. */
  deleteAuthenticator(
    options: DeleteAuthenticatorOptions,
    requestOptions?: RequestOptions,
  ): Promise<void> {
    assertObject(options, 'options');
    assertString(options.mfaToken, 'options.mfaToken');
    assertString(options.authenticatorId, 'options.authenticatorId');
    return this.#call(requestOptions, MfaDeleteAuthenticatorError, (context) =>
      deleteAuthenticator(context, options),
    );
  }

  /**
   * Completes MFA with an OTP, an out-of-band code (with the `bindingCode` the user received, or
   * polling a push: `err.error === 'authorization_pending'` means "ask again later"), or a
   * recovery code (the result's `recoveryCode` replaces it), and returns the tokens.
   */
  verify(options: MfaVerifyOptions, requestOptions?: RequestOptions): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertString(options.mfaToken, 'options.mfaToken');
    assertOptionalString(options.audience, 'options.audience');
    assertOneOf(options.factorType, 'options.factorType', ['otp', 'oob', 'recovery-code']);
    if (options.factorType === 'otp') assertString(options.otp, 'options.otp');
    if (options.factorType === 'oob') {
      assertString(options.oobCode, 'options.oobCode');
      assertOptionalString(options.bindingCode, 'options.bindingCode');
    }
    if (options.factorType === 'recovery-code') {
      assertString(options.recoveryCode, 'options.recoveryCode');
    }
    return this.#call(requestOptions, MfaVerifyError, (context) => mfaGrant(context, options));
  }
}
