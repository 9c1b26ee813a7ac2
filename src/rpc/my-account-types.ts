/**
 * The My Account API's shapes as auth0-spa-js 2.27 types them (`auth0.myAccount.*`), shared by
 * the page and the worker. Types only: nothing here reaches a bundle.
 *
 * One difference, by design: `auth_session` of an enrollment challenge is, on the page, an opaque
 * handle (`enclave-enroll:…`) that only the worker can redeem; the API's own `auth_session`
 * stays in the worker, like an MFA step-up's `mfa_token`.
 */

/**
 * WebAuthn JSON (base64url strings), the shapes of protocol.ts's `PasskeyOptionsJSON` and
 * `PasskeyCredentialJSON`, written out here so that protocol.ts can import this file.
 */
interface WebAuthnOptionsJSON {
  challenge: string;
  [member: string]: unknown;
}
interface WebAuthnCredentialJSON {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; [member: string]: unknown };
  [member: string]: unknown;
}

/** The kinds of authentication method (auth0-spa-js 2.27's `AuthenticationMethodType`). */
export type AuthenticationMethodType =
  | 'passkey'
  | 'password'
  | 'phone'
  | 'totp'
  | 'email'
  | 'push-notification'
  | 'recovery-code'
  | 'webauthn-platform'
  | 'webauthn-roaming';
/** auth0-spa-js 2.27's `Factor`. */
export interface Factor {
  /** Which kind of method. */
  type: AuthenticationMethodType;
  /** Whether it signs in (`primary`) or is a second factor (`secondary`). */
  usage?: ('primary' | 'secondary')[];
}
interface AuthenticationMethodBase {
  /** The method's id (e.g. `totp|dev_…`). */
  id: string;
  /** When it was added (ISO 8601). */
  created_at: string;
  /** Whether it signs in (`primary`) or is a second factor (`secondary`). */
  usage: ('primary' | 'secondary')[];
}
interface AuthenticationMethodWithMetadata extends AuthenticationMethodBase {
  /** Whether its enrollment was verified. */
  confirmed: boolean;
  /** A name the user gave it. */
  name?: string;
  /** When it was last used (ISO 8601). */
  last_auth_at?: string;
}
interface WebAuthnAuthenticationMethodBase extends AuthenticationMethodWithMetadata {
  /** The WebAuthn credential id. */
  key_id?: string;
  /** The credential's public key. */
  public_key?: string;
}
/** auth0-spa-js 2.27's `PasskeyAuthenticationMethod`. */
export interface PasskeyAuthenticationMethod extends AuthenticationMethodBase {
  /** Which kind of method. */
  type: 'passkey';
  /** The WebAuthn credential id. */
  key_id: string;
  /** The credential's public key. */
  public_key: string;
  /** Whether the passkey is synced (`multi_device`). */
  credential_device_type: 'single_device' | 'multi_device';
  /** Whether the passkey is backed up. */
  credential_backed_up: boolean;
  /** The user id at the identity (connection) it belongs to. */
  identity_user_id: string;
  /** The WebAuthn user handle. */
  user_handle: string;
  /** How the authenticator is reached (`internal`, `usb` …). */
  transports?: string[];
  /** The browser it was created with. */
  user_agent?: string;
  /** The authenticator model's AAGUID. */
  aaguid?: string;
  /** The WebAuthn relying party id. */
  relying_party_id?: string;
  /** When it was last used (ISO 8601). */
  last_auth_at?: string;
}
/** auth0-spa-js 2.27's `WebAuthnPlatformAuthenticationMethod`. */
export interface WebAuthnPlatformAuthenticationMethod extends WebAuthnAuthenticationMethodBase {
  /** Which kind of method. */
  type: 'webauthn-platform';
}
/** auth0-spa-js 2.27's `WebAuthnRoamingAuthenticationMethod`. */
export interface WebAuthnRoamingAuthenticationMethod extends WebAuthnAuthenticationMethodBase {
  /** Which kind of method. */
  type: 'webauthn-roaming';
}
/** auth0-spa-js 2.27's `PhoneAuthenticationMethod`. */
export interface PhoneAuthenticationMethod extends AuthenticationMethodWithMetadata {
  /** Which kind of method. */
  type: 'phone';
  /** The phone number (E.164). */
  phone_number: string;
  /** How codes are sent: `sms` or `voice`. */
  preferred_authentication_method: 'sms' | 'voice';
}
/** auth0-spa-js 2.27's `EmailAuthenticationMethod`. */
export interface EmailAuthenticationMethod extends AuthenticationMethodWithMetadata {
  /** Which kind of method. */
  type: 'email';
  /** The email address codes go to. */
  email: string;
}
/** auth0-spa-js 2.27's `PasswordAuthenticationMethod`. */
export interface PasswordAuthenticationMethod extends AuthenticationMethodBase {
  /** Which kind of method. */
  type: 'password';
  /** The user id at the identity (connection) it belongs to. */
  identity_user_id: string;
  /** When the password was last reset (ISO 8601). */
  last_password_reset?: string;
}
/** auth0-spa-js 2.27's `TotpAuthenticationMethod`. */
export interface TotpAuthenticationMethod extends AuthenticationMethodWithMetadata {
  /** Which kind of method. */
  type: 'totp';
}
/** auth0-spa-js 2.27's `PushNotificationAuthenticationMethod`. */
export interface PushNotificationAuthenticationMethod extends AuthenticationMethodWithMetadata {
  /** Which kind of method. */
  type: 'push-notification';
}
/** auth0-spa-js 2.27's `RecoveryCodeAuthenticationMethod`. */
export interface RecoveryCodeAuthenticationMethod
  extends Omit<AuthenticationMethodWithMetadata, 'name'> {
  /** Which kind of method. */
  type: 'recovery-code';
}
/** auth0-spa-js 2.27's `AuthenticationMethod`. */
export type AuthenticationMethod =
  | PasskeyAuthenticationMethod
  | WebAuthnPlatformAuthenticationMethod
  | WebAuthnRoamingAuthenticationMethod
  | PhoneAuthenticationMethod
  | EmailAuthenticationMethod
  | PasswordAuthenticationMethod
  | TotpAuthenticationMethod
  | PushNotificationAuthenticationMethod
  | RecoveryCodeAuthenticationMethod;
