import { assertObject, assertString } from './assert.js';
import { resolveDomain } from './domain.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type FetchLike, send } from './http.js';
import { type TelemetryConfig, telemetryHeaders } from './telemetry.js';

/** Options of {@link isFederatedDomain}. */
export interface IsFederatedDomainOptions {
  /** A fetch of your own: mTLS agents, proxies, tests. */
  customFetch?: FetchLike;
  /**
   * The `Auth0-Client` telemetry header: `{ enabled: false }` turns it off, `{ name, version }`
   * names your SDK.
   */
  telemetry?: TelemetryConfig;
}

const cache = new Map<string, { value: boolean; until: number }>();
const CACHE_LIMIT = 1000;

/**
 * Whether an email domain is routed to an enterprise (federated) connection of the tenant, via
 * Auth0's WebFinger lookup (`/.well-known/webfinger?resource=urn:auth0:discovery:domain:…`).
 * As auth-js: `true` on a 2xx, `false` on a 404 or any failure; answers are cached (60 s, a
 * `false` 15 s).
 */
export async function isFederatedDomain(
  auth0Domain: string,
  emailDomain: string,
  options: IsFederatedDomainOptions = {},
): Promise<boolean> {
  assertString(auth0Domain, 'auth0Domain');
  assertString(emailDomain, 'emailDomain');
  assertObject(options, 'options');
  for (const key of Object.keys(options)) {
    if (key !== 'customFetch' && key !== 'telemetry') {
      throw new TypeError(`"options.${key}" is not a supported option`);
    }
  }
  const base = resolveDomain(auth0Domain, 'auth0Domain');
  const domain = emailDomain.toLowerCase();
  const key = `${base.href}|${domain}`;
  const cached = cache.get(key);
  if (cached && cached.until > Date.now()) return cached.value;
  const url = new URL('.well-known/webfinger', base);
  url.searchParams.set('resource', `urn:auth0:discovery:domain:${domain}`);
  url.searchParams.set('rel', 'http://openid.net/specs/connect/1.0/issuer');
  const customFetch = options.customFetch;
  try {
    const response = await send(
      {
        fetch: customFetch
          ? (input, init) => customFetch(input, init)
          : (input, init) => fetch(input, init),
        timeoutMs: DEFAULT_TIMEOUT_MS,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        headers: telemetryHeaders(options.telemetry),
      },
      url.href,
      {
        method: 'GET',
        headers: { accept: 'application/jrd+json, application/json' },
        what: 'WebFinger',
      },
    );
    const ok = response.status >= 200 && response.status < 300;
    if (ok || response.status === 404) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(key, { value: ok, until: Date.now() + (ok ? 60_000 : 15_000) });
    }
    return ok;
  } catch {
    return false;
  }
}
