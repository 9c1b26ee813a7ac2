import {
  assertNonNegativeNumber,
  assertObject,
  assertOptionalString,
  assertString,
} from '../src/core/assert.js';
import {
  type AuthorizationParams,
  DEFAULT_SCOPE,
  mergeScopes,
} from '../src/core/authorization-params.js';
import { resolveDomain } from '../src/core/domain.js';
import { InvalidConfigurationError } from '../src/core/errors.js';
import { parseApiRoute } from './allowlist.js';
import { normalizedOrigin } from './host.js';
import { type PolicyConfig, permitted } from './policy.js';

export { normalizedOrigin, normalizeHost } from './host.js';

/**
 * The worker's configuration. It is part of the worker script — never read from the script URL's
 * query string, never changed by a message — so a script injected into the page cannot widen
 * what the worker will do for it.
 */
export interface AuthWorkerConfig {
  /** `tenant.eu.auth0.com`, a custom domain, or `http://localhost:PORT` for the local tenant. */
  domain: string;
  /** The client id of the SPA application at the authorization server. */
  clientId: string;
  /** Defaults for `/authorize`. `redirect_uri` is required: the worker intercepts that navigation. */
  authorizationParams: AuthorizationParams & { redirect_uri: string };
  /**
   * The allow-list: requests whose URL matches an entry (same scheme, host and port; path prefix on
   * a `/` boundary) get the access token for that entry's audience and scope. Nothing else does.
   */
  apis?: ApiConfig[];
  /** Bind tokens to a non-extractable key (RFC 9449). Default `true`. */
  useDpop?: boolean;
  /**
   * Where refresh tokens live. `auto` (default): in IndexedDB when DPoP-bound (useless without the
   * key), in memory otherwise. `memory`: never persisted. `indexeddb`: persisted even when they are
   * bearer tokens — weaker: script in the page can read and replay them.
   */
  refreshTokenStorage?: 'auto' | 'memory' | 'indexeddb';
  /**
   * Custody mode. `indexeddb` (default): the DPoP key and DPoP-bound refresh tokens are stored,
   * so the session survives worker stops and browser restarts — and page script can load the key
   * and sign proofs with it while it runs (SECURITY.md gives the bounds). `memory`: the key and
   * refresh tokens never touch storage; open tabs keep the worker alive, and after a stop the
   * session resumes by a silent login (the page client's `useRefreshTokensFallback`) or ends with
   * `login_required`.
   */
  persistence?: 'indexeddb' | 'memory';
  /** Let `getTokenSilently` hand access tokens to page script. Default `false`. */
  exposeAccessTokens?: boolean;
  /** Let page script set DPoP nonces and have proofs signed. Default `false`. */
  exposeDpopProofs?: boolean;
  /**
   * Give credentials only to `fetchWithAuth()` requests. Default `true`: secure by default.
   *
   * A service worker cannot tell a `fetch()` from every request that merely looks like one: a
   * `<link rel=preload as=fetch crossorigin>` injected as markup, without any script, reaches it
   * exactly as a `fetch()` does (measured in Chromium). `fetchWithAuth()` marks its requests with
   * a header that markup cannot set, and with this default only marked requests get credentials.
   * This is what auth0-spa-js does too (it never credentials a plain `fetch()`), so an app
   * migrating from it loses nothing. What `true` costs: a third-party library that calls
   * `fetch()`/XHR itself sends its requests without credentials — hand it `auth0.fetchWithAuth`
   * (most HTTP clients take a `fetch` option) instead.
   *
   * `false` also credentials plain `fetch()`/XHR to allow-listed URLs, and with it any
   * cors-mode preload that injected markup can cause (a GET whose answer nobody can read: keep
   * GET free of side effects). Prefetch/prerender (`Sec-Purpose`), `EventSource`, beacons,
   * navigations and `no-cors` requests never get credentials in either setting.
   */
  fetchWithAuthOnly?: boolean;
  /**
   * Other host names of the authorization server (a custom domain and the tenant's canonical
   * domain both serve the same token endpoint): page requests to their token, revocation and PAR
   * endpoints are refused like those to `domain`. Host names or http(s) URLs, as `domain`.
   */
  authorizationServerAliases?: string[];
  /**
   * Where `logout()` returns to by default; defaults to the worker's origin as a normalised URL
   * (`https://app.example/`, with its `/`): register exactly that spelling at servers that match
   * `post_logout_redirect_uri` exactly.
   */
  logoutParams?: { returnTo?: string };
  /** Send the `Auth0-Client` telemetry header to the authorization server. Default `true`. */
  telemetry?: boolean;
  /** Per-request time limit towards the authorization server, ms. Default 10 000. */
  httpTimeoutMs?: number;
  /** Clock tolerance for token checks, seconds. Default 60. */
  leeway?: number;
}

