/**
 * The directives of a `Content-Security-Policy` header value, each with its source list
 * (lower-cased names; sources as written). A test reads what a server sends, so a plain split
 * on `;` and whitespace is the header's grammar (CSP3 §2.2.1), not a guess.
 */
export function cspDirectives(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    // The first of a repeated directive wins (CSP3 §2.2.1 step 2.5).
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}
