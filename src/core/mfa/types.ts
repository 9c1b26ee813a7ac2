// The MFA API's public shapes, camelCase and named as in @auth0/auth0-auth-js; the wire speaks
// snake_case (WIRE.md, "MFA API").

/** Authenticator types the MFA API returns (email authenticators are `oob` with channel `email`). */
export type AuthenticatorType = 'otp' | 'oob' | 'recovery-code';

/** Out-of-band delivery channels (`auth0` is Guardian push). */
export type OobChannel = 'sms' | 'voice' | 'auth0' | 'email';

/** An authenticator the user has enrolled (or is enrolling: `active: false`). */
export interface AuthenticatorResponse {
  id: string;
  authenticatorType: AuthenticatorType;
  active: boolean;
  name?: string;
  /** Delivery channels of an `oob` authenticator. */
  oobChannels?: OobChannel[];
  type?: string;
}

/** Every MFA API call is authorised by the `mfa_token` of an `mfa_required` error. */
export interface MfaTokenOptions {
  /** The `mfa_token` of the {@link MfaRequiredError}. */
  mfaToken: string;
  signal?: AbortSignal | undefined;
}

/** Options of `listAuthenticators`. */
export type ListAuthenticatorsOptions = MfaTokenOptions;

/** Options of `deleteAuthenticator`. */
export interface DeleteAuthenticatorOptions extends MfaTokenOptions {
  /** e.g. `totp|dev_abc123`, from `listAuthenticators`. */
  authenticatorId: string;
}

/** Enrolls a TOTP app (Google Authenticator and the like). */
export interface EnrollOtpOptions extends MfaTokenOptions {
  authenticatorTypes: ['otp'];
}

/** Enrolls an out-of-band authenticator: SMS or voice (with `phoneNumber`) or push. */
export interface EnrollOobOptions extends MfaTokenOptions {
  authenticatorTypes: ['oob'];
  oobChannels: OobChannel[];
  /** E.164, e.g. `+15551234567`; required for `sms` and `voice`. */
  phoneNumber?: string | undefined;
}

/** Enrolls an email authenticator. */
export interface EnrollEmailOptions extends MfaTokenOptions {
  authenticatorTypes: ['oob'];
  oobChannels: ['email'];
  /** Default: the user's email. */
  email?: string | undefined;
}

/** Options of `enrollAuthenticator`. */
export type EnrollAuthenticatorOptions = EnrollOtpOptions | EnrollOobOptions | EnrollEmailOptions;

/** A new TOTP authenticator: show `barcodeUri` as a QR code, then verify a first code. */
export interface OtpEnrollmentResponse {
  authenticatorType: 'otp';
  /** Base32 TOTP secret (for manual entry). */
  secret: string;
  /** `otpauth://totp/…` */
  barcodeUri: string;
  /** Only with the user's first enrollment. Show them once. */
  recoveryCodes?: string[];
  id?: string;
}

/** A new out-of-band authenticator: verify it with `oobCode` (and the code sent, for `prompt`). */
export interface OobEnrollmentResponse {
  authenticatorType: 'oob';
  oobChannel: OobChannel;
  oobCode?: string;
  /** `prompt`: the user types the code they received as `bindingCode`. */
  bindingMethod?: string;
  id?: string;
  barcodeUri?: string;
  recoveryCodes?: string[];
}

/** What `enrollAuthenticator` returns. */
export type EnrollmentResponse = OtpEnrollmentResponse | OobEnrollmentResponse;

/** Options of `challengeAuthenticator`. */
export interface ChallengeOptions extends MfaTokenOptions {
  challengeType: 'otp' | 'oob';
  /** Default: the server picks one of the user's authenticators of `challengeType`. */
  authenticatorId?: string | undefined;
}

/** What `challengeAuthenticator` returns. */
export interface ChallengeResponse {
  /** The kind of challenge started. */
  challengeType: 'otp' | 'oob';
  /** For `oob`: pass it to `verify` as `oobCode`. */
  oobCode?: string;
  /** `prompt`: the user types the code they received; pass it to `verify` as `bindingCode`. */
  bindingMethod?: string;
}

/** The factor a `verify` call completes. */
export type MfaFactorType = 'otp' | 'oob' | 'recovery-code';

interface MfaVerifyBase extends MfaTokenOptions {
  /** Accepted for auth-js compatibility; Auth0 issues the tokens of the original grant. */
  audience?: string | undefined;
}

/** Verify with a TOTP code. */
export interface MfaVerifyOtpOptions extends MfaVerifyBase {
  factorType: 'otp';
  otp: string;
}

/** Verify an out-of-band challenge; poll without `bindingCode` for push. */
export interface MfaVerifyOobOptions extends MfaVerifyBase {
  factorType: 'oob';
  oobCode: string;
  bindingCode?: string | undefined;
}

/** Verify with a recovery code; the result's `recoveryCode` replaces it. */
export interface MfaVerifyRecoveryCodeOptions extends MfaVerifyBase {
  factorType: 'recovery-code';
  recoveryCode: string;
}

/** Options of `verify`. */
export type MfaVerifyOptions =
  | MfaVerifyOtpOptions
  | MfaVerifyOobOptions
  | MfaVerifyRecoveryCodeOptions;
