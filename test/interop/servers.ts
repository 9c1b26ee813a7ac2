// The two authorization servers the interop scenarios run against, behind one handle: the local
// tenant (Auth0's dialect) and oidc-provider (standards only). Each handle knows how to log a
// user in through its own login page and what to ask /authorize for to get an API token.

import { defaultTenantOptions, SAMPLE_API_AUDIENCE, startTenant } from 'auth0-enclave-tenant';
import type { AuthorizationParams } from '../../src/core/index.js';
import { Browser, type Stop } from './browser.js';
import { API_SCOPES, OIDC_ALICE, startOidcProvider } from './provider.js';

export const APP_ORIGIN = 'http://localhost:3000';
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;
export const CLIENT_ID = 'interop-spa';
export const API_IDENTIFIER = SAMPLE_API_AUDIENCE;

export interface InteropUser {
  sub: string;
  email: string;
  password: string;
  name: string;
}

export interface InteropServer {
  name: string;
  /** What the SDK is configured with (`domain`). */
  domain: string;
  /** The issuer identifier, exactly as the server writes it. */
  issuer: string;
  clientId: string;
  redirectUri: string;
  user: InteropUser;
  apiIdentifier: string;
  /**
   * What /authorize needs for an access token that is a JWT for the API. Auth0 names the API with
   * `audience`; oidc-provider, configured with a default resource, needs only the API's scopes.
   */
  apiAuthorizationParams: AuthorizationParams;
  /** What token requests for the API add: `resource` (RFC 8707) where the server needs it. */
  apiTokenParams: { resource?: string };
  /** Whether the server's own resource endpoint (userinfo) requires DPoP nonces too. */
  resourceNonces: boolean;
  /** Logs the user in through the server's login page; returns the callback URL it sent back. */
  login(browser: Browser, authorizationUrl: URL | string): Promise<string>;
  /**
   * Walks an RP-initiated logout URL to the end (confirming where the server asks to); returns
   * where the browser was sent back to.
   */
  logout(browser: Browser, logoutUrl: URL | string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh browser for one test (its cookies are the user's sessions). */
export function newBrowser(): Browser {
  return new Browser(APP_ORIGIN);
}

function expectApp(stop: Stop, step: string): string {
  if (stop.kind !== 'app') {
    throw new Error(
      `${step}: expected a redirect to the app, got HTTP ${stop.status} at ${stop.url}: ${stop.html.slice(0, 400)}`,
    );
  }
  return stop.url;
}

/** Both login pages are an email + password form: fill it in and submit it. */
async function loginThroughForm(
  browser: Browser,
  authorizationUrl: URL | string,
  user: InteropUser,
): Promise<string> {
  let stop = await browser.navigate(authorizationUrl);
  // A server that still has a session answers without a form.
  if (stop.kind === 'app') return stop.url;
  stop = await browser.submit(stop, { email: user.email, password: user.password });
  return expectApp(stop, 'login');
}

/** The local tenant, with a public SPA client that allows DPoP and requires nonces with it. */
export async function localTenant(): Promise<InteropServer> {
  const defaults = defaultTenantOptions({ appOrigin: APP_ORIGIN });
  const started = await startTenant({
    port: 0,
    ...defaults,
    clients: [
      ...defaults.clients,
      {
        clientId: CLIENT_ID,
        name: 'Interop SPA',
        tokenEndpointAuthMethod: 'none',
        redirectUris: [REDIRECT_URI],
        allowedOrigins: [APP_ORIGIN],
        allowedLogoutUrls: [APP_ORIGIN, `${APP_ORIGIN}/`],
        grantTypes: ['authorization_code', 'refresh_token'],
        dpop: 'allowed',
        dpopNonce: true,
        refreshTokenRotation: true,
        refreshTokenReuseIntervalSeconds: 0,
      },
    ],
  });
  const user = {
    sub: 'auth0|alice',
    email: 'alice@example.com',
    password: 'wonderland',
    name: 'Alice Liddell',
  };
  return {
    name: 'local tenant',
    domain: started.url,
    issuer: started.issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    user,
    apiIdentifier: API_IDENTIFIER,
    apiAuthorizationParams: { audience: API_IDENTIFIER, scope: `offline_access ${API_SCOPES}` },
    // Auth0 reuses the granted audience at the token endpoint.
    apiTokenParams: {},
    // The tenant's dpopNonce setting is for its token endpoint only.
    resourceNonces: false,
    login: (browser, url) => loginThroughForm(browser, url, user),
    // /oidc/logout ends the session and redirects at once.
    logout: async (browser, url) => expectApp(await browser.navigate(url), 'logout'),
    close: () => started.close(),
  };
}

/** oidc-provider with the harness configuration (test/interop/provider.ts). */
export async function oidcProvider(): Promise<InteropServer> {
  const started = await startOidcProvider({
    clients: [{ clientId: CLIENT_ID, redirectUris: [REDIRECT_URI] }],
    apiIdentifier: API_IDENTIFIER,
  });
  const user = {
    sub: OIDC_ALICE.sub,
    email: OIDC_ALICE.email,
    password: OIDC_ALICE.password,
    name: String(OIDC_ALICE.claims.name),
  };
  return {
    name: 'oidc-provider',
    domain: started.url,
    issuer: started.issuer,
    clientId: CLIENT_ID,
    redirectUri: REDIRECT_URI,
    user,
    apiIdentifier: API_IDENTIFIER,
    apiAuthorizationParams: {
      scope: `offline_access ${API_SCOPES}`,
      resource: API_IDENTIFIER,
    },
    // useGrantedResource: false (oidc-provider's default): the token requests name the resource.
    apiTokenParams: { resource: API_IDENTIFIER },
    // features.dPoP.requireNonce applies to every endpoint that takes a proof.
    resourceNonces: true,
    login: (browser, url) => loginThroughForm(browser, url, user),
    // oidc-provider asks the user to confirm an RP-initiated logout ("Yes, sign me out").
    logout: async (browser, url) => {
      const stop = await browser.navigate(url);
      if (stop.kind === 'app') return stop.url;
      return expectApp(await browser.submit(stop, {}, { name: 'logout', value: 'yes' }), 'logout');
    },
    close: async () => {
      await started.close();
      // A 500 inside oidc-provider is easy to miss behind the error the SDK reports for it.
      if (started.serverErrors.length > 0) {
        throw new Error('oidc-provider reported server errors', { cause: started.serverErrors });
      }
    },
  };
}
