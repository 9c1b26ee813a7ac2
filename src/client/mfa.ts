import type { MfaRequirements } from '../core/errors.js';
import type {
  Authenticator,
  ChallengeAuthenticatorParams,
  ChallengeResponse,
  EnrollmentFactor,
  EnrollmentResponse,
  EnrollParams,
  MfaVerifyResponse,
  VerifyParams,
  WorkerApi,
  WorkerMethod,
} from '../rpc/protocol.js';
import type { WorkerConnection } from './worker-connection.js';

/** Auth0's mfa_token lives 10 minutes: the worker is kept up no longer for one. */
const MFA_TOKEN_MS = 10 * 60 * 1000;

/**
 * `auth0.mfa`: step-up multi-factor authentication, with auth0-spa-js's names and shapes. Every
 * method takes the `mfa_token` of the {@link MfaRequiredError} that a token request threw — on
 * this page an opaque handle (`enclave-mfa:…`): Auth0's mfa_token stays in the worker, which
 * makes every MFA call itself. `verify` adds the tokens to the worker's session, so the request
 * that asked for MFA succeeds when tried again.
 *
 * Errors: `MfaError` with the server's `error` (`invalid_grant` for a wrong code,
 * `expired_token`, `too_many_attempts`, `authorization_pending` while a push waits), or
 * `mfa_context_not_found` for a handle the worker does not hold (used, unknown, or lost when the
 * browser stopped the worker).
 *
 * @example
 * ```ts
 * import { MfaRequiredError } from 'auth0-enclave';
 *
 * try {
 *   await auth0.checkSession({ authorizationParams: { audience: 'https://stepup.example.com/' } });
 * } catch (err) {
 *   if (!(err instanceof MfaRequiredError)) throw err;
 *   const factors = await auth0.mfa.getEnrollmentFactors(err.mfa_token);
 *   if (factors.length > 0) {
 *     const otp = await auth0.mfa.enroll({ mfaToken: err.mfa_token, factorType: 'otp' });
 *     if (otp.authenticatorType === 'otp') showQrCode(otp.barcodeUri, otp.secret);
 *   }
 *   await auth0.mfa.verify({ mfaToken: err.mfa_token, otp: await askForCode() });
 * }
 * ```
 */
export class MfaApiClient {
  readonly #connection: Pick<WorkerConnection, 'call' | 'hold'>;
  /** Ends the current hold on the worker (see {@link WorkerConnection.hold}). */
  #release: () => void = () => {};

  /** @internal Built by `Auth0Client`; use `auth0.mfa`. */
  constructor(connection: Pick<WorkerConnection, 'call' | 'hold'>) {
    this.#connection = connection;
  }

  /**
   * Accepted for auth0-spa-js code; does nothing. The worker already holds the step-up's context
   * (scope, audience, requirements) under the handle the `MfaRequiredError` carried, and uses that —
   * page code cannot redirect the step-up's tokens to another audience.
   *
   * @example
   * ```ts
   * declare const err: import('auth0-enclave').MfaRequiredError;
   * auth0.mfa.setMFAAuthDetails(err.mfa_token, 'openid', 'https://stepup.example.com/');
   * ```
   */
  setMFAAuthDetails(
    _mfaToken: string,
    _scope?: string,
    _audience?: string,
    _mfaRequirements?: MfaRequirements,
  ): void {}

  /**
   * The user's authenticators of the types the server asked to challenge (`mfa_requirements`).
   *
   * @example
   * ```ts
   * const [otp] = await auth0.mfa.getAuthenticators(mfaToken); // the MfaRequiredError's mfa_token
   * ```
   */
  getAuthenticators(mfaToken: string): Promise<Authenticator[]> {
    return this.#call('mfaGetAuthenticators', mfaToken);
  }

  /**
   * Starts enrolling a factor: `otp` answers the `secret` and `barcodeUri` to show (the first
   * enrollment also `recoveryCodes`); `sms`/`voice` need `phoneNumber`; `email`; `push`.
   *
   * @example
   * ```ts
   * const enrollment = await auth0.mfa.enroll({ mfaToken, factorType: 'otp' });
   * if (enrollment.authenticatorType === 'otp') showQrCode(enrollment.barcodeUri, enrollment.secret);
   * ```
   */
  enroll(params: EnrollParams): Promise<EnrollmentResponse> {
    return this.#call('mfaEnroll', params);
  }

  /**
   * Asks the server to challenge an authenticator; for `oob` it sends the code (or the push) and
   * answers the `oobCode` to verify with.
   *
   * @example
   * ```ts
   * const { oobCode } = await auth0.mfa.challenge({ mfaToken, challengeType: 'oob' });
   * ```
   */
  challenge(params: ChallengeAuthenticatorParams): Promise<ChallengeResponse> {
    return this.#call('mfaChallenge', params);
  }

  /**
   * Completes MFA with `otp`, `oobCode` (+ `bindingCode`) or `recoveryCode`. The tokens join the
   * worker's session; this resolves with a summary (and a new `recovery_code` after one was
   * used) — the access token only when the worker config sets `exposeAccessTokens`.
   *
   * @example
   * ```ts
   * await auth0.mfa.verify({ mfaToken, otp: '123456' });
   * await auth0.fetchWithAuth('https://stepup.example.com/secrets');
   * ```
   */
  async verify(params: VerifyParams): Promise<MfaVerifyResponse> {
    const result = await this.#call('mfaVerify', params);
    this.#release();
    return result;
  }

  /**
   * The factors the user may enroll (`mfa_requirements.enroll`); empty when a factor is
   * enrolled and a challenge is due instead.
   *
   * @example
   * ```ts
   * const factors = await auth0.mfa.getEnrollmentFactors(mfaToken); // [{ type: 'otp' }, …]
   * ```
   */
  getEnrollmentFactors(mfaToken: string): Promise<EnrollmentFactor[]> {
    return this.#call('mfaGetEnrollmentFactors', mfaToken);
  }

  /** Calls the worker, keeping it up while a step-up is in progress (each call starts the limit anew). */
  #call<M extends WorkerMethod>(
    method: M,
    ...args: Parameters<WorkerApi[M]>
  ): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    this.#release();
    this.#release = this.#connection.hold(MFA_TOKEN_MS);
    return this.#connection.call(method, ...args);
  }
}
