import { AnonymousSessionClient } from './anonymous/anonymous-client.js';
import {
  assertFunction,
  assertKnownKeys,
  assertNonNegativeNumber,
  assertObject,
  assertOptionalString,
  assertString,
} from './assert.js';
import {
  asOperationError,
  BackchannelAuthenticationError,
  BuildAuthorizationUrlError,
  BuildLinkUserUrlError,
  BuildUnlinkUserUrlError,
  MissingClientAuthError,
  OrganizationValidationError,
  PasswordlessVerifyError,
  TokenByClientCredentialsError,
  TokenByCodeError,
  TokenByPasswordError,
  TokenByRefreshTokenError,
  TokenExchangeError,
  TokenForConnectionError,
  TokenRevocationError,
  UserInfoError,
} from './auth-js-errors.js';
import { type AuthorizationParams, mergeAuthorizationParams } from './authorization-params.js';
import { type AuthorizationRequest, buildAuthorizationUrl } from './authorize-url.js';
import { readAuthorizationResponse, validateAuthorizationResponse } from './callback.js';
import {
  type BackchannelAuthenticationOptions,
  type BackchannelAuthenticationResponse,
  backchannelAuthenticationGrant,
  initiateBackchannelAuthentication,
  pollBackchannelAuthentication,
} from './ciba/backchannel.js';
import {
  type ClientAuthenticator,
  clientSecretPost,
  privateKeyJwt,
  publicClient,
} from './client-auth.js';
import type { ClientContext } from './context.js';
import { DatabaseClient } from './database/database-client.js';
import type { ServerMetadata } from './discovery.js';
import { expiringContext } from './discovery-cache.js';
import { resolveDomain } from './domain.js';
import { DpopKeyPair } from './dpop-key.js';
import type { DpopNonceStore } from './dpop-nonces.js';
import { InvalidStateError } from './errors.js';
import { authorizationCodeGrant } from './grants/authorization-code.js';
import { clientCredentialsGrant } from './grants/client-credentials.js';
import {
  ACCESS_TOKEN_TYPE,
  federatedConnectionGrant,
  REFRESH_TOKEN_TYPE,
  type TokenVaultExchangeOptions,
} from './grants/federated-connection.js';
import { passwordGrant } from './grants/password.js';
import { refreshTokenGrant } from './grants/refresh-token.js';
import { type ExchangeProfileOptions, tokenExchangeGrant } from './grants/token-exchange.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type FetchLike } from './http.js';
import { type LogoutTokenClaims, verifyLogoutToken } from './logout-token.js';
import { buildLogoutUrl, type LogoutUrlOptions } from './logout-url.js';
import { MfaClient } from './mfa/mfa-client.js';
import { mtlsContext } from './mtls.js';
import { PasskeyClient } from './passkey/passkey-client.js';
import {
  assertE164,
  PASSWORDLESS_OTP_GRANT_TYPE,
  PasswordlessClient,
} from './passwordless/passwordless-client.js';
import { pushAuthorizationRequest } from './pushed-authorization.js';
import {
  type ApiResponse,
  assertRequestOptions,
  type CallContext,
  callContext,
  type RequestOptions,
} from './request-options.js';
import { revokeToken } from './revoke.js';
import { type TelemetryConfig, telemetryHeaders } from './telemetry.js';
import { requestToken } from './token-request.js';
import { type TokenResponse, toTokenResponse } from './token-response.js';
import { TokenResponse as TokenResponseClass } from './token-response-class.js';
import { getUserInfo, type UserInfo } from './userinfo.js';

/** auth-js's default scope for the authorization, CIBA and link requests of a server app. */
export const SERVER_DEFAULT_SCOPE = 'openid profile email offline_access';

/** Options of `discoveryCache`, as auth-js 1.16's. */
export interface DiscoveryCacheOptions {
  /** Seconds the discovered metadata (and the key set with it) is reused; default 600. */
  ttl?: number;
  /**
   * auth-js's cache is shared between clients; each AuthClient here holds exactly one entry (its
   * own server's), so any value ≥ 1 is met. Validated, not otherwise used.
   */
  maxEntries?: number;
}

/** Options of {@link AuthClient}. */
export interface AuthClientOptions {
  /** `tenant.eu.auth0.com`, a custom domain, or a full URL (`http://` only for localhost). */
  domain: string;
  /** The application's client ID at the authorization server. */
  clientId: string;
  /** Confidential clients: `client_secret_post`. */
  clientSecret?: string;
  /** Confidential clients: `private_key_jwt` with this key (a CryptoKey or a PKCS#8 PEM string). */
  clientAssertionSigningKey?: string | CryptoKey;
  /** Algorithm of {@link clientAssertionSigningKey}; default `RS256`. */
  clientAssertionSigningAlg?: string;
  /** Defaults for every `/authorize` URL (`redirect_uri`, `audience`, `scope`, …). */
  authorizationParams?: AuthorizationParams;
  /** A fetch of your own: mTLS agents, proxies, tests. */
  customFetch?: FetchLike;
  /**
   * A DPoP key pair (from {@link generateDpopKeyPair}). When set, every token request carries a
   * proof, `/authorize` gets `dpop_jkt`, and tokens come back bound to the key.
   */
  dpop?: DpopKeyPair;
  /** Where DPoP nonces are kept; in memory per client by default. */
  dpopNonces?: DpopNonceStore;
  /** Per-request time limit in milliseconds; default 10 000. */
  timeoutMs?: number;
  /** Clock tolerance for ID and logout tokens, in seconds; default 60. */
  leeway?: number;
  /**
   * The `Auth0-Client` telemetry header: on by default; `false` or `{ enabled: false }` turns it
   * off, `{ name, version }` names your SDK instead.
   */
  telemetry?: boolean | TelemetryConfig;
  /** How long discovery is cached; default 600 s. */
  discoveryCache?: DiscoveryCacheOptions;
  /**
   * Mutual-TLS client authentication (RFC 8705, `tls_client_auth`): requests go to the server's
   * `mtls_endpoint_aliases`, and `customFetch` (required) must present the client certificate.
   */
  useMtls?: boolean;
}

