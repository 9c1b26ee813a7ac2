import type { ClientConfig } from 'auth0-enclave-tenant';
import type { AuthWorkerConfig } from '../../worker/config.js';

/**
 * The servers the browser tests run against, on fixed ports (a CI machine is bare, and fixed
 * ports keep every origin — and so every service-worker registration — predictable).
 */
export const PORTS = {
  tenant: 4400,
  api: 4401,
  oidcProvider: 4402,
  /** The second sample API: it trusts oidc-provider's tokens. */
  oidcApi: 4403,
  apps: { dpop: 4410, bearer: 4411, oidc: 4412 },
};

export const TENANT_URL = `http://localhost:${PORTS.tenant}`;
export const API_URL = `http://localhost:${PORTS.api}`;
/** The same API server under another origin (127.0.0.1 is not localhost): never on the allow-list. */
export const OTHER_ORIGIN_API_URL = `http://127.0.0.1:${PORTS.api}`;
export const AUDIENCE = 'https://api.example.com/';
/** The tenant's step-up API (`mfa: 'required'`, in the demo defaults). */
export const STEP_UP_AUDIENCE = 'https://stepup.example.com/';
/** oidc-provider (panva's certified OpenID Provider), for the `oidc` variant. */
export const OIDC_PROVIDER_URL = `http://localhost:${PORTS.oidcProvider}`;
export const OIDC_API_URL = `http://localhost:${PORTS.oidcApi}`;
/** The second API's resource indicator: oidc-provider's default resource for API scopes. */
export const OIDC_API_IDENTIFIER = 'https://oidc-api.example.com/';
export const OIDC_CLIENT_ID = 'spa-oidc';
/** The user at oidc-provider (the harness's in-memory account). */
export const OIDC_USER = {
  email: 'alice@example.com',
  password: 'wonderland',
  name: 'Alice Liddell',
  sub: 'alice',
};
export const USER = {
  email: 'alice@example.com',
  password: 'wonderland',
  name: 'Alice Liddell',
  sub: 'auth0|alice',
};

/** One sample-app build per worker configuration: config is baked into the worker script. */
export type Variant = keyof typeof PORTS.apps;

export function appUrl(variant: Variant): string {
  return `http://localhost:${PORTS.apps[variant]}`;
}

/**
 * Apps that specs build with a worker config of their own (e2e/support/custom-app.ts and the
 * packed-tarball test) run on 4420–4469, each spec in its own part of the range; the sample API
 * accepts their origins.
 */
export const CUSTOM_APP_ORIGINS = Array.from(
  { length: 50 },
  (_, i) => `http://localhost:${4420 + i}`,
);

const SCOPE = 'openid profile email read:notes write:notes';

/** Where each variant logs in and which API its page calls (and its CSP allows). */
export function variantServers(variant: Variant): {
  authOrigin: string;
  apiUrl: string;
  apiOrigins: string[];
} {
  if (variant === 'oidc') {
    return { authOrigin: OIDC_PROVIDER_URL, apiUrl: OIDC_API_URL, apiOrigins: [OIDC_API_URL] };
  }
  return { authOrigin: TENANT_URL, apiUrl: API_URL, apiOrigins: [API_URL, OTHER_ORIGIN_API_URL] };
}

/**
 * The worker config of each variant. Every variant opts in to credentialed plain `fetch()`
 * (`fetchWithAuthOnly: false`): the suites test that path too (the allow-list spellings, XHR,
 * logout in other tabs). The default (`true`) is tested by apps of the specs' own
 * (e2e/attacks/06-navigations.spec.ts, 21-markup-injection.spec.ts).
 */
export function workerConfig(variant: Variant): AuthWorkerConfig {
  return { ...variantWorkerConfig(variant), fetchWithAuthOnly: false };
}

function variantWorkerConfig(variant: Variant): AuthWorkerConfig {
  const origin = appUrl(variant);
  if (variant === 'oidc') {
    // A standards-only OP: no `audience`, DPoP on (the default), and the API named by its RFC
    // 8707 resource on /authorize and at the token endpoint: oidc-provider runs with its default
    // useGrantedResource: false, so a token request without it gets no API token.
    return {
      domain: OIDC_PROVIDER_URL,
      clientId: OIDC_CLIENT_ID,
      authorizationParams: {
        redirect_uri: `${origin}/callback`,
        scope: 'openid profile email offline_access read:notes write:notes',
        resource: OIDC_API_IDENTIFIER,
      },
      apis: [{ url: `${OIDC_API_URL}/api`, resource: OIDC_API_IDENTIFIER }],
    };
  }
  const base: AuthWorkerConfig = {
    domain: TENANT_URL,
    clientId: variant === 'dpop' ? 'spa-dpop' : 'spa-bearer',
    authorizationParams: { redirect_uri: `${origin}/callback`, audience: AUDIENCE, scope: SCOPE },
    apis: [{ url: `${API_URL}/api` }],
  };
  if (variant !== 'dpop') return { ...base, useDpop: false };
  // Step-up MFA (e2e/mfa-passkeys.spec.ts): the sample app's screen asks for this audience.
  const stepUp = {
    url: `${API_URL}/stepup`,
    audience: STEP_UP_AUDIENCE,
    scope: 'openid read:secrets offline_access',
  };
  return { ...base, apis: [...(base.apis ?? []), stepUp] };
}

/** The tenant clients: the DPoP one requires proofs and nonces, as in `npm start`. */
export function tenantClients(): ClientConfig[] {
  const client = (variant: Variant, dpop: ClientConfig['dpop']): ClientConfig => ({
    clientId: variant === 'dpop' ? 'spa-dpop' : 'spa-bearer',
    name: `E2E ${variant}`,
    tokenEndpointAuthMethod: 'none',
    redirectUris: [`${appUrl(variant)}/callback`],
    allowedOrigins: [appUrl(variant)],
    allowedLogoutUrls: [appUrl(variant)],
    grantTypes: [
      'authorization_code',
      'refresh_token',
      // loginWithCustomTokenExchange (e2e/spa-parity.spec.ts).
      'urn:ietf:params:oauth:grant-type:token-exchange',
      // auth0.passkey and auth0.mfa (e2e/mfa-passkeys.spec.ts).
      'urn:okta:params:oauth:grant-type:webauthn',
      'http://auth0.com/oauth/grant-type/mfa-otp',
      'http://auth0.com/oauth/grant-type/mfa-oob',
      'http://auth0.com/oauth/grant-type/mfa-recovery-code',
    ],
    dpop,
    dpopNonce: dpop === 'required',
    refreshTokenRotation: true,
    refreshTokenReuseIntervalSeconds: 0,
  });
  return [client('dpop', 'required'), client('bearer', 'off')];
}
