import { assertObject, assertOptionalString, assertString } from '../src/core/assert.js';
import { type AuthorizationParams, mergeScopes } from '../src/core/authorization-params.js';
import { NotAllowedError } from '../src/core/errors.js';
import type { PageAuthorizationParams, TokenOptions } from '../src/rpc/protocol.js';
import { type ApiRoute, matchRoute } from './allowlist.js';
import { normalizedOrigin } from './host.js';
import { scopeList } from './scope.js';

// The worker's policy: what a page request may ask for. Every entry point asks here, and nowhere
// else decides it:
//
//   decision                              function                      asked by
//   the audience and scope of …
//     a new session                       newSessionGrant               startLogin, passkeyStart,
//                                                                       exchangeToken
//     a page's token call                 tokenKey, tokenAudience       getTokenSilently,
//                                                                       checkSession,
//                                                                       revokeRefreshToken
//     a page's API request                apiTokenKey                   fetch routing
//     an anonymous session's token        anonymousTokenKey             auth0.anonymous.* (anonymous.ts)
//     the worker's own My Account token   myAccountTokenKey,            startConnect, its callback,
//                                         MY_ACCOUNT_SCOPES             auth0.myAccount.* (my-account.ts)
//   what /authorize may carry             checkPageAuthorizationParams  startLogin, newSessionGrant
//   is a URL our redirect_uri             isRedirectUri, isCallback     redeemCallback, fetch routing
//   which requests get credentials        credentialsFor                fetch routing
//   which endpoints only the worker calls isAuthorizationServer,        fetch routing
//                                         isWorkerOnlyEndpoint
//
// Only decisions: pure functions of the config and the request, no I/O and no state, each with a
// table of cases in test/worker/policy.test.ts. The rules still to come (issue 11) have their
// place here: a fresh key for every new session beside `newSessionGrant` (called by exactly the
// entry points that start one); allow-list paths compared after decoding, refusing `%2F`, `%5C`,
// `;` and dot segments, in `credentialsFor` (through allowlist.ts's `matchRoute`, called from
// nowhere else); the token-endpoint guard by normalised host (trailing dot, alias domains) in
// `isAuthorizationServer` and `endpointKey`; the config's own `response_mode` held to
// `RESPONSE_MODE`, which config.ts can import from here without a cycle (this file imports no
// config: it declares the part it reads, `PolicyConfig`).

/** The part of the worker config the policy decides on; config.ts builds it once, at install. */
export interface PolicyConfig {
  /** The authorization server (`config.domain` resolved). */
  base: URL;
  /** Defaults for `/authorize`; `scope` includes `openid` and `offline_access`. */
  authorizationParams: AuthorizationParams & { redirect_uri: string; scope: string };
  /** `authorizationParams.redirect_uri`, parsed: the navigation the worker intercepts. */
  redirectUri: URL;
  /** The `apis` allow-list. */
  routes: ApiRoute[];
  /** Every scope a login may ask for: the configured ones plus the OIDC standard ones. */
  allowedScopes: ReadonlySet<string>;
  /** Every audience a login or token may be for. */
  allowedAudiences: ReadonlySet<string | undefined>;
  /** Credentials only for requests fetchWithAuth marked. */
  fetchWithAuthOnly: boolean;
  /**
   * The authorization server's origins (`domain` and every alias) with the host normalised (see
   * host.ts): where page requests to the protected endpoints are refused.
   */
  authorizationServerOrigins: ReadonlySet<string>;
}

/** Which token: an audience and a scope. */
export interface TokenKey {
  audience: string | undefined;
  scope: string;
}

/** The only response mode whose callback the worker can intercept (a navigation with a query). */
export const RESPONSE_MODE = 'query';

/** OIDC's standard scopes: a login may ask for them whatever the config names. */
const STANDARD_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'address', 'phone'];

/**
 * What the config permits, computed once at install: the login's audience and every allow-list
 * entry's; the login's scopes, every entry's and OIDC's standard ones.
 */
