// The MFA API's public shapes, camelCase and named as in @auth0/auth0-auth-js; the wire speaks
// snake_case (WIRE.md, "MFA API").

/** Authenticator types the MFA API returns (email authenticators are `oob` with channel `email`). */
export type AuthenticatorType = 'otp' | 'oob' | 'recovery-code';

/** Out-of-band delivery channels (`auth0` is Guardian push). */
export type OobChannel = 'sms' | 'voice' | 'auth0' | 'email';

/** An authenticator the user has enrolled (or is enrolling: `active: false`). */
export interface AuthenticatorResponse {
  /**
   * The authenticator's ID, e.g. `totp|dev_abc123`; pass it to `deleteAuthenticator` or
   * `challengeAuthenticator`.
   */
  id: string;
  /** What kind of factor it is: a TOTP app, an out-of-band channel, or a recovery code. */
  authenticatorType: AuthenticatorType;
  /** Whether enrollment was confirmed (`false` while it awaits its first verification). */
  active: boolean;
  /** A display name for the authenticator, when the server has one (e.g. a masked phone number). */
  name?: string;
  /** Delivery channels of an `oob` authenticator. */
  oobChannels?: OobChannel[];
  /** More type information, when the server sends it (Auth0's own name for the factor). */
  type?: string;
}

/** Every MFA API call is authorised by the `mfa_token` of an `mfa_required` error. */
export interface MfaTokenOptions {
  /** The `mfa_token` of the {@link MfaRequiredError}. */
  mfaToken: string;
  /** Aborts the MFA API request. */
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
  /** Must be `['otp']`: enroll a TOTP app. */
  authenticatorTypes: ['otp'];
}

/** Enrolls an out-of-band authenticator: SMS or voice (with `phoneNumber`) or push. */
export interface EnrollOobOptions extends MfaTokenOptions {
  /** Must be `['oob']`: enroll an out-of-band authenticator. */
  authenticatorTypes: ['oob'];
  /** How the codes are delivered: `sms`, `voice` or `auth0` (Guardian push). */
  oobChannels: OobChannel[];
  /** E.164, e.g. `+15551234567`; required for `sms` and `voice`. */
  phoneNumber?: string | undefined;
}

/** Enrolls an email authenticator. */
export interface EnrollEmailOptions extends MfaTokenOptions {
  /** Must be `['oob']`: email authenticators are out-of-band. */
  authenticatorTypes: ['oob'];
  /** Must be `['email']`. */
  oobChannels: ['email'];
  /** Default: the user's email. */
  email?: string | undefined;
}

/** Options of `enrollAuthenticator`. */
export type EnrollAuthenticatorOptions = EnrollOtpOptions | EnrollOobOptions | EnrollEmailOptions;

/** A new TOTP authenticator: show `barcodeUri` as a QR code, then verify a first code. */
export interface OtpEnrollmentResponse {
  /** Always `otp` for a TOTP enrollment. */
  authenticatorType: 'otp';
  /** Base32 TOTP secret (for manual entry). */
  secret: string;
  /** `otpauth://totp/…` */
  barcodeUri: string;
  /** Only with the user's first enrollment. Show them once. */
  recoveryCodes?: string[];
  /** The new authenticator's ID, when the server returned one. */
  id?: string;
}

/** A new out-of-band authenticator: verify it with `oobCode` (and the code sent, for `prompt`). */
export interface OobEnrollmentResponse {
  /** Always `oob` for an out-of-band enrollment. */
  authenticatorType: 'oob';
  /** The channel the authenticator delivers codes over. */
  oobChannel: OobChannel;
  /** Pass it to `verify` as `oobCode` to confirm the enrollment. */
  oobCode?: string;
  /** `prompt`: the user types the code they received as `bindingCode`. */
  bindingMethod?: string;
  /** The new authenticator's ID, when the server returned one. */
  id?: string;
  /** For Guardian push: the `otpauth://` URI to show as a QR code for the Guardian app. */
  barcodeUri?: string;
  /** Only with the user's first enrollment: recovery codes to show them once. */
  recoveryCodes?: string[];
}

/** What `enrollAuthenticator` returns. */
export type EnrollmentResponse = OtpEnrollmentResponse | OobEnrollmentResponse;

/** Options of `challengeAuthenticator`. */
export interface ChallengeOptions extends MfaTokenOptions {
  /** `otp` challenges a TOTP app (no message is sent); `oob` sends a code or push. */
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
  /** Must be `otp`. */
  factorType: 'otp';
  /** The current code from the user's TOTP app. */
  otp: string;
}

/** Verify an out-of-band challenge; poll without `bindingCode` for push. */
export interface MfaVerifyOobOptions extends MfaVerifyBase {
  /** Must be `oob`. */
  factorType: 'oob';
  /** The `oobCode` from `challengeAuthenticator` or from the enrollment. */
  oobCode: string;
  /** For `prompt` binding: the code the user received by SMS, voice or email. */
  bindingCode?: string | undefined;
}

/** Verify with a recovery code; the result's `recoveryCode` replaces it. */
export interface MfaVerifyRecoveryCodeOptions extends MfaVerifyBase {
  /** Must be `recovery-code`. */
  factorType: 'recovery-code';
  /** One of the user's recovery codes. */
  recoveryCode: string;
}

/** Options of `verify`. */
export type MfaVerifyOptions =
  | MfaVerifyOtpOptions
  | MfaVerifyOobOptions
  | MfaVerifyRecoveryCodeOptions;