/** One allow-list entry. */
export interface ApiConfig {
  /** `https://api.example.com/v1`: origin plus path prefix. */
  url: string;
  /** The audience of the token to attach; defaults to `authorizationParams.audience`. */
  audience?: string;
  /** The scope of the token to attach; defaults to `authorizationParams.scope`. */
  scope?: string;
  /**
   * RFC 8707 resource indicator of this API, sent on /authorize and at the token endpoint (code
   * and refresh) for its audience: providers that do not reuse the granted resource (oidc-provider's
   * default) issue an API token only then. `authorizationParams.resource` is the login's own.
   */
  resource?: string;
}

/**
 * The validated, normalised configuration the worker runs on: what the policy decides on
 * ({@link PolicyConfig}: audiences, scopes, redirect_uri, the allow-list) and the rest.
 */
export interface ResolvedConfig extends PolicyConfig {
  domain: string;
  clientId: string;
  useDpop: boolean;
  refreshTokenStorage: 'auto' | 'memory' | 'indexeddb';
  persistence: 'indexeddb' | 'memory';
  exposeAccessTokens: boolean;
  exposeDpopProofs: boolean;
  returnTo: string;
  telemetry: boolean;
  /** The RFC 8707 resource of an audience's tokens, when the config names one. */
  resourceFor(audience: string | undefined): string | undefined;
  httpTimeoutMs: number;
  leeway: number;
  original: AuthWorkerConfig;
}