export function permitted(options: {
  audience: string | undefined;
  scope: string;
  routes: readonly ApiRoute[];
}): Pick<PolicyConfig, 'allowedAudiences' | 'allowedScopes'> {
  const allowedScopes = new Set([...STANDARD_SCOPES, ...scopeList(options.scope)]);
  for (const route of options.routes)
    for (const part of scopeList(route.scope)) allowedScopes.add(part);
  return {
    allowedScopes,
    allowedAudiences: new Set([options.audience, ...options.routes.map((route) => route.audience)]),
  };
}

/** `audience` when the config names it (the login's, or an allow-list entry's). */
function allowedAudience(config: PolicyConfig, audience: unknown): string | undefined {
  if (
    (audience !== undefined && typeof audience !== 'string') ||
    !config.allowedAudiences.has(audience)
  ) {
    throw new NotAllowedError({
      message: `Audience "${String(audience)}" is not in the worker config.`,
    });
  }
  return audience;
}

/** Refuses a scope value with any scope the config does not name. */
function checkScopes(config: PolicyConfig, scope: string): void {
  for (const part of scopeList(scope)) {
    if (!config.allowedScopes.has(part))
      throw new NotAllowedError({ message: `Scope "${part}" is not in the worker config.` });
  }
}

/**
 * Checks `/authorize` parameters from the page against the worker's config: the page may choose
 * among what the config allows (an audience of the allow-list, configured scopes, prompt, hints,
 * organization …) but never a redirect_uri, a response mode the worker cannot intercept, or an
 * audience or scope the config does not name. Returns a copy.
 */
export function checkPageAuthorizationParams(
  config: PolicyConfig,
  params: PageAuthorizationParams | undefined,
): PageAuthorizationParams {
  if (params === undefined) return {};
  assertObject(params, 'authorizationParams');
  const checked: PageAuthorizationParams = { ...params };
  if (params.redirect_uri !== undefined && params.redirect_uri !== config.redirectUri.href) {
    throw new NotAllowedError({
      message: '"authorizationParams.redirect_uri" is fixed by the worker config.',
    });
  }
  if (params.response_mode !== undefined && params.response_mode !== RESPONSE_MODE) {
    throw new NotAllowedError({
      message:
        '"authorizationParams.response_mode" must be "query": the worker intercepts the callback.',
    });
  }
  if (params.audience !== undefined) allowedAudience(config, params.audience);
  if (params.scope !== undefined) {
    if (typeof params.scope !== 'string')
      throw new TypeError('"authorizationParams.scope" must be a string');
    checkScopes(config, params.scope);
  }
  return checked;
}

/**
 * The token a new session (a login, a passkey login, a token exchange) is for: the requested
 * audience or the config's, and the config's scopes plus the requested ones — as auth0-spa-js, a
 * per-call scope adds to the configured one. Only audiences and scopes the config names.
 */
export function newSessionGrant(
  config: PolicyConfig,
  requested: { audience?: string | undefined; scope?: string | undefined },
): TokenKey {
  checkPageAuthorizationParams(config, { audience: requested.audience, scope: requested.scope });
  return {
    audience: requested.audience ?? config.authorizationParams.audience,
    scope: mergeScopes(config.authorizationParams.scope, requested.scope),
  };
}

/** The audience a page's token call is for: the one it names, else the config's; checked. */
export function tokenAudience(config: PolicyConfig, requested: unknown): string | undefined {
  const audience = requested ?? config.authorizationParams.audience;
  assertOptionalString(audience, 'options.audience');
  return allowedAudience(config, audience);
}

/**
 * The token a page's token call (getTokenSilently, checkSession) is for: the audience it names or
 * the config's; the scope it names (taken as it is, not added to), else that audience's
 * allow-list entry's, else the login's. Nothing the config does not name.
 */
export function tokenKey(config: PolicyConfig, options: TokenOptions | undefined): TokenKey {
  if (options !== undefined) assertObject(options, 'options');
  const audience = tokenAudience(config, options?.audience);
  const route = config.routes.find((candidate) => candidate.audience === audience);
  const scope = options?.scope ?? route?.scope ?? config.authorizationParams.scope;
  assertString(scope, 'options.scope');
  checkScopes(config, scope);
  return { audience, scope };
}

