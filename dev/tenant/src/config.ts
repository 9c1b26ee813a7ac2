import type { JWK } from 'jose';
import type { ConnectionConfig } from './connection-config.js';
import type { TokenExchangeProfileConfig } from './token-exchange-profile-config.js';

/**
 * How a client authenticates at the token, revocation and introspection endpoints. `none` =
 * public client. The two secret methods are interchangeable: a client with a secret may send it
 * as HTTP Basic or in the body, whichever it is registered with (RFC 6749 §2.3.1).
 */
export type TokenEndpointAuthMethod =
  | 'none'
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt';

/** Whether a client may (`allowed`) or must (`required`) present DPoP proofs. */
export type DpopMode = 'off' | 'allowed' | 'required';

/** The grant types the tenant implements (a client lists the subset it may use). */
export const SUPPORTED_GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  'urn:okta:params:oauth:grant-type:webauthn',
  'http://auth0.com/oauth/grant-type/passwordless/otp',
  'urn:openid:params:grant-type:ciba',
] as const;

/**
 * An application registered with the tenant. Only `clientId` and `tokenEndpointAuthMethod` are
 * required; every other field has the default noted on it.
 *
 * @example
 * ```ts
 * import type { ClientConfig } from 'auth0-enclave-tenant';
 *
 * const spa: ClientConfig = {
 *   clientId: 'my-spa',
 *   tokenEndpointAuthMethod: 'none',
 *   redirectUris: ['http://localhost:5173/callback'],
 *   allowedOrigins: ['http://localhost:5173'],
 *   dpop: 'required',
 * };
 * ```
 */
export interface ClientConfig {
  /** The client ID applications send as `client_id`. */
  clientId: string;
  /** Shown on the login page. Default: the client id. */
  name?: string | undefined;
  /**
   * How the client authenticates at the token endpoint: `none` (public), a secret, or
   * `private_key_jwt`.
   */
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** Required for `client_secret_basic` and `client_secret_post`. */
  clientSecret?: string | undefined;
  /** Public keys that verify `private_key_jwt` client assertions. Required for that method. */
  jwks?: { keys: JWK[] } | undefined;
  /** Exact-match list. Default: none (the client cannot use /authorize). */
  redirectUris?: string[] | undefined;
  /** Origins that may call the tenant's endpoints from a browser (CORS). Default: none. */
  allowedOrigins?: string[] | undefined;
  /**
   * Auth0's "Allowed Web Origins": origins that may receive an authorization response by
   * `response_mode=web_message` (a silent-auth iframe or popup that posts the code to page
   * script). Default: none — the auth0-enclave worker never needs it, and listing an origin
   * lets script in that origin obtain codes of its own.
   */
  allowedWebOrigins?: string[] | undefined;
  /** Where logout may redirect to. Default: none. */
  allowedLogoutUrls?: string[] | undefined;
  /** Default: `['authorization_code', 'refresh_token']`. */
  grantTypes?: string[] | undefined;
  /** Default: `'allowed'`. */
  dpop?: DpopMode | undefined;
  /** Require a server nonce in token-endpoint DPoP proofs. Default: false. */
  dpopNonce?: boolean | undefined;
  /** Issue a new refresh token on every refresh and detect reuse. Default: true. */
  refreshTokenRotation?: boolean | undefined;
  /** How long a rotated refresh token may still be used (concurrent tabs). Default: 0. */
  refreshTokenReuseIntervalSeconds?: number | undefined;
  /** Default: 3600. An API's own, shorter lifetime wins. */
  accessTokenLifetimeSeconds?: number | undefined;
  /** Default: 36000. */
  idTokenLifetimeSeconds?: number | undefined;
  /** Absolute lifetime of a refresh-token family. Default: 2592000 (30 days). */
  refreshTokenLifetimeSeconds?: number | undefined;
  /** Receives `logout_token` POSTs when a session this client took part in ends. */
  backchannelLogoutUri?: string | undefined;
}

/**
 * A user who can log in with email and password. Any extra member becomes a claim in ID tokens
 * and at /userinfo (registered JWT claim names are ignored).
 */
export interface UserConfig {
  /** The `sub` claim, e.g. `auth0|alice`. */
  user_id: string;
  /** The email address the user logs in with (and the `email` claim). */
  email: string;
  /** The password the user logs in with. */
  password: string;
  /** The `name` claim. */
  name?: string | undefined;
  /** The `nickname` claim. */
  nickname?: string | undefined;
  /** The `picture` claim: a URL. */
  picture?: string | undefined;
  /** The `email_verified` claim. */
  email_verified?: boolean | undefined;
  /**
   * `required`: the password grants answer 403 `mfa_required` until a second factor is verified
   * (see the MFA section of docs/local-tenant.md). Default: `off`. Not a claim.
   */
  mfa?: 'required' | 'off' | undefined;
  [claim: string]: unknown;
}

