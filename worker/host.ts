// Host names as a server resolves them, for comparing origins: the token-endpoint guard must
// not be passed by another spelling of the authorization server's host.

/**
 * A host as a server resolves it: lower-case and punycode (the `URL` parser does both), without
 * the trailing dot of a fully-qualified name — `Login.Example.COM.` is `login.example.com`.
 */
export function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

/** `scheme://host:port` of `url`, with the host normalised by {@link normalizeHost}. */
export function normalizedOrigin(url: URL): string {
  return `${url.protocol}//${normalizeHost(url.hostname)}${url.port ? `:${url.port}` : ''}`;
}