/**
 * The token for a request to an allow-listed URL: the entry's, unless fetchWithAuth (its marker
 * header, `marker`) asked for a narrower scope or named the entry's audience. Anything wider is
 * refused. A narrower scope keeps `openid`.
 */
export function apiTokenKey(route: ApiRoute, marker: string | null): TokenKey {
  if (!marker) return { audience: route.audience, scope: route.scope };
  let requested: { audience?: unknown; scope?: unknown };
  try {
    requested = JSON.parse(decodeURIComponent(marker)) as typeof requested;
  } catch {
    throw new NotAllowedError({ message: 'Malformed fetchWithAuth options.' });
  }
  if (requested.audience !== undefined && requested.audience !== route.audience) {
    throw new NotAllowedError({
      message: `Audience "${String(requested.audience)}" is not the one configured for ${route.url}.`,
    });
  }
  if (requested.scope === undefined) return { audience: route.audience, scope: route.scope };
  if (typeof requested.scope !== 'string')
    throw new NotAllowedError({ message: '"scope" must be a string.' });
  const allowed = new Set(scopeList(route.scope));
  for (const scope of scopeList(requested.scope)) {
    if (!allowed.has(scope))
      throw new NotAllowedError({
        message: `Scope "${scope}" is not configured for ${route.url}.`,
      });
  }
  return { audience: route.audience, scope: mergeScopes(requested.scope) };
}

/**
 * The token an anonymous session (`auth0.anonymous.*`) is asked for: an audience the config names
 * (the login's by default) and, when given, only scopes the config names. The anonymous grant
 * needs no refresh token, but what it mints reaches the allow-listed APIs like a session's.
 */
export function anonymousTokenKey(
  config: PolicyConfig,
  options: { audience?: unknown; scope?: unknown } | undefined,
): TokenKey {
  if (options !== undefined) assertObject(options, 'options');
  const audience = tokenAudience(config, options?.audience);
  assertOptionalString(options?.scope, 'options.scope');
  const scope = (options?.scope as string | undefined) ?? '';
  checkScopes(config, scope);
  return { audience, scope };
}

/** The My Account API scope that links an account (Auth0's name). */
const CONNECT_SCOPE = 'create:me:connected_accounts';

/**
 * The worker's own token for the My Account API at `audience` (`<issuer>me/`): it never reaches
 * the page, so this audience need not be on the allow-list (page requests cannot use it).
 */
export function myAccountTokenKey(audience: string, scope: string = CONNECT_SCOPE): TokenKey {
  return { audience, scope };
}

/**
 * The one My Account API scope each `auth0.myAccount.*` call asks its token for (auth0-spa-js
 * asks the same): the least the call needs, whatever the page asked.
 */
export const MY_ACCOUNT_SCOPES = {
  getFactors: 'read:me:factors',
  getAuthenticationMethods: 'read:me:authentication_methods',
  getAuthenticationMethod: 'read:me:authentication_methods',
  updateAuthenticationMethod: 'update:me:authentication_methods',
  deleteAuthenticationMethod: 'delete:me:authentication_methods',
  enrollmentChallenge: 'create:me:authentication_methods',
  enrollmentVerify: 'create:me:authentication_methods',
} as const;

/** Whether `url` is this worker's redirect_uri (origin and path; the query is the response). */
export function isRedirectUri(config: PolicyConfig, url: URL): boolean {
  return url.origin === config.redirectUri.origin && url.pathname === config.redirectUri.pathname;
}

/** Whether a navigation to `url` is an authorization response for the worker to redeem. */
export function isCallback(config: PolicyConfig, url: URL): boolean {
  return isRedirectUri(config, url) && url.searchParams.has('state');
}

/** A page's request as the policy sees it: a FetchEvent's Request, as plain facts. */
export interface PageRequest {
  url: string;
  mode: RequestMode;
  destination: RequestDestination;
  keepalive: boolean;
  /** Marked by fetchWithAuth with a header that markup cannot set. */
  marked: boolean;
  /** Why an unmarked request looks made by markup, not script (ambient.ts); `undefined` if not. */
  ambient?: string | undefined;
}

