/**
 * `auth0-enclave`: the page side. The API of `@auth0/auth0-spa-js`; no secret in page JavaScript.
 *
 * @packageDocumentation
 * @module auth0-enclave
 */
export {
  type AnyEnclaveError,
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
} from '../core/errors.js';
export type {
  Authenticator,
  AuthenticatorType,
  ChallengeAuthenticatorParams,
  ChallengeResponse,
  ConnectedAccount,
  EnrollmentFactor,
  EnrollmentResponse,
  EnrollParams,
  IdTokenClaims,
  LoginOutcome,
  MfaFactorType,
  MfaVerifyResponse,
  OobChannel,
  OobEnrollmentResponse,
  OtpEnrollmentResponse,
  PageAuthorizationParams,
  PublicConfiguration,
  SessionState,
  TokenDetails,
  TokenExchangeSummary,
  TokenOptions,
  TokenSummary,
  User,
  VerifyParams,
} from '../rpc/protocol.js';
export {
  Auth0Client,
  type Auth0ClientOptions,
  type CustomTokenExchangeOptions,
  type GetTokenSilentlyOptions,
  type LogoutOptions,
  type PopupConfigOptions,
  type PopupLoginOptions,
  type RedirectCallbackResult,
  type RedirectConnectAccountOptions,
  type RedirectLoginOptions,
} from './auth0-client.js';
export { createAuth0Client } from './create-auth0-client.js';
export type { Fetcher, FetcherConfig } from './fetch-with-auth.js';
export { MfaApiClient } from './mfa.js';
export {
  PasskeyApiClient,
  type PasskeyGetTokenOptions,
  type PasskeyLoginChallenge,
  type PasskeyLoginOptions,
  type PasskeySignupChallenge,
  type PasskeySignupOptions,
} from './passkey.js';
export type { Auth0ClientEvents } from './session-events.js';
