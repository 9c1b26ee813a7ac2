/**
 * The contract between the page and the worker: one interface, used by both sides.
 *
 * Everything that crosses is plain data. The page never receives a credential through it unless
 * the worker's own config opts in (`exposeAccessTokens`, `exposeDpopProofs`).
 */

import type { AuthenticatorResponse, EnrollmentResponse } from '../core/mfa/types.js';
import type { ConnectedAccount } from '../core/my-account/complete.js';
import type {
  AuthenticationMethod,
  AuthenticationMethodType,
  EnrollmentChallengeOptions,
  EnrollmentChallengeResponse,
  EnrollmentVerifyOptions,
  Factor,
  UpdateAuthenticationMethodRequest,
} from './my-account-types.js';

export type { AuthenticatorType, OobChannel } from '../core/mfa/types.js';
export type { ConnectedAccount } from '../core/my-account/complete.js';

/**
 * Bumped whenever {@link WorkerApi} or the connect handshake changes incompatibly. A page and a
 * worker that disagree do not talk: the page reports it and can ask the new worker to take over.
 */
export const PROTOCOL_VERSION = 1;

/** Message types posted to `navigator.serviceWorker.controller` (or from the worker to pages). */
export const MESSAGE = {
  connect: 'auth0-enclave:connect',
  ready: 'auth0-enclave:ready',
  rejected: 'auth0-enclave:rejected',
  keepAlive: 'auth0-enclave:keep-alive',
  skipWaiting: 'auth0-enclave:skip-waiting',
  /** Page → active worker: take control of uncontrolled pages (a hard reload bypasses the worker). */
  claim: 'auth0-enclave:claim',
  session: 'auth0-enclave:session',
  /** Worker → every page: a popup or silent login finished (the page that waits picks it up). */
  login: 'auth0-enclave:login',
} as const;

/** Page → worker, with a MessagePort transferred: open an RPC connection. */
export interface ConnectMessage {
  type: typeof MESSAGE.connect;
  protocol: number;
  /** A random Web Lock name; the worker holds it for the life of the connection. */
  lock: string;
}

/** Worker → page over the new port: the connection is served. */
export interface ReadyMessage {
  type: typeof MESSAGE.ready;
  protocol: number;
  version: string;
  /** The worker's public configuration, so the page knows it synchronously (`getConfiguration()`). */
  configuration?: PublicConfiguration | undefined;
}

/** Worker → page over the new port: the connection is refused (and why). */
export interface RejectedMessage {
  type: typeof MESSAGE.rejected;
  protocol: number;
  reason: 'protocol' | 'malformed';
}

/** Worker → every page: the login `loginId` finished; its outcome waits in the worker. */
export interface LoginMessage {
  type: typeof MESSAGE.login;
  loginId: string;
}

/** Worker → every page: the session changed. */
export interface SessionMessage {
  type: typeof MESSAGE.session;
  state: SessionState;
}

/**
 * The user's profile: ID-token claims without the protocol claims (auth0-spa-js's `User`, the
 * same members). Not a credential.
 */
export interface User {
  /** Full name. */
  name?: string;
  /** First name. */
  given_name?: string;
  /** Last name. */
  family_name?: string;
  /** Casual name. */
  nickname?: string;
  /** Middle name. */
  middle_name?: string;
  /** The name the user likes to be called. */
  preferred_username?: string;
  /** URL of the profile page. */
  profile?: string;
  /** URL of a profile picture. */
  picture?: string;
  /** URL of the user's web page. */
  website?: string;
  /** Email address (with the `email` scope). */
  email?: string;
  /** Whether the authorization server verified `email`. */
  email_verified?: boolean;
  /** Gender. */
  gender?: string;
  /** Birthday (`YYYY-MM-DD`). */
  birthdate?: string;
  /** Time zone (`Europe/Paris`). */
  zoneinfo?: string;
  /** Locale (`en-US`). */
  locale?: string;
  /** Phone number. */
  phone_number?: string;
  /** Whether the authorization server verified `phone_number`. */
  phone_number_verified?: boolean;
  /** Postal address. */
  address?: string;
  /** When the profile last changed (ISO 8601). */
  updated_at?: string;
  /** The user id at the authorization server (`auth0|…`, `google-oauth2|…`). */
  sub?: string;
  /** The actor, when someone acts for the user (token exchange). */
  act?: { sub?: string; [key: string]: unknown };
  // biome-ignore lint/suspicious/noExplicitAny: auth0-spa-js's User: custom claims read without a cast.
  [claim: string]: any;
}

