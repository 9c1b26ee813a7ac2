import type {
  AuthenticationMethod,
  AuthenticationMethodType,
  EnrollmentChallengeOptions,
  EnrollmentChallengeResponse,
  EnrollmentVerifyOptions,
  Factor,
  UpdateAuthenticationMethodRequest,
} from '../rpc/my-account-types.js';

export type * from '../rpc/my-account-types.js';

/**
 * `auth0.myAccount`: the user's own account through Auth0's My Account API, with auth0-spa-js
 * 2.27's names and types. The worker calls the API with its own DPoP-bound token for
 * `https://<domain>/me/` (one scope per call, as spa-js asks: `read:me:factors`,
 * `read:me:authentication_methods`, `create:`/`update:`/`delete:me:authentication_methods`); the
 * page gets the API's data, never the token. The session's refresh token must be able to get
 * that audience (Auth0: the My Account API enabled for the application, MRRT or the audience at
 * login). Linking accounts is `auth0.connectAccountWithRedirect` (spa-js's `connectAccount` and
 * `completeAccount` are its two halves, run by the worker).
 *
 * Errors: `MyAccountApiError` with the API's problem details (`status`, `type`, `title`,
 * `detail`, `validation_errors`); `LoginRequiredError` without a session; `TypeError` for bad
 * arguments (checked in the worker).
 *
 * @example
 * ```ts
 * const challenge = await auth0.myAccount.enrollmentChallenge({ type: 'totp' });
 * if (challenge.type === 'totp') showQrCode(challenge.barcode_uri);
 * await auth0.myAccount.enrollmentVerify({
 *   type: 'totp',
 *   location: challenge.location,
 *   auth_session: challenge.auth_session, // a handle: the API's own stays in the worker
 *   otp_code: await askForCode(),
 * });
 * ```
 */
export interface MyAccountApiClient {
  /** The factors the tenant offers (`GET /me/v1/factors`). */
  getFactors(): Promise<Factor[]>;
  /** The user's authentication methods, of one `type` if given. */
  getAuthenticationMethods(type?: AuthenticationMethodType): Promise<AuthenticationMethod[]>;
  /** One authentication method by id. */
  getAuthenticationMethod(id: string): Promise<AuthenticationMethod>;
  /** Renames a method, or sets a phone's `preferred_authentication_method`. */
  updateAuthenticationMethod(
    id: string,
    data: UpdateAuthenticationMethodRequest,
  ): Promise<AuthenticationMethod>;
  /** Removes a method. */
  deleteAuthenticationMethod(id: string): Promise<void>;
  /** Starts enrolling a method; the answer's shape depends on `type`. */
  enrollmentChallenge(options: EnrollmentChallengeOptions): Promise<EnrollmentChallengeResponse>;
  /** Confirms an enrollment with what the user typed (or the passkey's credential). */
  enrollmentVerify(options: EnrollmentVerifyOptions): Promise<AuthenticationMethod>;
}