/** auth0-spa-js 2.27's `UpdateAuthenticationMethodRequest`. */
export interface UpdateAuthenticationMethodRequest {
  /** A name the user gave it. */
  name?: string;
  /** Only valid when updating a phone authentication method. */
  preferred_authentication_method?: 'sms' | 'voice';
}
/** auth0-spa-js 2.27's `PasskeyEnrollmentChallengeOptions`. */
export interface PasskeyEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'passkey';
  /** The connection (database) to enroll at. */
  connection?: string;
  /** The user id at the identity (connection) it belongs to. */
  identity_user_id?: string;
}
/** auth0-spa-js 2.27's `PhoneEnrollmentChallengeOptions`. */
export interface PhoneEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'phone';
  /** The phone number (E.164). */
  phone_number: string;
  /** How codes are sent: `sms` or `voice`. */
  preferred_authentication_method?: 'sms' | 'voice';
}
/** auth0-spa-js 2.27's `EmailEnrollmentChallengeOptions`. */
export interface EmailEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'email';
  /** The email address codes go to. */
  email: string;
}
/** auth0-spa-js 2.27's `TotpEnrollmentChallengeOptions`. */
export interface TotpEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'totp';
}
/** auth0-spa-js 2.27's `PushNotificationEnrollmentChallengeOptions`. */
export interface PushNotificationEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'push-notification';
}
/** auth0-spa-js 2.27's `RecoveryCodeEnrollmentChallengeOptions`. */
export interface RecoveryCodeEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'recovery-code';
}
/** auth0-spa-js 2.27's `PasswordEnrollmentChallengeOptions`. */
export interface PasswordEnrollmentChallengeOptions {
  /** Which kind of method. */
  type: 'password';
  /** The connection (database) to enroll at. */
  connection?: string;
  /** The user id at the identity (connection) it belongs to. */
  identity_user_id?: string;
}
/** auth0-spa-js 2.27's `EnrollmentChallengeOptions`. */
export type EnrollmentChallengeOptions =
  | PasskeyEnrollmentChallengeOptions
  | PhoneEnrollmentChallengeOptions
  | EmailEnrollmentChallengeOptions
  | TotpEnrollmentChallengeOptions
  | PushNotificationEnrollmentChallengeOptions
  | RecoveryCodeEnrollmentChallengeOptions
  | PasswordEnrollmentChallengeOptions;
