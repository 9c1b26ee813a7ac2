import type {
  ApiConfig,
  ClientConfig,
  OrganizationConfig,
  TenantOptions,
  UserConfig,
} from './config.js';
import type { ConnectionConfig } from './connection-config.js';
import type { TokenExchangeProfileConfig } from './token-exchange-profile-config.js';

/** Where the demo app runs; the default clients are registered for it. */
export interface DefaultTenantOptionsInput {
  /** Default: `http://localhost:3000`. */
  appOrigin?: string;
}

/** The demo setup's lists, always present (unlike the optional fields of TenantOptions). */
export interface DefaultTenantOptions extends TenantOptions {
  /** The demo applications (the sample app's public client and the server clients). */
  clients: ClientConfig[];
  /** The demo users (e.g. `alice`). */
  users: UserConfig[];
  /** The demo APIs. */
  apis: ApiConfig[];
  /** The demo organizations. */
  organizations: OrganizationConfig[];
  tokenExchangeProfiles: TokenExchangeProfileConfig[];
  connections: ConnectionConfig[];
}

/** The sample API's audience in the demo setup. */
export const SAMPLE_API_AUDIENCE = 'https://api.example.com/';

/**
 * The demo setup's step-up API (`mfa: 'required'`): a refresh for it answers `mfa_required`
 * until the user passed a second factor (docs/local-tenant.md, MFA).
 */
export const STEP_UP_API_AUDIENCE = 'https://stepup.example.com/';

/**
 * The My Account API's identifier in an API list: `{issuer}` stands for the tenant's issuer, so
 * the audience is `<issuer>me/` (as Auth0's `https://{domain}/me/`) whatever port it listens on.
 */
export const MY_ACCOUNT_API_IDENTIFIER = '{issuer}me/';

/** The demo setup's Custom Token Exchange subject token type. */
export const SAMPLE_SUBJECT_TOKEN_TYPE = 'urn:acme:legacy-token';
/** Alice's subject token for {@link SAMPLE_SUBJECT_TOKEN_TYPE} in the demo setup. */
export const SAMPLE_SUBJECT_TOKEN = 'legacy-token-for-alice';

/**
 * The demo setup that `createTenant()` and `npm start` use: a public SPA client that must use
 * DPoP with nonces, a confidential server client, one user and one API.
 *
 * @example
 * ```ts
 * import { createTenant, defaultTenantOptions } from 'auth0-enclave-tenant';
 *
 * const defaults = defaultTenantOptions({ appOrigin: 'http://localhost:5173' });
 * const tenant = createTenant({ ...defaults, admin: true });
 * ```
 */
export function defaultTenantOptions(input: DefaultTenantOptionsInput = {}): DefaultTenantOptions {
  const appOrigin = input.appOrigin ?? 'http://localhost:3000';
  return {
    clients: [
      {
        clientId: 'sample-spa',
        name: 'Sample SPA',
        tokenEndpointAuthMethod: 'none',
        redirectUris: [`${appOrigin}/callback`],
        allowedOrigins: [appOrigin],
        allowedLogoutUrls: [appOrigin],
        grantTypes: [
          'authorization_code',
          'refresh_token',
          'urn:ietf:params:oauth:grant-type:token-exchange',
          'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
          'urn:okta:params:oauth:grant-type:webauthn',
          // Step-up MFA from the SPA (auth0.mfa): the refresh asks, the MFA grants answer.
          'http://auth0.com/oauth/grant-type/mfa-otp',
          'http://auth0.com/oauth/grant-type/mfa-oob',
          'http://auth0.com/oauth/grant-type/mfa-recovery-code',
        ],
        dpop: 'required',
        dpopNonce: true,
        refreshTokenRotation: true,
        refreshTokenReuseIntervalSeconds: 0,
      },
      {
        clientId: 'sample-server',
        name: 'Sample Server',
        tokenEndpointAuthMethod: 'client_secret_post',
        clientSecret: 'sample-server-secret',
        redirectUris: [],
        allowedOrigins: [],
        allowedLogoutUrls: [],
        grantTypes: [
          'client_credentials',
          'password',
          'http://auth0.com/oauth/grant-type/password-realm',
          'refresh_token',
          'urn:ietf:params:oauth:grant-type:token-exchange',
          'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
          'http://auth0.com/oauth/grant-type/mfa-otp',
          'http://auth0.com/oauth/grant-type/mfa-oob',
          'http://auth0.com/oauth/grant-type/mfa-recovery-code',
        ],
        dpop: 'allowed',
        dpopNonce: false,
        refreshTokenRotation: true,
        refreshTokenReuseIntervalSeconds: 0,
      },
    ],
    users: [
      {
        user_id: 'auth0|alice',
        email: 'alice@example.com',
        password: 'wonderland',
        name: 'Alice Liddell',
        nickname: 'alice',
        email_verified: true,
      },
      {
        // Logs in with a password, then must pass a second factor (docs/local-tenant.md, MFA).
        user_id: 'auth0|mfa',
        email: 'mfa@example.com',
        password: 'wonderland',
        name: 'Mia Factor',
        nickname: 'mia',
        email_verified: true,
        mfa: 'required',
      },
    ],
    apis: [
      { identifier: SAMPLE_API_AUDIENCE, scopes: ['read:notes', 'write:notes'] },
      { identifier: STEP_UP_API_AUDIENCE, scopes: ['read:secrets'], mfa: 'required' },
      {
        identifier: MY_ACCOUNT_API_IDENTIFIER,
        scopes: [
          'create:me:connected_accounts',
          'read:me:connected_accounts',
          'delete:me:connected_accounts',
          'read:me:factors',
          'read:me:authentication_methods',
          'create:me:authentication_methods',
          'update:me:authentication_methods',
          'delete:me:authentication_methods',
        ],
      },
    ],
    // One organization so `organization=wonderland` can be tried without writing a config.
    organizations: [{ id: 'org_wonderland', name: 'wonderland' }],
    tokenExchangeProfiles: [
      {
        name: 'legacy',
        subjectTokenType: SAMPLE_SUBJECT_TOKEN_TYPE,
        tokens: { [SAMPLE_SUBJECT_TOKEN]: 'auth0|alice' },
      },
    ],
    // Nobody is connected yet: the My Account API connect flow (or the admin surface) does that.
    connections: [
      {
        name: 'google-oauth2',
        displayName: 'Google',
        scopes: ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/calendar.readonly'],
      },
    ],
  };
}
