import type {
  ApiConfig,
  ClientConfig,
  OrganizationConfig,
  TenantOptions,
  UserConfig,
} from './config.js';

/** Where the demo app runs; the default clients are registered for it. */
export interface DefaultTenantOptionsInput {
  /** Default: `http://localhost:3000`. */
  appOrigin?: string;
}

/** The demo setup's lists, always present (unlike the optional fields of TenantOptions). */
export interface DefaultTenantOptions extends TenantOptions {
  clients: ClientConfig[];
  users: UserConfig[];
  apis: ApiConfig[];
  organizations: OrganizationConfig[];
}

/** The sample API's audience in the demo setup. */
export const SAMPLE_API_AUDIENCE = 'https://api.example.com/';

/**
 * The demo setup that `createTenant()` and `npm start` use: a public SPA client that must use
 * DPoP with nonces, a confidential server client, one user and one API.
 *
 * @example
 * ```ts
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
        grantTypes: ['authorization_code', 'refresh_token'],
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
    ],
    apis: [{ identifier: SAMPLE_API_AUDIENCE, scopes: ['read:notes', 'write:notes'] }],
    // One organization so `organization=wonderland` can be tried without writing a config.
    organizations: [{ id: 'org_wonderland', name: 'wonderland' }],
  };
}