/**
 * ID-token claims as the page may see them (auth0-spa-js's `IdToken`, but the raw token stays in
 * the worker: `__raw` is always `undefined`).
 */
export interface IdTokenClaims extends User {
  /** Not on the page: the raw ID token stays in the worker. Send claims, or call your API with `fetchWithAuth`. */
  __raw?: undefined;
  /** The issuer: the authorization server, as discovered. */
  iss?: string;
  /** The audience: this client id. */
  aud?: string;
  /** Expiry of the ID token, epoch seconds. */
  exp?: number;
  /** Not valid before, epoch seconds. */
  nbf?: number;
  /** When the ID token was issued, epoch seconds. */
  iat?: number;
  /** The ID token's unique id. */
  jti?: string;
  /** The party the token was issued to. */
  azp?: string;
  /** The login's nonce (checked by the worker). */
  nonce?: string;
  /** Authentication context class reached. */
  acr?: string;
  /** Authentication methods used (`pwd`, `mfa` …). */
  amr?: string[];
  /** The authorization server's session id. */
  sid?: string;
  /** The organization logged in to. */
  org_id?: string;
  /** Its name. */
  org_name?: string;
  /** When the authorization server's session ends, epoch seconds. */
  session_expiry?: number;
}

/** What every page is told about the session. */
export interface SessionState {
  /** Whether the worker holds a session. */
  authenticated: boolean;
  /** The user, when authenticated. */
  user?: User | undefined;
  /** Why the session ended, when it did: `logout`, `expired` (refresh refused), `login`. */
  reason?: 'login' | 'logout' | 'expired' | 'refresh' | undefined;
}

/** Per-call token options, limited to what the worker's allow-list permits. */
export interface TokenOptions {
  /** The API to get a token for; default: the `audience` of the worker config. */
  audience?: string | undefined;
  /** Scopes to ask for; default: those of the worker config. */
  scope?: string | undefined;
}

/** `/authorize` parameters the page may pass; the worker rejects what its config does not allow. */
export type PageAuthorizationParams = Record<string, string | number | boolean | undefined>;

/** What `getTokenSilently({ detailedResponse: true })` returns when tokens are exposed. */
export interface TokenDetails {
  /** The access token (returned only with `exposeAccessTokens` in the worker config). */
  access_token: string;
  /** `DPoP` or `Bearer`. */
  token_type: string;
  /** Seconds until the access token expires. */
  expires_in: number;
  /** The scopes granted. */
  scope?: string | undefined;
}

/** What `loginWithCustomTokenExchange` tells the page: no token unless the worker exposes them. */
export interface TokenExchangeSummary {
  /** `DPoP` or `Bearer`. */
  token_type: string;
  /** Seconds until the access token expires. */
  expires_in: number;
  /** The scopes granted. */
  scope?: string | undefined;
  /** RFC 8693 type of the issued token. */
  issued_token_type?: string | undefined;
  /** Only with `exposeAccessTokens: true` in the worker config. */
  access_token?: string | undefined;
}

/**
 * What a grant that joins or establishes the session tells the page (`auth0.mfa.verify`,
 * `auth0.passkey.*`): no token unless the worker config sets `exposeAccessTokens`.
 */
export interface TokenSummary {
  /** `DPoP` or `Bearer`. */
  token_type: string;
  /** Seconds until the access token expires. */
  expires_in: number;
  /** The scopes granted. */
  scope?: string | undefined;
  /** Only with `exposeAccessTokens: true` in the worker config. */
  access_token?: string | undefined;
}

/** What `auth0.mfa.verify` resolves with. */
export interface MfaVerifyResponse extends TokenSummary {
  /** After a recovery code was used: its replacement, to show the user (it is theirs to keep). */
  recovery_code?: string | undefined;
}

/** An enrolled (or enrolling: `active: false`) authenticator (auth0-spa-js `Authenticator`). */
export type Authenticator = AuthenticatorResponse;

/** The factors `auth0.mfa.enroll` can add (auth0-spa-js `MfaFactorType`). */
export type MfaFactorType = 'otp' | 'sms' | 'voice' | 'email' | 'push';