/** A resource server: its identifier is the `audience` clients ask for. */
export interface ApiConfig {
  /** The API identifier: the `audience` clients ask tokens for, and the tokens' `aud`. */
  identifier: string;
  /** The scopes the API defines; clients can only be granted these. */
  scopes: string[];
  /** When shorter than the client's access-token lifetime, this one wins. */
  accessTokenLifetimeSeconds?: number | undefined;
  /**
   * `required`: a step-up API. A `refresh_token` grant for this audience answers 403
   * `mfa_required` unless its refresh-token family already passed MFA (see the MFA section of
   * docs/local-tenant.md). Default: `off`.
   */
  mfa?: 'required' | 'off' | undefined;
}

/**
 * An Auth0 Organization. `/authorize?organization=` accepts its `id` or its `name`; tokens then
 * carry `org_id` (and ID tokens `org_name`).
 */
export interface OrganizationConfig {
  /** Must start with `org_`. */
  id: string;
  /**
   * The organization's name, accepted by `/authorize?organization=` and put in ID tokens as
   * `org_name`.
   */
  name: string;
  /** user_ids allowed to log in to it. Default: every user. */
  members?: string[] | undefined;
}

/**
 * Everything the tenant can be configured with. Every field is optional: `createTenant()` alone
 * serves the demo setup of {@link defaultTenantOptions}. A top-level list that is given replaces
 * the default list (it is not merged).
 */
export interface TenantOptions {
  /** Default: `http://localhost:<port>/` once listening. http only for loopback hosts. */
  issuer?: string | undefined;
  /**
   * Advertise the endpoints (authorize, token, revocation, userinfo …) in discovery under this
   * origin instead of the issuer's, as an OpenID Provider whose token endpoint lives on another
   * host than its issuer does (Google's). The tenant must be reachable there too: serve
   * `tenant.app` on it as well. Default: the issuer's origin.
   */
  endpointOrigin?: string | undefined;
  /** Serve the `/__admin/*` test surface. Default: false. */
  admin?: boolean | undefined;
  /** The applications that may log in. Default: the demo clients. */
  clients?: ClientConfig[] | undefined;
  /** The users who can log in. Default: the demo users. */
  users?: UserConfig[] | undefined;
  /** The APIs tokens can be issued for. Default: the demo APIs. */
  apis?: ApiConfig[] | undefined;
  /** The Auth0 Organizations. Default: the demo organizations. */
  organizations?: OrganizationConfig[] | undefined;
  /** Absolute lifetime of a login session. Default: 604800 (7 days). */
  sessionLifetimeSeconds?: number | undefined;
  /** Default: 60. */
  codeLifetimeSeconds?: number | undefined;
  /** Allowed age (either way) of a DPoP proof's `iat`, and its replay window. Default: 60. */
  dpopProofWindowSeconds?: number | undefined;
  /** A nonce rotates after this long; the previous one stays valid one more period. Default: 300. */
  dpopNonceLifetimeSeconds?: number | undefined;
  /** Custom Token Exchange profiles (RFC 8693). Default: `urn:acme:legacy-token` (see docs). */
  tokenExchangeProfiles?: TokenExchangeProfileConfig[] | undefined;
  /** Token Vault connections and their connected accounts. Default: `google-oauth2`, no accounts. */
  connections?: ConnectionConfig[] | undefined;
  /** WebAuthn relying-party ID of passkeys (a host name). Default: `localhost`. */
  passkeyRpId?: string | undefined;
  /** WebAuthn relying-party name shown by authenticators. Default: `auth0-enclave local tenant`. */
  passkeyRpName?: string | undefined;
}

/** A client with every default applied. */
export interface ResolvedClient {
  clientId: string;
  name: string;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  clientSecret?: string;
  jwks?: { keys: JWK[] };
  redirectUris: string[];
  allowedOrigins: string[];
  allowedWebOrigins: string[];
  allowedLogoutUrls: string[];
  grantTypes: string[];
  dpop: DpopMode;
  dpopNonce: boolean;
  refreshTokenRotation: boolean;
  refreshTokenReuseIntervalSeconds: number;
  accessTokenLifetimeSeconds: number;
  idTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  backchannelLogoutUri?: string;
}

/** Tenant-wide settings with every default applied (the lists live in the directory). */
export interface ResolvedSettings {
  admin: boolean;
  sessionLifetimeSeconds: number;
  codeLifetimeSeconds: number;
  dpopProofWindowSeconds: number;
  dpopNonceLifetimeSeconds: number;
  passkeyRpId: string;
  passkeyRpName: string;
}
