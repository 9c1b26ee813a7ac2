// The one rule for reading a `scope` value in the worker (RFC 6749 §3.3: space-delimited). It is
// lenient the way core's `mergeScopes` is, which builds the scope strings the worker sends: any
// run of whitespace separates, empty entries and repeats are dropped. Before this file the worker
// split scopes three ways (`/\s+/` with and without empties, and `' '`), so the same config could
// allow a scope in one entry point and not in another.

/** The scopes of a scope value, in first-seen order, without empties or repeats. */
export function scopeList(scope: string): string[] {
  return [...new Set(scope.split(/\s+/).filter(Boolean))];
}

/**
 * A scope value in one spelling for comparing and keying (`'email  openid'` and `'openid email'`
 * are the same token request): its scopes sorted, one space apart.
 */
export function scopeKey(scope: string): string {
  return scopeList(scope).sort().join(' ');
}