const CLIENT_OPTIONS = [
  'domain',
  'clientId',
  'clientSecret',
  'clientAssertionSigningKey',
  'clientAssertionSigningAlg',
  'authorizationParams',
  'customFetch',
  'dpop',
  'dpopNonces',
  'timeoutMs',
  'leeway',
  'telemetry',
  'discoveryCache',
  'useMtls',
];

/** Options of {@link AuthClient.buildAuthorizationUrl}. */
export interface BuildAuthorizationUrlOptions {
  /**
   * Push the request first (RFC 9126): the URL then carries only `client_id` and a single-use
   * `request_uri`. Throws a {@link NotSupportedError} when the server offers no PAR endpoint.
   */
  pushedAuthorizationRequests?: boolean;
  /**
   * Extra `/authorize` parameters for this URL, over the client's `authorizationParams` defaults.
   */
  authorizationParams?: AuthorizationParams;
}

/** What {@link AuthClient.buildAuthorizationUrl} returns: keep all but the URL server-side. */
export type BuildAuthorizationUrlResult = Omit<AuthorizationRequest, 'params'>;

/** Options of {@link AuthClient.buildLinkUserUrl}. */
export interface BuildLinkUserUrlOptions {
  /**
   * The connection whose account to link to the user, e.g. `google-oauth2`
   * (`requested_connection`).
   */
  connection: string;
  /** Scopes to request from that connection's provider (`requested_connection_scope`). */
  connectionScope: string;
  /** An ID token of the user to link the account to, sent as `id_token_hint`. */
  idToken: string;
  /**
   * Extra `/authorize` parameters for the link URL (its `scope` is fixed to `openid link_account
   * offline_access`).
   */
  authorizationParams?: AuthorizationParams;
}

/** Options of {@link AuthClient.buildUnlinkUserUrl}. */
export interface BuildUnlinkUserUrlOptions {
  /** The connection to unlink from the user, e.g. `google-oauth2` (`requested_connection`). */
  connection: string;
  /** An ID token of the user to unlink from, sent as `id_token_hint`. */
  idToken: string;
  /**
   * Extra `/authorize` parameters for the unlink URL (its `scope` is fixed to `openid
   * unlink_account`).
   */
  authorizationParams?: AuthorizationParams;
}

/** Options of {@link AuthClient.getTokenByCode}. */
export interface TokenByCodeOptions {
  /** The verifier returned by {@link AuthClient.buildAuthorizationUrl}. */
  codeVerifier: string;
  /**
   * The `state` returned by {@link AuthClient.buildAuthorizationUrl}; the callback must match it.
   * Required here (auth-js leaves the check to the caller): a callback that is not bound to the
   * request it answers is a login CSRF.
   */
  state: string;
  /** The `nonce` returned by {@link AuthClient.buildAuthorizationUrl}. */
  nonce?: string;
  /** The `redirect_uri` of the authorize request; defaults to `authorizationParams.redirect_uri`. */
  redirectUri?: string;
  /** The `max_age` of the authorize request, if any. */
  maxAge?: number;
  /** The organization of the authorize request, if any: checked against `org_id`/`org_name`. */
  organization?: string;
  /** RFC 8707 resource indicator(s) for the access token. */
  resource?: string | string[];
  /** Aborts the token request. */
  signal?: AbortSignal;
}

/** Options of {@link AuthClient.getTokenByMagicLinkCode}. */
export interface TokenByMagicLinkCodeOptions {
  /**
   * The `state` put into the link's `authParams`. Required here (auth-js skips the check when it
   * is omitted): a magic-link callback carries no PKCE, so `state` is its only binding.
   */
  expectedState: string;
  /** The `redirect_uri` of the link; defaults to `authorizationParams.redirect_uri`. */
  redirectUri?: string;
}

/** Options of {@link AuthClient.getTokenByRefreshToken}. */
export interface TokenByRefreshTokenOptions {
  /** The refresh token to redeem. */
  refreshToken: string;
  /** The API to ask an access token for; defaults to the one the refresh token was issued for. */
  audience?: string;
  /** Scopes to ask for, a subset of the refresh token's (down-scoping). */
  scope?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | string[];
  /** Aborts the token request. */
  signal?: AbortSignal;
}

/** Options of {@link AuthClient.getTokenByClientCredentials}. */
export interface TokenByClientCredentialsOptions {
  /** The API (`audience`) the machine-to-machine access token is for. */
  audience: string;
  /** The organization (ID or name) the token is issued in, for organization-enabled APIs. */
  organization?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | string[];
  /** Aborts the token request. */
  signal?: AbortSignal;
}

/** Options of {@link AuthClient.getTokenByPassword}. */
export interface TokenByPasswordOptions {
  /** The user's username or email. */
  username: string;
  /** The user's password; sent only in the token request body. */
  password: string;
  /** The API (`audience`) to ask an access token for. */
  audience?: string;
  /** Scopes to ask for; include `openid` for an ID token, `offline_access` for a refresh token. */
  scope?: string;
  /** The database connection to log in at; switches to Auth0's password-realm grant. */
  realm?: string;
  /** The end user's IP, sent as `auth0-forwarded-for` for Auth0's brute-force protection. */
  auth0ForwardedFor?: string;
  /** Aborts the token request. */
  signal?: AbortSignal;
}