/**
 * Whether a page's (non-navigation) request gets credentials: `{ route }` — the allow-list entry
 * whose token it gets; `{ refused }` — a marked request that cannot have them, answered with the
 * typed error (fail closed); `undefined` — it goes out as written.
 */
export function credentialsFor(
  config: PolicyConfig,
  request: PageRequest,
): { route: ApiRoute } | { refused: string } | undefined {
  // A beacon (navigator.sendBeacon with a non-safelisted type) reaches the worker as a cors-mode
  // request with destination '', exactly like fetch() — measured in Chromium: without this check
  // it went out with the token. Only its keepalive flag tells it apart, so no keepalive request
  // gets credentials (the worker's own request could not be keepalive anyway).
  const isFetch = request.mode !== 'no-cors' && request.destination === '' && !request.keepalive;
  // With fetchWithAuthOnly (the default), only requests marked by fetchWithAuth (a header markup
  // cannot set) are credentialed: plain fetch() and anything that looks like it go out as
  // written. Without it, requests that markup can cause and that still look like fetch() are
  // refused by what gives them away (see ambient.ts).
  const credentialed =
    isFetch && (request.marked || (!config.fetchWithAuthOnly && request.ambient === undefined));
  const route = credentialed ? matchRoute(config.routes, request.url) : undefined;
  if (route) return { route };
  if (!request.marked) return undefined;
  const url = new URL(request.url);
  return {
    refused: isFetch
      ? `${url.origin}${url.pathname} is not in the worker's "apis" allow-list, or its path is ambiguous (an encoded "/" or "\\", ";" or a dot segment).`
      : request.keepalive
        ? 'keepalive requests (and so navigator.sendBeacon) get no credentials.'
        : 'Only fetch() requests get credentials.',
  };
}

/**
 * Whether a page's request goes to the authorization server, whose endpoints are guarded:
 * `domain` or any `authorizationServerAliases` entry, the host normalised (case, trailing dot,
 * IDN), so another spelling of the same server does not pass.
 */
export function isAuthorizationServer(config: PolicyConfig, url: URL): boolean {
  return config.authorizationServerOrigins.has(normalizedOrigin(url));
}

/** Paths of the endpoints only the worker may call, guarded before discovery answers too. */
const WORKER_ONLY_PATHS = ['/oauth/token', '/oauth/revoke', '/oauth/par'];

/**
 * Whether `url` is an endpoint only the worker may call: token, revocation, PAR — the well-known
 * paths on the authorization server, and `discovered` (the metadata's endpoints, when known).
 */
export function isWorkerOnlyEndpoint(
  config: PolicyConfig,
  url: URL,
  discovered: readonly (string | undefined)[],
): boolean {
  const guarded = new Set(WORKER_ONLY_PATHS.map((path) => endpointKey(new URL(path, config.base))));
  // Every alias serves the same endpoints: compared by path, on any origin of the server (the
  // caller checked the origin with isAuthorizationServer).
  for (const endpoint of discovered) {
    if (!endpoint) continue;
    try {
      guarded.add(endpointKey(new URL(endpoint)));
    } catch {
      // Not a URL: nothing a request could reach.
    }
  }
  return guarded.has(endpointKey(url));
}

/**
 * How endpoint URLs are compared: by path, as a lenient server would route it —
 * percent-decoded, `;params` dropped, repeated slashes merged, dot segments resolved, lower-cased,
 * without trailing slashes — so `/OAuth/Token/`, `/oauth/%74oken` or `/oauth//token` cannot slip
 * past. The decoding was missing at first: the local tenant (Hono) decodes paths before routing,
 * and `/oauth/%74oken` from a page reached its token endpoint.
 */
function endpointKey(url: URL): string {
  let path = url.pathname;
  try {
    const decoded = decodeURIComponent(path)
      .replace(/;[^/\\]*/g, '')
      .replace(/[/\\]+/g, '/');
    path = new URL(decoded, url.origin).pathname;
  } catch {
    // A malformed escape: compared as written (a server cannot route it to an endpoint either).
  }
  return path.toLowerCase().replace(/\/+$/, '');
}