/**
 * `auth0.mfa.enroll` parameters (auth0-spa-js `EnrollParams`). `mfaToken` is the `mfa_token` of
 * the `MfaRequiredError`: on the page an opaque handle that only the worker can redeem.
 */
export type EnrollParams = { mfaToken: string } & (
  | { factorType: 'otp' | 'push' }
  | { factorType: 'sms' | 'voice'; phoneNumber: string }
  | { factorType: 'email'; email?: string }
);

/**
 * What `auth0.mfa.enroll` returns (auth0-spa-js `EnrollmentResponse`): the core's shapes — a new
 * TOTP authenticator (`secret`, `barcodeUri` to show) or an out-of-band one (`oobCode`).
 */
export type {
  EnrollmentResponse,
  OobEnrollmentResponse,
  OtpEnrollmentResponse,
} from '../core/mfa/types.js';

/** `auth0.mfa.challenge` parameters (auth0-spa-js `ChallengeAuthenticatorParams`). */
export interface ChallengeAuthenticatorParams {
  /** The handle of the `MfaRequiredError` (its `mfa_token`). */
  mfaToken: string;
  /** The kind of authenticator to challenge. */
  challengeType: 'otp' | 'oob';
  /** A specific authenticator (from `getAuthenticators`); default: the server picks one. */
  authenticatorId?: string;
}

/** What `auth0.mfa.challenge` returns. */
export interface ChallengeResponse {
  /** The kind of challenge started. */
  challengeType: 'otp' | 'oob';
  /** For `oob`: pass it to `verify` as `oobCode`. */
  oobCode?: string;
  /** `prompt`: the user types the code they received; pass it to `verify` as `bindingCode`. */
  bindingMethod?: string;
}

/** `auth0.mfa.verify` parameters: one of `otp`, `oobCode` (+ `bindingCode`), `recoveryCode`. */
export interface VerifyParams {
  /** The handle of the `MfaRequiredError` (its `mfa_token`). */
  mfaToken: string;
  /** A code from the user's authenticator app. */
  otp?: string;
  /** The `oobCode` of an out-of-band challenge or enrollment. */
  oobCode?: string;
  /** With `oobCode`: the code the user received (SMS, voice, email). */
  bindingCode?: string;
  /** A recovery code; the response then carries a new one. */
  recoveryCode?: string;
}

/** One factor the user may enroll (`mfa_requirements.enroll`). */
export interface EnrollmentFactor {
  /** The factor: `otp`, `sms`, `voice`, `email`, `push` … */
  type: string;
}

/** What a passkey signup or login starts with (auth0-spa-js `PasskeySignupOptions` / `PasskeyLoginOptions`). */
export interface PasskeyStartOptions {
  mode: 'signup' | 'login';
  /** Signup: at least one of `email`, `phoneNumber`, `username`. */
  email?: string;
  phoneNumber?: string;
  username?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  nickname?: string;
  picture?: string;
  userMetadata?: Record<string, string>;
  realm?: string;
  organization?: string;
  /** Limited to what the worker config allows, like a login's. */
  audience?: string;
  scope?: string;
}

/**
 * What `getTokenWithPasskey` may set (auth0-spa-js takes them there): each replaces the value the
 * ceremony started with; audience and scope limited like a login's.
 */
export interface PasskeyTokenParams {
  audience?: string | undefined;
  scope?: string | undefined;
  realm?: string | undefined;
  organization?: string | undefined;
}

/** WebAuthn options as JSON (base64url strings), for `PublicKeyCredential.parse…OptionsFromJSON`. */
export interface PasskeyOptionsJSON {
  challenge: string;
  timeout?: number;
  [member: string]: unknown;
}

/** A started passkey ceremony: the server's `auth_session` stays in the worker under `ceremonyId`. */
export interface PasskeyCeremony {
  ceremonyId: string;
  publicKey: PasskeyOptionsJSON;
}

/** A `PublicKeyCredential` as `credential.toJSON()` gives it (base64url strings). */
export interface PasskeyCredentialJSON {
  id: string;
  rawId: string;
  type: string;
  authenticatorAttachment?: string | null;
  response: { clientDataJSON: string; [member: string]: unknown };
  clientExtensionResults?: Record<string, unknown>;
}

/** `auth0.anonymous.createSession` options (auth0-auth-js's `CreateAnonymousSessionOptions`). */
export interface AnonymousSessionOptions {
  /** An API the worker config names; default: the login's audience. */
  audience?: string;
  /** Scopes the worker config names. */
  scope?: string;
  /** Up to 1 KB, set once at creation. */
  metadata?: Record<string, string>;
}