/** Options of {@link AuthClient.getTokenByPasswordlessEmail}. */
export interface TokenByPasswordlessEmailOptions {
  /** The email address the one-time code was sent to. */
  email: string;
  /** The one-time code the user received by email. */
  code: string;
  /** The API (`audience`) to ask an access token for. */
  audience?: string;
  /** Not defaulted: include `openid` for an ID token, `offline_access` for a refresh token. */
  scope?: string;
}

/** Options of {@link AuthClient.getTokenByPasswordlessSms}. */
export interface TokenByPasswordlessSmsOptions {
  /** E.164. */
  phoneNumber: string;
  /** The one-time code the user received by SMS. */
  code: string;
  /** The API (`audience`) to ask an access token for. */
  audience?: string;
  /** Scopes to ask for; not defaulted (include `openid` for an ID token). */
  scope?: string;
}

/** Options of {@link AuthClient.getTokenForConnection}. */
export interface TokenForConnectionOptions {
  /** The connection with Token Vault on whose provider token to fetch, e.g. `google-oauth2`. */
  connection: string;
  /**
   * The user's Auth0 access token to exchange; exactly one of this and `refreshToken` is required.
   */
  accessToken?: string;
  /**
   * The user's Auth0 refresh token to exchange; exactly one of this and `accessToken` is required.
   */
  refreshToken?: string;
  /**
   * Which of the user's accounts at the provider (an email, an external ID), sent as `login_hint`.
   */
  loginHint?: string;
  /** Aborts the token request. */
  signal?: AbortSignal;
}

/** Options of {@link AuthClient.revokeToken}. */
export interface RevokeTokenOptions {
  token: string;
  tokenTypeHint?: 'refresh_token' | 'access_token';
  signal?: AbortSignal;
}

/** Options of {@link AuthClient.getUserInfo}. */
export interface GetUserInfoOptions {
  /** The access token to call the userinfo endpoint with. */
  accessToken: string;
  /**
   * `DPoP` for DPoP-bound tokens (a proof with `ath` is sent), `Bearer` (the default) otherwise.
   */
  tokenType?: string;
  /**
   * When given, the response's `sub` must equal it (OIDC Core §5.3.2), e.g. the ID token's `sub`.
   */
  expectedSubject?: string;
  /** Aborts the userinfo request. */
  signal?: AbortSignal;
}

type Full = { fullResponse: true };

/**
 * A client for the Auth0 Authentication API (and any OpenID Provider), with the surface of
 * `@auth0/auth0-auth-js` 1.16 (see docs/server-client-differences.md for the few deliberate
 * differences). Runtime-agnostic: it uses only `fetch`, `crypto.subtle` and `URL`, so it runs in
 * Node, Bun, Deno, edge runtimes and service workers.
 *
 * Every network-performing method takes per-call {@link RequestOptions} as its last argument, and
 * the token methods `fullResponse: true` for `{ data, response }`. Unknown options are
 * `TypeError`s naming them: nothing is silently ignored.
 *
 * @example
 * ```ts
 * import { AuthClient } from 'auth0-enclave/core';
 *
 * const clientSecret = process.env.AUTH0_CLIENT_SECRET;
 * if (!clientSecret) throw new Error('AUTH0_CLIENT_SECRET is not set');
 * const auth = new AuthClient({
 *   domain: 'example.eu.auth0.com',
 *   clientId: 'abc',
 *   clientSecret,
 *   authorizationParams: { redirect_uri: 'https://app.example/callback' },
 * });
 * const { authorizationUrl, codeVerifier, state, nonce } = await auth.buildAuthorizationUrl({
 *   pushedAuthorizationRequests: true,
 * });
 * // … redirect, keep codeVerifier/state/nonce in the server-side session …
 * const tokens = await auth.getTokenByCode(new URL(request.url), { codeVerifier, state, nonce });
 * ```
 */
export class AuthClient {
  readonly #context: ClientContext;
  readonly #authorizationParams: AuthorizationParams | undefined;
  /** The MFA API: list, enroll, challenge and delete authenticators, and `verify` (MFA grants). */
  readonly mfa: MfaClient;
  /** The passkey API: `register`, `challenge`, and `getTokenByPasskey` (the webauthn grant). */
  readonly passkey: PasskeyClient;
  /** Passwordless: `sendEmail`, `sendSms`, and the database-connection OTP challenge and grant. */
  readonly passwordless: PasswordlessClient;
  /** Database connections: `signUp` and `changePassword`. */
  readonly database: DatabaseClient;
  /** Anonymous sessions: `createSession`, `getAccessToken`, `logout`, `mintTransferToken`. */
  readonly anonymous: AnonymousSessionClient;