/** Validates the config once, at install time; a broken config stops the worker from starting. */
export function resolveConfig(config: AuthWorkerConfig, origin: string): ResolvedConfig {
  let base: URL;
  let redirectUri: URL;
  let authorizationServerOrigins: Set<string>;
  try {
    assertObject(config, 'config');
    assertString(config.domain, 'config.domain');
    assertString(config.clientId, 'config.clientId');
    assertObject(config.authorizationParams, 'config.authorizationParams');
    assertString(
      config.authorizationParams.redirect_uri,
      'config.authorizationParams.redirect_uri',
    );
    assertOptionalString(
      config.authorizationParams.audience,
      'config.authorizationParams.audience',
    );
    assertOptionalString(config.authorizationParams.scope, 'config.authorizationParams.scope');
    // The worker intercepts the callback navigation; any other response mode hands the code to
    // page script (web_message, fragment) or to a form post the worker does not redeem.
    if (
      config.authorizationParams.response_mode !== undefined &&
      config.authorizationParams.response_mode !== 'query'
    ) {
      throw new TypeError(
        '"config.authorizationParams.response_mode" must be "query": the worker intercepts the callback',
      );
    }
    if (config.apis !== undefined && !Array.isArray(config.apis))
      throw new TypeError('"config.apis" must be an array');
    for (const name of [
      'useDpop',
      'exposeAccessTokens',
      'exposeDpopProofs',
      'fetchWithAuthOnly',
      'telemetry',
    ] as const) {
      if (config[name] !== undefined && typeof config[name] !== 'boolean') {
        throw new TypeError(`"config.${name}" must be a boolean`);
      }
    }
    if (
      config.refreshTokenStorage !== undefined &&
      !['auto', 'memory', 'indexeddb'].includes(config.refreshTokenStorage)
    ) {
      throw new TypeError('"config.refreshTokenStorage" must be "auto", "memory" or "indexeddb"');
    }
    if (config.persistence !== undefined && !['indexeddb', 'memory'].includes(config.persistence))
      throw new TypeError('"config.persistence" must be "indexeddb" or "memory"');
    if (config.persistence === 'memory' && config.refreshTokenStorage === 'indexeddb') {
      throw new TypeError(
        '"config.refreshTokenStorage: \'indexeddb\'" contradicts "config.persistence: \'memory\'"',
      );
    }
    if (config.httpTimeoutMs !== undefined)
      assertNonNegativeNumber(config.httpTimeoutMs, 'config.httpTimeoutMs');
    if (config.leeway !== undefined) assertNonNegativeNumber(config.leeway, 'config.leeway');
    if (
      config.authorizationServerAliases !== undefined &&
      !Array.isArray(config.authorizationServerAliases)
    )
      throw new TypeError('"config.authorizationServerAliases" must be an array');
    if (config.logoutParams !== undefined) {
      assertObject(config.logoutParams, 'config.logoutParams');
      assertOptionalString(config.logoutParams.returnTo, 'config.logoutParams.returnTo');
    }
    base = resolveDomain(config.domain, 'config.domain');
    authorizationServerOrigins = new Set([normalizedOrigin(base)]);
    for (const [index, alias] of (config.authorizationServerAliases ?? []).entries()) {
      assertString(alias, `config.authorizationServerAliases[${index}]`);
      authorizationServerOrigins.add(
        normalizedOrigin(resolveDomain(alias, `config.authorizationServerAliases[${index}]`)),
      );
    }
    try {
      redirectUri = new URL(config.authorizationParams.redirect_uri);
    } catch {
      throw new TypeError('"config.authorizationParams.redirect_uri" must be an absolute URL');
    }
  } catch (cause) {
    throw new InvalidConfigurationError({
      message: `Auth worker: ${(cause as Error).message}.`,
      cause,
    });
  }
  if (redirectUri.origin !== origin) {
    throw new InvalidConfigurationError({
      message: `Auth worker: "authorizationParams.redirect_uri" must be on the worker's origin (${origin}) so the worker can intercept it.`,
    });
  }
  const scope = mergeScopes(config.authorizationParams.scope ?? DEFAULT_SCOPE, 'offline_access');
  const audience = config.authorizationParams.audience;
  const routes = (config.apis ?? []).map((api, index) =>
    parseApiRoute(api, index, { audience, scope }),
  );
  return {
    domain: config.domain,
    base,
    clientId: config.clientId,
    authorizationParams: { ...config.authorizationParams, scope },
    redirectUri,
    routes,
    ...permitted({ audience, scope, routes }),
    useDpop: config.useDpop ?? true,
    refreshTokenStorage: config.refreshTokenStorage ?? 'auto',
    persistence: config.persistence ?? 'indexeddb',
    exposeAccessTokens: config.exposeAccessTokens ?? false,
    exposeDpopProofs: config.exposeDpopProofs ?? false,
    fetchWithAuthOnly: config.fetchWithAuthOnly ?? true,
    authorizationServerOrigins,
    returnTo: config.logoutParams?.returnTo ?? `${origin}/`,
    telemetry: config.telemetry ?? true,
    // The login's audience: its own resource; another: its (first) apis entry's.
    resourceFor: (wanted) =>
      wanted === audience && typeof config.authorizationParams.resource === 'string'
        ? config.authorizationParams.resource
        : routes.find((route) => route.audience === wanted)?.resource,
    httpTimeoutMs: config.httpTimeoutMs ?? 10_000,
    leeway: config.leeway ?? 60,
    original: config,
  };
}