/**
 * What an anonymous session tells the page (auth-js's `AnonymousSession` without its secrets):
 * the session token never leaves the worker; the access token only with `exposeAccessTokens`.
 */
export interface AnonymousTokenSummary {
  /** Only with `exposeAccessTokens: true` in the worker config. */
  accessToken?: string | undefined;
  /** Epoch seconds. */
  expiresAt: number;
  /** Scopes granted. */
  scope?: string | undefined;
  /** Epoch seconds at which the anonymous session itself ends, when the server says. */
  sessionTokenExpiresAt?: number | undefined;
}

/** The outcome of a login or connect flow, as the page receives it. */
export interface LoginOutcome {
  /** The `appState` given to the login call. */
  appState: unknown;
  /** Set when the flow linked an account (`connectAccountWithRedirect`). */
  connected?: ConnectedAccount | undefined;
}

/** The worker's configuration as the page may see it (no secrets live there anyway). */
export interface PublicConfiguration {
  /** The authorization server, as configured in the worker. */
  domain: string;
  /** The client id. */
  clientId: string;
  /** The expected ID-token issuer. */
  issuer: string;
  /** Clock skew allowed when checking ID tokens, seconds. */
  leeway: number;
  /** The default `/authorize` parameters. */
  authorizationParams: PageAuthorizationParams;
  /** The allow-list. */
  apis: { url: string; audience?: string | undefined; scope?: string | undefined }[];
  /** Whether tokens are DPoP-bound. */
  useDpop: boolean;
  /**
   * The worker's custody mode: `memory` keeps the DPoP key and refresh tokens in the worker only,
   * so the page keeps the worker alive while it is open and resumes by a silent login after a stop.
   */
  persistence: 'indexeddb' | 'memory';
  /** Whether page script may get access tokens. */
  exposeAccessTokens: boolean;
  /** Whether page script may set nonces and have proofs signed. */
  exposeDpopProofs: boolean;
  /** Whether only `fetchWithAuth()` gets credentials (not plain `fetch()`). */
  fetchWithAuthOnly: boolean;
  /** The SDK version of the worker script. */
  version: string;
}

/**
 * The methods the worker serves. Single names on a frozen facade; arguments and results are plain
 * data. Each method validates its arguments in the worker, whatever the page's types say.
 */