  constructor(options: AuthClientOptions) {
    assertObject(options, 'options');
    assertKnownKeys(options, CLIENT_OPTIONS, 'options');
    assertString(options.domain, 'options.domain');
    assertString(options.clientId, 'options.clientId');
    assertOptionalString(options.clientSecret, 'options.clientSecret');
    assertOptionalString(options.clientAssertionSigningAlg, 'options.clientAssertionSigningAlg');
    if (options.clientSecret && options.clientAssertionSigningKey) {
      throw new TypeError(
        '"options.clientSecret" and "options.clientAssertionSigningKey" are mutually exclusive',
      );
    }
    if (options.authorizationParams !== undefined)
      assertObject(options.authorizationParams, 'options.authorizationParams');
    if (options.customFetch !== undefined)
      assertFunction(options.customFetch, 'options.customFetch');
    if (options.dpop !== undefined && !(options.dpop instanceof DpopKeyPair)) {
      throw new TypeError('"options.dpop" must be a DpopKeyPair from generateDpopKeyPair()');
    }
    if (
      options.timeoutMs !== undefined &&
      !(
        typeof options.timeoutMs === 'number' &&
        Number.isFinite(options.timeoutMs) &&
        options.timeoutMs > 0
      )
    ) {
      throw new TypeError('"options.timeoutMs" must be a number > 0');
    }
    const signingKey = options.clientAssertionSigningKey;
    if (signingKey !== undefined && typeof signingKey !== 'string' && !isCryptoKey(signingKey)) {
      throw new TypeError(
        '"options.clientAssertionSigningKey" must be a PKCS#8 PEM string or a CryptoKey',
      );
    }
    if (options.authorizationParams !== undefined) {
      // Fails now, naming the option, rather than at the first buildAuthorizationUrl().
      mergeAuthorizationParams(
        options.authorizationParams,
        undefined,
        'options.authorizationParams',
      );
    }
    if (options.leeway !== undefined) assertNonNegativeNumber(options.leeway, 'options.leeway');
    const ttlMs = discoveryTtlMs(options.discoveryCache);
    if (options.useMtls !== undefined && typeof options.useMtls !== 'boolean') {
      throw new TypeError('"options.useMtls" must be a boolean');
    }
    if (options.useMtls) {
      // The certificate is presented by the transport: without a fetch that has one, every
      // request would go out unauthenticated (auth-js: mtls_without_custom_fetch_not_supported).
      if (!options.customFetch) {
        throw new TypeError(
          '"options.useMtls" needs "options.customFetch" (an mTLS-capable fetch)',
        );
      }
      if (options.clientSecret || options.clientAssertionSigningKey) {
        throw new TypeError(
          '"options.useMtls" authenticates with the certificate: do not also set clientSecret or clientAssertionSigningKey',
        );
      }
    }

    let authenticate: ClientAuthenticator = publicClient();
    if (options.clientSecret) authenticate = clientSecretPost(options.clientSecret);
    else if (options.clientAssertionSigningKey) {
      authenticate = privateKeyJwt(
        options.clientAssertionSigningKey,
        options.clientAssertionSigningAlg,
      );
    }
    const customFetch = options.customFetch;
    const context = expiringContext(
      {
        clientId: options.clientId,
        base: resolveDomain(options.domain, 'options.domain'),
        http: {
          fetch: customFetch
            ? (input, init) => customFetch(input, init)
            : (input, init) => fetch(input, init),
          timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
          headers: telemetryHeaders(options.telemetry),
        },
        authenticate,
        leeway: options.leeway,
        dpop: options.dpop,
        nonces: options.dpopNonces,
      },
      ttlMs,
      {
        confidential: Boolean(
          options.clientSecret || options.clientAssertionSigningKey || options.useMtls,
        ),
        organizationError: OrganizationValidationError,
        tokenResponse: (raw, now) => TokenResponseClass.withoutIdToken(raw, now),
      },
    );
    this.#context = options.useMtls ? mtlsContext(context) : context;
    this.#authorizationParams = options.authorizationParams;
    this.mfa = new MfaClient(this.#context);
    this.passkey = new PasskeyClient(this.#context);
    this.passwordless = new PasswordlessClient(this.#context);
    this.database = new DatabaseClient(this.#context);
    this.anonymous = new AnonymousSessionClient(this.#context);
  }

  /** The server's discovered metadata (cached; see `discoveryCache`). */
  getServerMetadata(): Promise<ServerMetadata> {
    return this.#context.metadata();
  }

  /**
   * Runs one call with its own context, mapping a server's refusal to the operation's error class
   * and, with `fullResponse`, returning the last response the call read.
   */
  async #run<T>(
    requestOptions: RequestOptions | undefined,
    full: boolean,
    ErrorClass: Parameters<typeof asOperationError>[1],
    run: (call: CallContext) => Promise<T>,
  ): Promise<T | ApiResponse<T>> {
    assertRequestOptions(requestOptions);
    const call = callContext(this.#context, requestOptions);
    try {
      const data = await run(call);
      if (!full) return data;
      return { data, response: call.lastResponse() as Response };
    } catch (error) {
      throw asOperationError(error, ErrorClass);
    }
  }

  #requireConfidential(): void {
    if (!this.#context.confidential) throw new MissingClientAuthError();
  }

  /**
   * Builds an `/authorize` URL with PKCE S256, a fresh `state` and `nonce`, and `dpop_jkt` when
   * DPoP is on. Keep `codeVerifier`, `state` and `nonce` for {@link getTokenByCode}. With
   * `pushedAuthorizationRequests: true` the parameters are pushed first (RFC 9126).
   */
  async buildAuthorizationUrl(
    options: BuildAuthorizationUrlOptions = {},
  ): Promise<BuildAuthorizationUrlResult> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['pushedAuthorizationRequests', 'authorizationParams'], 'options');
    const par = options.pushedAuthorizationRequests;
    if (par !== undefined && typeof par !== 'boolean') {
      throw new TypeError('"options.pushedAuthorizationRequests" must be a boolean');
    }
    if (options.authorizationParams !== undefined)
      assertObject(options.authorizationParams, 'options.authorizationParams');
    return this.#authorize(BuildAuthorizationUrlError, {
      defaults: this.#authorizationParams,
      authorizationParams: options.authorizationParams,
      push: par ? pushAuthorizationRequest : undefined,
      defaultScope: SERVER_DEFAULT_SCOPE,
    });
  }

  async #authorize(
    ErrorClass: Parameters<typeof asOperationError>[1],
    options: Parameters<typeof buildAuthorizationUrl>[1],
  ): Promise<BuildAuthorizationUrlResult> {
    try {
      const { params: _params, ...request } = await buildAuthorizationUrl(this.#context, options);
      return request;
    } catch (error) {
      throw asOperationError(error, ErrorClass);
    }
  }

  /**
   * The `/authorize` URL that links another account (`connection`) to the user of `idToken`
   * (Auth0's `link_account` scope). Finish it with {@link getTokenByCode}.
   */
  async buildLinkUserUrl(
    options: BuildLinkUserUrlOptions,
  ): Promise<{ linkUserUrl: URL; codeVerifier: string; state: string; nonce: string }> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['connection', 'connectionScope', 'idToken', 'authorizationParams'],
      'options',
    );
    assertString(options.connection, 'options.connection');
    assertString(options.connectionScope, 'options.connectionScope');
    assertString(options.idToken, 'options.idToken');
    const { authorizationUrl, ...rest } = await this.#authorize(BuildLinkUserUrlError, {
      defaults: { ...this.#authorizationParams, scope: undefined },
      authorizationParams: {
        ...options.authorizationParams,
        scope: undefined,
        requested_connection: options.connection,
        requested_connection_scope: options.connectionScope,
        id_token_hint: options.idToken,
      },
      defaultScope: 'openid link_account offline_access',
    });
    return { linkUserUrl: authorizationUrl, ...rest };
  }

  /** The `/authorize` URL that unlinks `connection` from the user of `idToken`. */
  async buildUnlinkUserUrl(
    options: BuildUnlinkUserUrlOptions,
  ): Promise<{ unlinkUserUrl: URL; codeVerifier: string; state: string; nonce: string }> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['connection', 'idToken', 'authorizationParams'], 'options');
    assertString(options.connection, 'options.connection');
    assertString(options.idToken, 'options.idToken');
    const { authorizationUrl, ...rest } = await this.#authorize(BuildUnlinkUserUrlError, {
      defaults: { ...this.#authorizationParams, scope: undefined },
      authorizationParams: {
        ...options.authorizationParams,
        scope: undefined,
        requested_connection: options.connection,
        id_token_hint: options.idToken,
      },
      defaultScope: 'openid unlink_account',
    });
    return { unlinkUserUrl: authorizationUrl, ...rest };
  }

  #backchannelRequest(options: BackchannelAuthenticationOptions, withFull: boolean) {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      [
        'bindingMessage',
        'loginHint',
        'requestedExpiry',
        'authorizationDetails',
        'authorizationParams',
        ...(withFull ? ['fullResponse'] : []),
      ],
      'options',
    );
    assertString(options.bindingMessage, 'options.bindingMessage');
    assertObject(options.loginHint, 'options.loginHint');
    assertKnownKeys(options.loginHint, ['sub'], 'options.loginHint');
    assertString(options.loginHint.sub, 'options.loginHint.sub');
    if (options.requestedExpiry !== undefined)
      assertNonNegativeNumber(options.requestedExpiry, 'options.requestedExpiry');
    if (options.authorizationDetails !== undefined && !Array.isArray(options.authorizationDetails))
      throw new TypeError('"options.authorizationDetails" must be an array');
    if (options.authorizationParams !== undefined)
      assertObject(options.authorizationParams, 'options.authorizationParams');
    this.#requireConfidential();
    const merged = mergeAuthorizationParams(
      { ...this.#authorizationParams, redirect_uri: undefined },
      options.authorizationParams,
      'options.authorizationParams',
      SERVER_DEFAULT_SCOPE,
    );
    const params: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(merged)) {
      // redirect_uri and response_mode belong to the browser flow, not to CIBA.
      if (value !== undefined && key !== 'redirect_uri' && key !== 'response_mode')
        params[key] = String(value);
    }
    return {
      bindingMessage: options.bindingMessage,
      sub: options.loginHint.sub,
      requestedExpiry: options.requestedExpiry,
      authorizationDetails: options.authorizationDetails,
      params,
    };
  }

  /**
   * Client-Initiated Backchannel Authentication: asks the user on their own device
   * (`/bc-authorize`), then polls the token endpoint (honouring `interval` and `slow_down`) until
   * they approve or deny. Abort with `requestOptions.signal`.
   */
  backchannelAuthentication(
    options: BackchannelAuthenticationOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  backchannelAuthentication(
    options: BackchannelAuthenticationOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async backchannelAuthentication(
    options: BackchannelAuthenticationOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    const request = this.#backchannelRequest(options, true);
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      BackchannelAuthenticationError,
      async ({ context }) =>
        pollBackchannelAuthentication(
          context,
          await initiateBackchannelAuthentication(context, request),
        ),
    );
  }

  /** The first half of {@link backchannelAuthentication}: returns `authReqId`, `expiresIn`, `interval`. */
  async initiateBackchannelAuthentication(
    options: BackchannelAuthenticationOptions,
    requestOptions?: RequestOptions,
  ): Promise<BackchannelAuthenticationResponse> {
    const request = this.#backchannelRequest(options, false);
    return this.#run(requestOptions, false, BackchannelAuthenticationError, ({ context }) =>
      initiateBackchannelAuthentication(context, request),
    ) as Promise<BackchannelAuthenticationResponse>;
  }

  /**
   * One token request for an `authReqId`: the tokens once the user approved; until then a
   * {@link BackchannelAuthenticationError} whose `error` is `authorization_pending` or
   * `slow_down` (poll again later), or `access_denied` / `expired_token`.
   */
  async backchannelAuthenticationGrant(
    options: { authReqId: string },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['authReqId'], 'options');
    assertString(options.authReqId, 'options.authReqId');
    this.#requireConfidential();
    return this.#run(requestOptions, false, BackchannelAuthenticationError, ({ context }) =>
      backchannelAuthenticationGrant(context, options.authReqId),
    ) as Promise<TokenResponse>;
  }

  /**
   * Checks the callback URL (`state`, `iss`, error parameters), redeems its code with the PKCE
   * verifier, and verifies the ID token (signature against the JWKS, `iss`, `aud`, `azp`, `exp`,
   * `iat`, `nonce`, `auth_time`/`max_age`, organization).
   */
  getTokenByCode(
    url: URL | string,
    options: TokenByCodeOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByCode(
    url: URL | string,
    options: TokenByCodeOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByCode(
    url: URL | string,
    options: TokenByCodeOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      [
        'codeVerifier',
        'state',
        'nonce',
        'redirectUri',
        'maxAge',
        'organization',
        'resource',
        'signal',
        'fullResponse',
        // The result of buildAuthorizationUrl may be passed as it is: its URL is not an option.
        'authorizationUrl',
      ],
      'options',
    );
    assertString(options.codeVerifier, 'options.codeVerifier');
    assertString(options.state, 'options.state');
    assertOptionalString(options.nonce, 'options.nonce');
    assertResource(options.resource);
    const redirectUri = options.redirectUri ?? this.#authorizationParams?.redirect_uri;
    assertString(redirectUri, 'options.redirectUri');
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      TokenByCodeError,
      ({ context }) =>
        authorizationCodeGrant(context, {
          callbackUrl: url,
          codeVerifier: options.codeVerifier,
          state: options.state,
          nonce: options.nonce,
          redirectUri,
          maxAge: options.maxAge,
          organization: options.organization,
          resource: options.resource,
          signal: options.signal,
        }),
    );
  }

  /**
   * Completes a magic-link login (`passwordless.sendEmail({ send: 'link' })`): checks the
   * callback's `state` and `iss`, and redeems its code without PKCE (the link registered none).
   */
  getTokenByMagicLinkCode(
    url: URL | string,
    options: TokenByMagicLinkCodeOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByMagicLinkCode(
    url: URL | string,
    options: TokenByMagicLinkCodeOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByMagicLinkCode(
    url: URL | string,
    options: TokenByMagicLinkCodeOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['expectedState', 'redirectUri', 'fullResponse'], 'options');
    if (options.expectedState === undefined) {
      throw new InvalidStateError({
        message:
          'getTokenByMagicLinkCode needs "options.expectedState": without PKCE, state is the only binding of the callback to its link.',
      });
    }
    assertString(options.expectedState, 'options.expectedState');
    const redirectUri = options.redirectUri ?? this.#authorizationParams?.redirect_uri;
    assertString(redirectUri, 'options.redirectUri');
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      TokenByCodeError,
      async ({ context }) => {
        const server = await context.metadata();
        const code = validateAuthorizationResponse(readAuthorizationResponse(url), {
          state: options.expectedState,
          issuer: server.issuer,
          issRequired: server.authorization_response_iss_parameter_supported,
        });
        const raw = await requestToken(context, {
          params: { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
          what: 'Magic link code exchange',
        });
        return toTokenResponse(context, raw);
      },
    );
  }

  /** Redeems a refresh token; with rotation, store the returned `refreshToken` in place of the old. */
  getTokenByRefreshToken(
    options: TokenByRefreshTokenOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByRefreshToken(
    options: TokenByRefreshTokenOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByRefreshToken(
    options: TokenByRefreshTokenOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['refreshToken', 'audience', 'scope', 'resource', 'signal', 'fullResponse'],
      'options',
    );
    assertString(options.refreshToken, 'options.refreshToken');
    assertOptionalString(options.audience, 'options.audience');
    assertOptionalString(options.scope, 'options.scope');
    assertResource(options.resource);
    const { fullResponse: _full, ...grant } = options;
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      TokenByRefreshTokenError,
      ({ context }) => refreshTokenGrant(context, grant),
    );
  }

  /** A machine-to-machine token for `audience` (confidential clients). */
  getTokenByClientCredentials(
    options: TokenByClientCredentialsOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByClientCredentials(
    options: TokenByClientCredentialsOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByClientCredentials(
    options: TokenByClientCredentialsOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['audience', 'organization', 'resource', 'signal', 'fullResponse'],
      'options',
    );
    assertString(options.audience, 'options.audience');
    assertOptionalString(options.organization, 'options.organization');
    assertResource(options.resource);
    const { fullResponse: _full, ...grant } = options;
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      TokenByClientCredentialsError,
      ({ context }) => clientCredentialsGrant(context, grant),
    );
  }

  /** Resource Owner Password grant; with `realm`, Auth0's password-realm grant. */
  getTokenByPassword(
    options: TokenByPasswordOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByPassword(
    options: TokenByPasswordOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByPassword(
    options: TokenByPasswordOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      [
        'username',
        'password',
        'audience',
        'scope',
        'realm',
        'auth0ForwardedFor',
        'signal',
        'fullResponse',
      ],
      'options',
    );
    assertString(options.username, 'options.username');
    assertString(options.password, 'options.password');
    assertOptionalString(options.realm, 'options.realm');
    assertOptionalString(options.auth0ForwardedFor, 'options.auth0ForwardedFor');
    const { fullResponse: _full, ...grant } = options;
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      TokenByPasswordError,
      ({ context }) => passwordGrant(context, grant),
    );
  }

  /** Exchanges a passwordless email code (`passwordless.sendEmail`) for tokens. */
  getTokenByPasswordlessEmail(
    options: TokenByPasswordlessEmailOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByPasswordlessEmail(
    options: TokenByPasswordlessEmailOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByPasswordlessEmail(
    options: TokenByPasswordlessEmailOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['email', 'code', 'audience', 'scope', 'fullResponse'], 'options');
    assertString(options.email, 'options.email');
    return this.#passwordlessOtp('email', options.email, options, requestOptions);
  }

  /** Exchanges a passwordless SMS code (`passwordless.sendSms`) for tokens. */
  getTokenByPasswordlessSms(
    options: TokenByPasswordlessSmsOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByPasswordlessSms(
    options: TokenByPasswordlessSmsOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByPasswordlessSms(
    options: TokenByPasswordlessSmsOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['phoneNumber', 'code', 'audience', 'scope', 'fullResponse'],
      'options',
    );
    assertE164(options.phoneNumber, 'options.phoneNumber');
    return this.#passwordlessOtp('sms', options.phoneNumber, options, requestOptions);
  }

  #passwordlessOtp(
    realm: 'email' | 'sms',
    username: string,
    options: { code: string; audience?: string; scope?: string; fullResponse?: true },
    requestOptions: RequestOptions | undefined,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertString(options.code, 'options.code');
    assertOptionalString(options.audience, 'options.audience');
    assertOptionalString(options.scope, 'options.scope');
    this.#requireConfidential();
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      PasswordlessVerifyError,
      async ({ context }) =>
        toTokenResponse(
          context,
          await requestToken(context, {
            params: {
              grant_type: PASSWORDLESS_OTP_GRANT_TYPE,
              realm,
              username,
              otp: options.code,
              audience: options.audience,
              scope: options.scope,
            },
            what: 'Passwordless OTP grant',
          }),
        ),
    );
  }

  /**
   * Token exchange, routed like auth0-auth-js's: **without** `connection`, Custom Token Exchange
   * (RFC 8693) of a token of a type a Token Exchange Profile handles, for the tokens of the user
   * it names (the ID token verified as a login's; `act` set when an actor token was given);
   * **with** `connection`, Token Vault: an Auth0 access or refresh token of the user for the
   * access token of the account they connected there. Server refusals are
   * {@link TokenExchangeError}s (Token Vault without a connected account: 401
   * `federated_connection_refresh_token_not_found`).
   *
   * @example
   * ```ts
   * const tokens = await auth.exchangeToken({
   *   subjectTokenType: 'urn:acme:legacy-token',
   *   subjectToken: accessToken, // the legacy system's token
   *   audience: 'https://api.example.com/',
   *   scope: 'openid offline_access read:notes',
   * });
   * const google = await auth.exchangeToken({
   *   connection: 'google-oauth2',
   *   subjectToken: tokens.refreshToken!,
   *   subjectTokenType: 'urn:ietf:params:oauth:token-type:refresh_token',
   * });
   * ```
   */
  exchangeToken(
    options: ExchangeProfileOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  exchangeToken(
    options: TokenVaultExchangeOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  exchangeToken(
    options: ExchangeProfileOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  exchangeToken(
    options: TokenVaultExchangeOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async exchangeToken(
    options: (ExchangeProfileOptions | TokenVaultExchangeOptions) & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    const { fullResponse, ...exchange } = options;
    const full = fullResponse === true;
    // auth0-auth-js routes on the key's presence, not its value.
    if ('connection' in exchange) {
      assertTokenVaultOptions(exchange);
      return this.#run(requestOptions, full, TokenExchangeError, ({ context }) =>
        federatedConnectionGrant(context, exchange),
      );
    }
    assertExchangeProfileOptions(exchange);
    return this.#run(requestOptions, full, TokenExchangeError, ({ context }) =>
      tokenExchangeGrant(context, exchange),
    );
  }

  /**
   * Token Vault with an access token or a refresh token (exactly one of them).
   *
   * @deprecated As in auth0-auth-js: use {@link AuthClient.exchangeToken} with `connection`.
   * @example
   * ```ts
   * const google = await auth.getTokenForConnection({ connection: 'google-oauth2', refreshToken });
   * ```
   */
  getTokenForConnection(
    options: TokenForConnectionOptions & Full,
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenForConnection(
    options: TokenForConnectionOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenForConnection(
    options: TokenForConnectionOptions & { fullResponse?: true },
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['connection', 'accessToken', 'refreshToken', 'loginHint', 'signal', 'fullResponse'],
      'options',
    );
    assertOptionalString(options.accessToken, 'options.accessToken');
    assertOptionalString(options.refreshToken, 'options.refreshToken');
    if ((options.accessToken === undefined) === (options.refreshToken === undefined)) {
      throw new TypeError(
        'exactly one of "options.accessToken" and "options.refreshToken" is required',
      );
    }
    const vault: TokenVaultExchangeOptions = {
      connection: options.connection,
      subjectToken: options.accessToken ?? options.refreshToken ?? '',
      subjectTokenType: options.accessToken === undefined ? REFRESH_TOKEN_TYPE : ACCESS_TOKEN_TYPE,
      loginHint: options.loginHint,
      signal: options.signal,
    };
    assertTokenVaultOptions(vault);
    return this.#run(
      requestOptions,
      options.fullResponse === true,
      TokenForConnectionError,
      ({ context }) => federatedConnectionGrant(context, vault),
    );
  }

  /** Revokes a refresh token (or access token) at the revocation endpoint (RFC 7009). */
  async revokeToken(options: RevokeTokenOptions, requestOptions?: RequestOptions): Promise<void> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['token', 'tokenTypeHint', 'signal'], 'options');
    assertString(options.token, 'options.token');
    await this.#run(requestOptions, false, TokenRevocationError, ({ context }) =>
      revokeToken(context, options),
    );
  }

  /** The user's claims from the userinfo endpoint (DPoP-bound tokens: pass `tokenType: 'DPoP'`). */
  async getUserInfo(
    options: GetUserInfoOptions,
    requestOptions?: RequestOptions,
  ): Promise<UserInfo> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['accessToken', 'tokenType', 'expectedSubject', 'signal'], 'options');
    assertString(options.accessToken, 'options.accessToken');
    return (await this.#run(requestOptions, false, UserInfoError, ({ context }) =>
      getUserInfo(context, options),
    )) as UserInfo;
  }

  /** The logout URL: `end_session_endpoint` when advertised, Auth0's `/v2/logout` otherwise. */
  async buildLogoutUrl(options: LogoutUrlOptions = {}): Promise<URL> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['returnTo', 'federated', 'idTokenHint', 'logoutHint', 'state'],
      'options',
    );
    assertOptionalString(options.returnTo, 'options.returnTo');
    return buildLogoutUrl(this.#context, options);
  }

  /** Verifies a back-channel logout token and returns whom it logs out (`sid` and/or `sub`). */
  async verifyLogoutToken(options: { logoutToken: string }): Promise<LogoutTokenClaims> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['logoutToken'], 'options');
    assertString(options.logoutToken, 'options.logoutToken');
    const server = await this.#context.metadata();
    return verifyLogoutToken(options.logoutToken, {
      issuer: server.issuer,
      clientId: this.#context.clientId,
      jwks: await this.#context.jwks(),
      algorithms: await this.#context.algorithms(),
      leeway: this.#context.leeway,
    });
  }
}

