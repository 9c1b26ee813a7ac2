import type { ClientConfig } from '../../src/tenant/index.js';
import type { AuthWorkerConfig } from '../../src/worker/config.js';

/**
 * The servers the browser tests run against, on fixed ports (a CI machine is bare, and fixed
 * ports keep every origin — and so every service-worker registration — predictable).
 */
export const PORTS = {
  tenant: 4400,
  api: 4401,
  oidcProvider: 4402,
  apps: { dpop: 4410, bearer: 4411 },
};

export const TENANT_URL = `http://localhost:${PORTS.tenant}`;
export const API_URL = `http://localhost:${PORTS.api}`;
/** The same API server under another origin (127.0.0.1 is not localhost): never on the allow-list. */
export const OTHER_ORIGIN_API_URL = `http://127.0.0.1:${PORTS.api}`;
export const AUDIENCE = 'https://api.example.com/';
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

const SCOPE = 'openid profile email read:notes write:notes';

/** The worker config of each variant. */
export function workerConfig(variant: Variant): AuthWorkerConfig {
  const origin = appUrl(variant);
  const base: AuthWorkerConfig = {
    domain: TENANT_URL,
    clientId: variant === 'dpop' ? 'spa-dpop' : 'spa-bearer',
    authorizationParams: { redirect_uri: `${origin}/callback`, audience: AUDIENCE, scope: SCOPE },
    apis: [{ url: `${API_URL}/api` }],
  };
  return variant === 'dpop' ? base : { ...base, useDpop: false };
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
    grantTypes: ['authorization_code', 'refresh_token'],
    dpop,
    dpopNonce: dpop === 'required',
    refreshTokenRotation: true,
    refreshTokenReuseIntervalSeconds: 0,
  });
  return [client('dpop', 'required'), client('bearer', 'off')];
}
