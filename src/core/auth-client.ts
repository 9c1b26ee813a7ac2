import {
  assertFunction,
  assertNonNegativeNumber,
  assertObject,
  assertOptionalString,
  assertString,
} from './assert.js';
import { type AuthorizationParams, mergeAuthorizationParams } from './authorization-params.js';
import { type AuthorizationRequest, buildAuthorizationUrl } from './authorize-url.js';
import {
  type ClientAuthenticator,
  clientSecretPost,
  privateKeyJwt,
  publicClient,
} from './client-auth.js';
import { type ClientContext, createClientContext } from './context.js';
import type { ServerMetadata } from './discovery.js';
import { resolveDomain } from './domain.js';
import { DpopKeyPair } from './dpop-key.js';
import type { DpopNonceStore } from './dpop-nonces.js';
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
import { PasskeyClient } from './passkey/passkey-client.js';
import { revokeToken } from './revoke.js';
import type { TokenResponse } from './token-response.js';
import { getUserInfo, type UserInfo } from './userinfo.js';
import { telemetryHeader } from './version.js';

/** Options of {@link AuthClient}. */
export interface AuthClientOptions {
  /** `tenant.eu.auth0.com`, a custom domain, or a full URL (`http://` only for localhost). */
  domain: string;
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
  /** Send the `Auth0-Client` telemetry header; default `true`. */
  telemetry?: boolean;
}

/** Options of {@link AuthClient.getTokenByCode}. */
export interface TokenByCodeOptions {
  /** The verifier returned by {@link AuthClient.buildAuthorizationUrl}. */
  codeVerifier: string;
  /** The `state` returned by {@link AuthClient.buildAuthorizationUrl}; the callback must match it. */
  state: string;
  /** The `nonce` returned by {@link AuthClient.buildAuthorizationUrl}. */
  nonce?: string;
  /** The `redirect_uri` of the authorize request; defaults to `authorizationParams.redirect_uri`. */
  redirectUri?: string;
  /** The `max_age` of the authorize request, if any. */
  maxAge?: number;
  /** The organization of the authorize request, if any: checked against `org_id`/`org_name`. */
  organization?: string;
  signal?: AbortSignal;
}

