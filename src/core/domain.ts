/**
 * Turns the `domain` option into the authorization server's base URL.
 *
 * `domain` is a host (`tenant.eu.auth0.com`, always https) or a full URL. Plain http is accepted
 * only for loopback hosts, so the local tenant works without TLS and nothing else does.
 */
export function resolveDomain(domain: string, optionName = 'domain'): URL {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain);
  let url: URL;
  try {
    url = new URL(hasScheme ? domain : `https://${domain}`);
  } catch {
    throw new TypeError(`"${optionName}" must be a host name or an http(s) URL, got "${domain}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new TypeError(
      `"${optionName}" must use https (http is allowed only for localhost), got "${domain}"`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(`"${optionName}" must not contain credentials, a query or a fragment`);
  }
  // Issuers of Auth0 tenants end with a slash; issuers with a path (some generic OPs) keep it.
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/** True for host names that never leave the machine. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Rejects endpoint URLs an attacker-controlled discovery document could use to downgrade transport. */
export function assertSecureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new TypeError(`${what} must use https (http only for localhost): "${value}"`);
  }
  return url;
}