export interface WorkerApi {
  getConfiguration(): Promise<PublicConfiguration>;
  /**
   * Starts a login transaction; returns only the `/authorize` URL and the login's id (a popup or
   * a hidden iframe is waited on by it). `silent` forces `prompt=none`.
   */
  startLogin(options: {
    authorizationParams?: PageAuthorizationParams;
    appState?: unknown;
    mode?: 'redirect' | 'popup' | 'silent';
  }): Promise<{ url: string; loginId: string }>;
  /**
   * The outcome of a login: with `loginId`, the popup or silent login of that id; without, the
   * login whose callback navigation produced this page. Throws the login's typed error.
   */
  takeLoginResult(loginId?: string): Promise<LoginOutcome>;
  /** Forgets a login the page gave up on (popup closed, timeout): its state can no longer be redeemed. */
  abandonLogin(loginId: string): Promise<void>;
  /** Redeems a callback URL that reached the page uncontrolled. */
  redeemCallback(url: string): Promise<LoginOutcome>;
  /**
   * Custom Token Exchange. `login` (default): the tokens establish the session in the worker
   * (`loginWithCustomTokenExchange`); `exchange`: they do not (`customTokenExchange`, as in
   * auth0-spa-js) — the page gets the summary, and the access token only with `exposeAccessTokens`.
   */
  exchangeToken(
    options: Record<string, unknown>,
    mode?: 'login' | 'exchange',
  ): Promise<TokenExchangeSummary>;
  /** Starts the My Account API connect flow; returns the provider's consent URL. */
  startConnect(options: {
    connection: string;
    scopes?: string[];
    authorization_params?: Record<string, unknown>;
    appState?: unknown;
  }): Promise<{ url: string; loginId: string }>;
  /** Revokes the refresh token for an audience (the login's by default) and forgets it. */
  revokeRefreshToken(options?: { audience?: string }): Promise<void>;
  /**
   * MFA. `mfaToken` is always the handle (`enclave-mfa:…`) an `MfaRequiredError` carried to the
   * page; Auth0's own mfa_token stays in the worker, in memory, until it expires (10 minutes),
   * is spent, or the user logs out.
   */
  mfaGetAuthenticators(mfaToken: string): Promise<Authenticator[]>;
  mfaEnroll(params: EnrollParams): Promise<EnrollmentResponse>;
  mfaChallenge(params: ChallengeAuthenticatorParams): Promise<ChallengeResponse>;
  /** The MFA grant: its tokens join the session (refresh token and access token for that audience). */
  mfaVerify(params: VerifyParams): Promise<MfaVerifyResponse>;
  mfaGetEnrollmentFactors(mfaToken: string): Promise<EnrollmentFactor[]>;
  /** Starts a passkey signup or login; the `auth_session` stays in the worker. */
  passkeyStart(options: PasskeyStartOptions): Promise<PasskeyCeremony>;
  /** Redeems the ceremony with the browser's credential; the tokens establish the session. */
  passkeyFinish(
    options: { ceremonyId: string; credential: PasskeyCredentialJSON } & PasskeyTokenParams,
  ): Promise<TokenSummary>;
  /**
   * My Account API (`auth0.myAccount.*`), called by the worker with its own token for
   * `<issuer>me/`. An enrollment's `auth_session` on the page is a handle (see my-account-types).
   */
  myAccountGetFactors(): Promise<Factor[]>;
  myAccountGetAuthenticationMethods(
    type?: AuthenticationMethodType,
  ): Promise<AuthenticationMethod[]>;
  myAccountGetAuthenticationMethod(id: string): Promise<AuthenticationMethod>;
  myAccountUpdateAuthenticationMethod(
    id: string,
    data: UpdateAuthenticationMethodRequest,
  ): Promise<AuthenticationMethod>;
  myAccountDeleteAuthenticationMethod(id: string): Promise<void>;
  myAccountEnrollmentChallenge(
    options: EnrollmentChallengeOptions,
  ): Promise<EnrollmentChallengeResponse>;
  myAccountEnrollmentVerify(options: EnrollmentVerifyOptions): Promise<AuthenticationMethod>;
  /**
   * Anonymous sessions (`auth0.anonymous.*`): the worker holds the session token, in memory only,
   * and uses its access tokens for allow-listed API requests while no user is logged in.
   */
  anonymousCreateSession(options?: AnonymousSessionOptions): Promise<AnonymousTokenSummary>;
  /** A fresh anonymous access token (reusing, renewing or creating the session as needed). */
  anonymousGetTokenSilently(options?: {
    audience?: string;
    scope?: string;
  }): Promise<AnonymousTokenSummary>;
  /** Ends the anonymous session at the server and forgets it. */
  anonymousLogout(): Promise<void>;
  /** Whether the worker holds an anonymous session. */
  anonymousHasSession(): Promise<boolean>;
  getSession(): Promise<SessionState>;
  getIdTokenClaims(): Promise<IdTokenClaims | undefined>;
  /** Makes sure a valid access token is held (refreshing if needed); throws typed errors otherwise. */
  checkSession(options?: TokenOptions): Promise<SessionState>;
  /** Returns the access token only when the worker config sets `exposeAccessTokens`. */
  getTokenSilently(
    options?: TokenOptions & { cacheMode?: 'on' | 'off' | 'cache-only' },
  ): Promise<TokenDetails>;
  /** Ends the session everywhere; returns the server's logout URL for the page to open. */
  logout(options?: {
    returnTo?: string;
    federated?: boolean;
    localOnly?: boolean;
  }): Promise<string | undefined>;
  /** The current DPoP nonce for a server origin (nonces are not secrets). */
  getDpopNonce(origin?: string): Promise<string | undefined>;
  /** Sets the nonce for a server origin. Only with `exposeDpopProofs`: it steers proofs. */
  setDpopNonce(nonce: string, origin?: string): Promise<void>;
  /** Signs a proof with the session key. Only with `exposeDpopProofs`: it lets page script sign. */
  generateDpopProof(options: {
    url: string;
    method: string;
    nonce?: string;
    accessToken?: string;
  }): Promise<string>;
}

/** The names of {@link WorkerApi}, the only calls the worker accepts. */
export type WorkerMethod = keyof WorkerApi;