interface EnrollmentChallengeBaseResponse {
  /** The method's id (e.g. `totp|dev_…`). */
  id: string;
  /** The enrollment's URL at the My Account API (from the challenge). */
  location: string;
  /** From the challenge: on the page a handle that only the worker can redeem. */
  auth_session: string;
}
/** auth0-spa-js 2.27's `PasskeyEnrollmentChallengeResponse`. */
export interface PasskeyEnrollmentChallengeResponse extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'passkey';
  /** WebAuthn creation options as JSON, for `PublicKeyCredential.parseCreationOptionsFromJSON`. */
  authn_params_public_key: WebAuthnOptionsJSON;
}
/** auth0-spa-js 2.27's `PhoneEnrollmentChallengeResponse`. */
export interface PhoneEnrollmentChallengeResponse extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'phone';
}
/** auth0-spa-js 2.27's `EmailEnrollmentChallengeResponse`. */
export interface EmailEnrollmentChallengeResponse extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'email';
}
/** auth0-spa-js 2.27's `TotpEnrollmentChallengeResponse`. */
export interface TotpEnrollmentChallengeResponse extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'totp';
  /** The `otpauth://` URI to show as a QR code. */
  barcode_uri: string;
  /** The secret, for typing into an authenticator app. */
  manual_input_code?: string;
}
/** auth0-spa-js 2.27's `PushNotificationEnrollmentChallengeResponse`. */
export interface PushNotificationEnrollmentChallengeResponse
  extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'push-notification';
  /** The `otpauth://` URI to show as a QR code. */
  barcode_uri: string;
  /** The secret, for typing into an authenticator app. */
  manual_input_code?: string;
}
/** auth0-spa-js 2.27's `RecoveryCodeEnrollmentChallengeResponse`. */
export interface RecoveryCodeEnrollmentChallengeResponse extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'recovery-code';
  /** The recovery code: show it once, the user keeps it. */
  recovery_code: string;
}
/** auth0-spa-js 2.27's `PasswordPolicy`. */
export interface PasswordPolicy {
  /** Length and character rules. */
  complexity: {
    /** Minimum length. */
    min_length: number;
    /** Character classes counted. */
    character_types: ('uppercase' | 'lowercase' | 'number' | 'special')[];
    /** How many of them are needed. */
    character_type_rule: 'all' | 'three_of_four';
    /** Whether runs of one character are allowed. */
    identical_characters: 'allow' | 'block';
    /** Whether sequences (`abc`, `123`) are allowed. */
    sequential_characters: 'allow' | 'block';
    /** What happens past the maximum length. */
    max_length_exceeded: 'truncate' | 'error';
  };
  /** Whether profile data may appear in the password. */
  profile_data: {
    /** Whether the rule applies. */
    active: boolean;
    /** Profile fields the password may not contain. */
    blocked_fields: string[];
  };
  /** Whether recent passwords may be reused. */
  history: {
    /** Whether the rule applies. */
    active: boolean;
    /** How many recent passwords are remembered. */
    size: number;
  };
  /** Whether common passwords are refused. */
  dictionary: {
    /** Whether the rule applies. */
    active: boolean;
    /** The word list used. */
    default: 'en_10k' | 'en_100k';
  };
}
/** auth0-spa-js 2.27's `PasswordEnrollmentChallengeResponse`. */
export interface PasswordEnrollmentChallengeResponse extends EnrollmentChallengeBaseResponse {
  /** Which kind of method. */
  type: 'password';
  /** The password policy the new password must meet. */
  policy: PasswordPolicy;
}
/** auth0-spa-js 2.27's `EnrollmentChallengeResponse`. */
export type EnrollmentChallengeResponse =
  | PasskeyEnrollmentChallengeResponse
  | PhoneEnrollmentChallengeResponse
  | EmailEnrollmentChallengeResponse
  | TotpEnrollmentChallengeResponse
  | PushNotificationEnrollmentChallengeResponse
  | RecoveryCodeEnrollmentChallengeResponse
  | PasswordEnrollmentChallengeResponse;
interface EnrollmentVerifyBaseOptions {
  /** The enrollment's URL at the My Account API (from the challenge). */
  location: string;
  /** From the challenge: on the page a handle that only the worker can redeem. */
  auth_session: string;
}
/** auth0-spa-js 2.27's `PasskeyEnrollmentVerifyOptions`. */
export interface PasskeyEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'passkey';
  /** `credential.toJSON()` of what `navigator.credentials.create` resolved with. */
  authn_response: WebAuthnCredentialJSON;
}
/** auth0-spa-js 2.27's `PhoneEnrollmentVerifyOptions`. */
export interface PhoneEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'phone';
  /** The code the user typed (from the app, SMS or email). */
  otp_code: string;
}
/** auth0-spa-js 2.27's `EmailEnrollmentVerifyOptions`. */
export interface EmailEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'email';
  /** The code the user typed (from the app, SMS or email). */
  otp_code: string;
}
/** auth0-spa-js 2.27's `TotpEnrollmentVerifyOptions`. */
export interface TotpEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'totp';
  /** The code the user typed (from the app, SMS or email). */
  otp_code: string;
}
/** auth0-spa-js 2.27's `PushNotificationEnrollmentVerifyOptions`. */
export interface PushNotificationEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'push-notification';
}
/** auth0-spa-js 2.27's `RecoveryCodeEnrollmentVerifyOptions`. */
export interface RecoveryCodeEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'recovery-code';
}
/** auth0-spa-js 2.27's `PasswordEnrollmentVerifyOptions`. */
export interface PasswordEnrollmentVerifyOptions extends EnrollmentVerifyBaseOptions {
  /** Which kind of method. */
  type: 'password';
  /** The new password. */
  new_password: string;
}
/** auth0-spa-js 2.27's `EnrollmentVerifyOptions`. */
export type EnrollmentVerifyOptions =
  | PasskeyEnrollmentVerifyOptions
  | PhoneEnrollmentVerifyOptions
  | EmailEnrollmentVerifyOptions
  | TotpEnrollmentVerifyOptions
  | PushNotificationEnrollmentVerifyOptions
  | RecoveryCodeEnrollmentVerifyOptions
  | PasswordEnrollmentVerifyOptions;