/**
 * A client for the Auth0 Authentication API (and any OpenID Provider), with the surface of
 * `@auth0/auth0-auth-js`. Runtime-agnostic: it uses only `fetch`, `crypto.subtle` and `URL`, so it
 * runs in Node, Bun, Deno, edge runtimes and service workers.
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
 * const { authorizationUrl, codeVerifier, state, nonce } = await auth.buildAuthorizationUrl();
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

  constructor(options: AuthClientOptions) {
    assertObject(options, 'options');
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

    let authenticate: ClientAuthenticator = publicClient();
    if (options.clientSecret) authenticate = clientSecretPost(options.clientSecret);
    else if (options.clientAssertionSigningKey) {
      authenticate = privateKeyJwt(
        options.clientAssertionSigningKey,
        options.clientAssertionSigningAlg,
      );
    }
    const customFetch = options.customFetch;
    this.#context = createClientContext({
      clientId: options.clientId,
      base: resolveDomain(options.domain, 'options.domain'),
      http: {
        fetch: customFetch
          ? (input, init) => customFetch(input, init)
          : (input, init) => fetch(input, init),
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        ...(options.telemetry === false ? {} : { headers: telemetryHeader() }),
      },
      authenticate,
      leeway: options.leeway,
      dpop: options.dpop,
      nonces: options.dpopNonces,
    });
    this.#authorizationParams = options.authorizationParams;
    this.mfa = new MfaClient(this.#context);
    this.passkey = new PasskeyClient(this.#context);
  }

  /** The server's discovered metadata (cached). */
  getServerMetadata(): Promise<ServerMetadata> {
    return this.#context.metadata();
  }

  /**
   * Builds an `/authorize` URL with PKCE S256, a fresh `state` and `nonce`, and `dpop_jkt` when
   * DPoP is on. Keep `codeVerifier`, `state` and `nonce` for {@link getTokenByCode}.
   */
  async buildAuthorizationUrl(
    options: { authorizationParams?: AuthorizationParams } = {},
  ): Promise<Omit<AuthorizationRequest, 'params'>> {
    const { params: _params, ...request } = await buildAuthorizationUrl(this.#context, {
      defaults: this.#authorizationParams,
      authorizationParams: options.authorizationParams,
    });
    return request;
  }

  /**
   * Checks the callback URL (`state`, `iss`, error parameters), redeems its code with the PKCE
   * verifier, and verifies the ID token (signature against the JWKS, `iss`, `aud`, `azp`, `exp`,
   * `iat`, `nonce`, `auth_time`/`max_age`, organization).
   */
  async getTokenByCode(url: URL | string, options: TokenByCodeOptions): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertString(options.codeVerifier, 'options.codeVerifier');
    assertString(options.state, 'options.state');
    assertOptionalString(options.nonce, 'options.nonce');
    const redirectUri = options.redirectUri ?? this.#authorizationParams?.redirect_uri;
    assertString(redirectUri, 'options.redirectUri');
    return authorizationCodeGrant(this.#context, {
      callbackUrl: url,
      codeVerifier: options.codeVerifier,
      state: options.state,
      nonce: options.nonce,
      redirectUri,
      maxAge: options.maxAge,
      organization: options.organization,
      signal: options.signal,
    });
  }

  /** Redeems a refresh token; with rotation, store the returned `refreshToken` in place of the old. */
  getTokenByRefreshToken(options: {
    refreshToken: string;
    audience?: string;
    scope?: string;
    signal?: AbortSignal;
  }): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertString(options.refreshToken, 'options.refreshToken');
    assertOptionalString(options.audience, 'options.audience');
    assertOptionalString(options.scope, 'options.scope');
    return refreshTokenGrant(this.#context, options);
  }

  /** A machine-to-machine token for `audience` (confidential clients). */
  getTokenByClientCredentials(options: {
    audience: string;
    organization?: string;
    signal?: AbortSignal;
  }): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertString(options.audience, 'options.audience');
    assertOptionalString(options.organization, 'options.organization');
    return clientCredentialsGrant(this.#context, options);
  }

  /** Resource Owner Password grant; with `realm`, Auth0's password-realm grant. */
  getTokenByPassword(options: {
    username: string;
    password: string;
    audience?: string;
    scope?: string;
    realm?: string;
    auth0ForwardedFor?: string;
    signal?: AbortSignal;
  }): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertString(options.username, 'options.username');
    assertString(options.password, 'options.password');
    assertOptionalString(options.realm, 'options.realm');
    assertOptionalString(options.auth0ForwardedFor, 'options.auth0ForwardedFor');
    return passwordGrant(this.#context, options);
  }

  /**
   * Token exchange, routed like auth0-auth-js's: **without** `connection`, Custom Token Exchange
   * (RFC 8693) of a token of a type a Token Exchange Profile handles, for the tokens of the user
   * it names (the ID token verified as a login's; `act` set when an actor token was given);
   * **with** `connection`, Token Vault: an Auth0 access or refresh token of the user for the
   * access token of the account they connected there. Server refusals are `OAuthError`s (Token
   * Vault without a connected account: 401 `federated_connection_refresh_token_not_found`).
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
  exchangeToken(options: ExchangeProfileOptions): Promise<TokenResponse>;
  exchangeToken(options: TokenVaultExchangeOptions): Promise<TokenResponse>;
  exchangeToken(
    options: ExchangeProfileOptions | TokenVaultExchangeOptions,
  ): Promise<TokenResponse> {
    assertObject(options, 'options');
    // auth0-auth-js routes on the key's presence, not its value.
    if ('connection' in options) {
      assertTokenVaultOptions(options);
      return federatedConnectionGrant(this.#context, options);
    }
    assertExchangeProfileOptions(options);
    return tokenExchangeGrant(this.#context, options);
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
  getTokenForConnection(options: {
    connection: string;
    accessToken?: string;
    refreshToken?: string;
    loginHint?: string;
    signal?: AbortSignal;
  }): Promise<TokenResponse> {
    assertObject(options, 'options');
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
    return federatedConnectionGrant(this.#context, vault);
  }

  /** Revokes a refresh token (or access token) at the revocation endpoint (RFC 7009). */
  revokeToken(options: {
    token: string;
    tokenTypeHint?: 'refresh_token' | 'access_token';
    signal?: AbortSignal;
  }): Promise<void> {
    assertObject(options, 'options');
    assertString(options.token, 'options.token');
    return revokeToken(this.#context, options);
  }

  /** The user's claims from the userinfo endpoint (DPoP-bound tokens: pass `tokenType: 'DPoP'`). */
  getUserInfo(options: {
    accessToken: string;
    tokenType?: string;
    expectedSubject?: string;
    signal?: AbortSignal;
  }): Promise<UserInfo> {
    assertObject(options, 'options');
    assertString(options.accessToken, 'options.accessToken');
    return getUserInfo(this.#context, options);
  }

  /** The logout URL: `end_session_endpoint` when advertised, Auth0's `/v2/logout` otherwise. */
  buildLogoutUrl(options: LogoutUrlOptions = {}): Promise<URL> {
    assertObject(options, 'options');
    assertOptionalString(options.returnTo, 'options.returnTo');
    return buildLogoutUrl(this.#context, options);
  }

  /** Verifies a back-channel logout token and returns whom it logs out (`sid` and/or `sub`). */
  async verifyLogoutToken(options: { logoutToken: string }): Promise<LogoutTokenClaims> {
    assertObject(options, 'options');
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

/** auth0-auth-js's subject-token rules, as TypeErrors naming the option. */
function assertSubjectToken(value: unknown, name: string): void {
  assertString(value, name);
  if (value.trim() !== value)
    throw new TypeError(`"${name}" must not start or end with whitespace`);
  if (/^bearer\s+/i.test(value))
    throw new TypeError(`"${name}" must not include a "Bearer " prefix`);
}

function assertExchangeProfileOptions(options: ExchangeProfileOptions): void {
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
