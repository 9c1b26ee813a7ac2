import { InvalidConfigurationError } from '../src/core/errors.js';

/** A parsed allow-list entry. */
export interface ApiRoute {
  /** `scheme://host:port`, as `URL.origin` spells it. */
  origin: string;
  /** Path prefix without a trailing slash; `''` matches every path of the origin. */
  path: string;
  audience: string | undefined;
  scope: string;
  /** RFC 8707 resource indicator for this entry's tokens. */
  resource?: string | undefined;
  /** The entry as configured, for error messages and getConfiguration(). */
  url: string;
}

/** Parses and checks one `apis` entry. */
export function parseApiRoute(
  api: {
    url: string;
    audience?: string | undefined;
    scope?: string | undefined;
    resource?: string | undefined;
  },
  index: number,
  defaults: { audience: string | undefined; scope: string },
): ApiRoute {
  // The entry comes from the worker config as written: checked here, named in the error.
  if (typeof api !== 'object' || api === null) {
    throw new InvalidConfigurationError({
      message: `Auth worker: "apis[${index}]" must be an object.`,
    });
  }
  for (const field of ['audience', 'scope', 'resource'] as const) {
    const value: unknown = api[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new InvalidConfigurationError({
        message: `Auth worker: "apis[${index}].${field}" must be a non-empty string.`,
      });
    }
  }
  let url: URL;
  try {
    if (typeof api.url !== 'string') throw new TypeError('not a string');
    url = new URL(api.url);
  } catch {
    throw new InvalidConfigurationError({
      message: `Auth worker: "apis[${index}].url" is not an absolute URL.`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidConfigurationError({
      message: `Auth worker: "apis[${index}].url" must be http(s).`,
    });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new InvalidConfigurationError({
      message: `Auth worker: "apis[${index}].url" must not contain credentials, a query or a fragment.`,
    });
  }
  return {
    origin: url.origin,
    path: url.pathname.replace(/\/+$/, ''),
    audience: api.audience ?? defaults.audience,
    scope: api.scope ?? defaults.scope,
    ...(api.resource === undefined ? {} : { resource: api.resource }),
    url: api.url,
  };
}

/**
 * The entry a request URL falls under, or `undefined`. Matching is on the parsed URL: the exact
 * origin (scheme, host and port — `URL` has already lower-cased the host and dropped a default
 * port), then the path prefix on a `/` segment boundary, so `/api` covers `/api` and `/api/x`
 * but never `/apix` or `/api.evil`. The most specific entry wins.
 *
 * The browser has resolved literal and `%2e` dot segments by the time a request reaches the
 * worker, but the API behind it may decode once more: `/api/..%2Fadmin` is `/admin` to a server
 * that decodes before routing, `/api/..;/admin` to one that drops `;params` (Tomcat), and
 * `%5C` or `\` is a separator to others. A path that is ambiguous this way gets no credentials
 * at all (see {@link isAmbiguousPath}), whatever its prefix.
 */
export function matchRoute(routes: readonly ApiRoute[], requestUrl: string): ApiRoute | undefined {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  // `blob:https://host/…` has that host's origin; only http(s) requests ever get credentials.
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  if (isAmbiguousPath(url.pathname)) return undefined;
  let best: ApiRoute | undefined;
  for (const route of routes) {
    if (route.origin !== url.origin) continue;
    const path = url.pathname;
    if (route.path !== '' && path !== route.path && !path.startsWith(`${route.path}/`)) continue;
    if (!best || route.path.length > best.path.length) best = route;
  }
  return best;
}

/**
 * True when servers could disagree about which path `pathname` (as `URL` spelled it) names: a
 * segment that, decoded (repeatedly, as far as it decodes), contains `/`, `\\` or `;`, is a dot
 * segment, or has a control character; or an escape that does not decode.
 */
export function isAmbiguousPath(pathname: string): boolean {
  for (const segment of pathname.split('/')) {
    let decoded = segment;
    // Double encoding (`%252F`) meets servers that decode twice; a few rounds settle any input.
    for (let round = 0; round < 4 && decoded.includes('%'); round++) {
      let next: string;
      try {
        next = decodeURIComponent(decoded);
      } catch {
        return true;
      }
      if (next === decoded) break;
      decoded = next;
    }
    if (/[/\\;]/.test(decoded) || decoded === '.' || decoded === '..') return true;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point.
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return true;
  }
  return false;
}
