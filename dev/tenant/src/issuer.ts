const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for the hosts on which plain http is acceptable (browsers treat them as secure). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * Checks a configured issuer and returns it in canonical form (`https://host/`). Like Auth0, an
 * issuer is an origin plus `/`: every endpoint hangs off the root, so a path is refused.
 */
export function parseIssuer(value: string, path = 'options.issuer'): string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new TypeError(`"${path}" must be an absolute URL such as "https://tenant.example/"`);
  }
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`"${path}" must be an http(s) URL`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `"${path}" may use http only for localhost, 127.0.0.1 or [::1]; use https for "${url.host}"`,
    );
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new TypeError(`"${path}" must be an origin followed by "/", e.g. "${url.origin}/"`);
  }
  return `${url.origin}/`;
}

/**
 * How a server bound to `hostname` is addressed in a URL from the same machine: IPv6 literals
 * get brackets, and wildcard binds (0.0.0.0, ::) are reached as localhost.
 */
export function urlHostFor(hostname: string): string {
  if (hostname === '0.0.0.0' || hostname === '::' || hostname === '') return 'localhost';
  return hostname.includes(':') ? `[${hostname}]` : hostname;
}

/**
 * The issuer a tenant gets when none is configured: `https://<host>:<port>/` when it serves TLS,
 * else loopback http on the port it listens on.
 */
export function issuerForListen(hostname: string, port: number, secure = false): string {
  const host = urlHostFor(hostname);
  if (secure) return `https://${host}:${port}/`;
  if (!isLoopbackHost(host)) {
    throw new TypeError(
      `listening on "${hostname}" needs https (the "https" listen option) or an https "options.issuer": http issuers are allowed only for loopback hosts`,
    );
  }
  return `http://${host}:${port}/`;
}