function assertResource(value: unknown): void {
  if (value === undefined) return;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new TypeError('"options.resource" must not be empty');
  for (const item of list) {
    assertString(item, 'options.resource');
    // RFC 8707 §2: an absolute URI without a fragment.
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new TypeError('"options.resource" must be an absolute URI');
    }
    if (url.hash !== '') throw new TypeError('"options.resource" must not have a fragment');
  }
}

function discoveryTtlMs(cache: DiscoveryCacheOptions | undefined): number {
  if (cache === undefined) return 600_000;
  assertObject(cache, 'options.discoveryCache');
  assertKnownKeys(cache, ['ttl', 'maxEntries'], 'options.discoveryCache');
  if (cache.ttl !== undefined) assertNonNegativeNumber(cache.ttl, 'options.discoveryCache.ttl');
  if (
    cache.maxEntries !== undefined &&
    !(Number.isInteger(cache.maxEntries) && cache.maxEntries >= 1)
  ) {
    throw new TypeError('"options.discoveryCache.maxEntries" must be an integer ≥ 1');
  }
  return (cache.ttl ?? 600) * 1000;
}

/** auth0-auth-js's subject-token rules, as TypeErrors naming the option. */
function assertSubjectToken(value: unknown, name: string): void {
  assertString(value, name);
  if (value.trim() !== value)
    throw new TypeError(`"${name}" must not start or end with whitespace`);
  if (/^bearer\s+/i.test(value))
    throw new TypeError(`"${name}" must not include a "Bearer " prefix`);
}

