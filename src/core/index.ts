/**
 * `auth0-enclave/core`: the Authentication-API client. Runtime-agnostic — `fetch`,
 * `crypto.subtle` and `URL` only — so the same code runs in the service worker, in Node and in Bun.
 *
 * Most applications use {@link AuthClient}. The protocol functions are exported too: each takes a
 * {@link ClientContext}, and a bundle contains only the ones it calls (the worker uses them).
 *
 * @packageDocumentation
 * @module auth0-enclave/core
 */

export {
  type AnonymousSession,
  AnonymousSessionClient,
  type CreateAnonymousSessionOptions,
  type GetAnonymousAccessTokenOptions,
} from './anonymous/anonymous-client.js';
export {
  AuthClient,
  type AuthClientOptions,
  type BuildAuthorizationUrlOptions,
  type BuildAuthorizationUrlResult,
  type BuildLinkUserUrlOptions,
  type BuildUnlinkUserUrlOptions,
  type DiscoveryCacheOptions,
  type GetUserInfoOptions,
  SERVER_DEFAULT_SCOPE,
  type TokenByClientCredentialsOptions,
  type TokenByCodeOptions,
  type TokenByMagicLinkCodeOptions,
  type TokenByPasswordlessEmailOptions,
  type TokenByPasswordlessSmsOptions,
  type TokenByPasswordOptions,
  type TokenByRefreshTokenOptions,
  type TokenForConnectionOptions,
} from './auth-client.js';
export * from './auth-js-errors.js';
export type { AuthorizationParams } from './authorization-params.js';
export { DEFAULT_SCOPE, mergeScopes } from './authorization-params.js';
export { type AuthorizationRequest, buildAuthorizationUrl } from './authorize-url.js';
export { readAuthorizationResponse, validateAuthorizationResponse } from './callback.js';
export {
  type BackchannelAuthenticationOptions,
  type BackchannelAuthenticationResponse,
  backchannelAuthenticationGrant,
  CIBA_GRANT_TYPE,
  initiateBackchannelAuthentication,
  pollBackchannelAuthentication,
} from './ciba/backchannel.js';
export {
  type ClientAuthenticator,
  clientSecretPost,
  privateKeyJwt,
  publicClient,
} from './client-auth.js';
export { type ClientContext, type ClientContextOptions, createClientContext } from './context.js';
export {
  type ChangePasswordOptions,
  DatabaseClient,
  type SignUpOptions,
  type SignUpResult,
} from './database/database-client.js';
export { auth0Metadata, discover, type ServerMetadata } from './discovery.js';
export { isLoopback, resolveDomain } from './domain.js';
export {
  DpopKeyPair,
  type DpopProofOptions,
  generateDpopCryptoKeyPair,
  generateDpopKeyPair,
  htu,
} from './dpop-key.js';
export {
  type DpopNonceStore,
  MemoryDpopNonceStore,
  nonceKey,
  readNonceHeader,
} from './dpop-nonces.js';
export * from './errors.js';
export { type IsFederatedDomainOptions, isFederatedDomain } from './federated-domain.js';
export {
  type AuthorizationCodeOptions,
  authorizationCodeGrant,
} from './grants/authorization-code.js';
export {
  type ClientCredentialsOptions,
  clientCredentialsGrant,
} from './grants/client-credentials.js';
export {
  ACCESS_TOKEN_TYPE,
  FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
  FEDERATED_CONNECTION_GRANT_TYPE,
  federatedConnectionGrant,
  REFRESH_TOKEN_TYPE,
  type TokenVaultExchangeOptions,
} from './grants/federated-connection.js';
export { MFA_GRANT_TYPES, mfaGrant } from './grants/mfa.js';
export { type PasswordOptions, passwordGrant } from './grants/password.js';
export { type RefreshTokenOptions, refreshTokenGrant } from './grants/refresh-token.js';
export {
  type ExchangeProfileOptions,
  TOKEN_EXCHANGE_GRANT_TYPE,
  tokenExchangeGrant,
} from './grants/token-exchange.js';
export { WEBAUTHN_GRANT_TYPE, webauthnGrant } from './grants/webauthn.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type FetchLike,
  type HttpConfig,
} from './http.js';
export { type IdTokenClaims, type IdTokenExpectations, verifyIdToken } from './id-token.js';
export { type LogoutTokenClaims, verifyLogoutToken } from './logout-token.js';
export { buildLogoutUrl, type LogoutUrlOptions } from './logout-url.js';
export { deleteAuthenticator, listAuthenticators } from './mfa/authenticators.js';
export { challengeAuthenticator } from './mfa/challenge.js';
export { enrollAuthenticator } from './mfa/enroll.js';
export { isMfaRequiredError } from './mfa/is-mfa-required-error.js';
export { MfaClient } from './mfa/mfa-client.js';
export type {
  AuthenticatorResponse,
  AuthenticatorType,
  ChallengeOptions,
  ChallengeResponse,
  DeleteAuthenticatorOptions,
  EnrollAuthenticatorOptions,
  EnrollEmailOptions,
  EnrollmentResponse,
  EnrollOobOptions,
  EnrollOtpOptions,
  ListAuthenticatorsOptions,
  MfaFactorType,
  MfaTokenOptions,
  MfaVerifyOobOptions,
  MfaVerifyOptions,
  MfaVerifyOtpOptions,
  MfaVerifyRecoveryCodeOptions,
  OobChannel,
  OobEnrollmentResponse,
  OtpEnrollmentResponse,
} from './mfa/types.js';
export { mtlsContext, withMtlsAliases } from './mtls.js';
export { readConnectCallback } from './my-account/callback.js';
export {
  type CompleteAccountOptions,
  type ConnectedAccount,
  completeAccount,
} from './my-account/complete.js';
export {
  type ConnectAccountOptions,
  type ConnectAccountResponse,
  connectAccount,
  connectUrl,
} from './my-account/connect.js';
export {
  type ListConnectedAccountsOptions,
  listConnectedAccounts,
} from './my-account/list.js';
export { type MyAccountToken, myAccountApiBase } from './my-account/request.js';
export { passkeyChallenge, passkeyRegister } from './passkey/ceremony-start.js';
export { PasskeyClient } from './passkey/passkey-client.js';
export type {
  GetTokenByPasskeyOptions,
  PasskeyCreationOptions,
  PasskeyCredentialResponse,
  PasskeyLoginChallengeOptions,
  PasskeyLoginChallengeResponse,
  PasskeyRequestOptions,
  PasskeySignupChallengeBaseOptions,
  PasskeySignupChallengeOptions,
  PasskeySignupChallengeResponse,
} from './passkey/types.js';
export {
  type ChallengeWithEmailOptions,
  type ChallengeWithPhoneNumberOptions,
  PASSWORDLESS_OTP_GRANT_TYPE,
  type PasswordlessChallenge,
  PasswordlessClient,
  type SendEmailOptions,
  type SendSmsOptions,
  type TokenByPasswordlessDbConnectionOptions,
} from './passwordless/passwordless-client.js';
export { createPkce, type Pkce } from './pkce.js';
export { pushAuthorizationRequest } from './pushed-authorization.js';
export type {
  ApiResponse,
  FullResponseOption,
  RequestOptions,
} from './request-options.js';
export {
  authorizationHeaders,
  isInvalidTokenChallenge,
  isUseDpopNonceChallenge,
} from './resource-request.js';
export { type RevokeTokenOptions, revokeToken } from './revoke.js';
export { type TelemetryConfig, telemetryHeaders } from './telemetry.js';
export type { TokenEndpointResponse } from './token-request.js';
export type { ActClaim, AuthorizationDetails, IdTokenRules } from './token-response.js';
export { TokenResponse } from './token-response-class.js';
export { getUserInfo, type UserInfo, type UserInfoOptions } from './userinfo.js';
export { type TelemetryData, VERSION } from './version.js';