function assertExchangeProfileOptions(options: ExchangeProfileOptions): void {
  assertKnownKeys(
    options,
    [
      'subjectTokenType',
      'subjectToken',
      'audience',
      'scope',
      'requestedTokenType',
      'organization',
      'actorToken',
      'actorTokenType',
      'extra',
      'signal',
    ],
    'options',
  );
  assertString(options.subjectTokenType, 'options.subjectTokenType');
  assertSubjectToken(options.subjectToken, 'options.subjectToken');
  assertOptionalString(options.audience, 'options.audience');
  assertOptionalString(options.scope, 'options.scope');
  assertOptionalString(options.requestedTokenType, 'options.requestedTokenType');
  assertOptionalString(options.organization, 'options.organization');
  if (options.organization !== undefined && options.organization.trim() === '') {
    throw new TypeError('"options.organization" must not be blank');
  }
  assertOptionalString(options.actorToken, 'options.actorToken');
  assertOptionalString(options.actorTokenType, 'options.actorTokenType');
  if (options.actorToken !== undefined && options.actorTokenType === undefined) {
    throw new TypeError('"options.actorTokenType" is required with "options.actorToken"');
  }
  if (options.actorTokenType !== undefined && options.actorToken === undefined) {
    throw new TypeError('"options.actorToken" is required with "options.actorTokenType"');
  }
}

function assertTokenVaultOptions(options: TokenVaultExchangeOptions): void {
  assertString(options.connection, 'options.connection');
  assertSubjectToken(options.subjectToken, 'options.subjectToken');
  for (const name of ['audience', 'resource']) {
    if (name in options) {
      throw new TypeError(`"options.${name}" is not supported for Token Vault exchanges`);
    }
  }
  assertKnownKeys(
    options,
    [
      'connection',
      'subjectToken',
      'subjectTokenType',
      'requestedTokenType',
      'loginHint',
      'scope',
      'extra',
      'signal',
    ],
    'options',
  );
  const type = options.subjectTokenType;
  if (type !== undefined && type !== ACCESS_TOKEN_TYPE && type !== REFRESH_TOKEN_TYPE) {
    throw new TypeError(
      `"options.subjectTokenType" must be "${ACCESS_TOKEN_TYPE}" or "${REFRESH_TOKEN_TYPE}"`,
    );
  }
  assertOptionalString(options.requestedTokenType, 'options.requestedTokenType');
  assertOptionalString(options.loginHint, 'options.loginHint');
  assertOptionalString(options.scope, 'options.scope');
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}
