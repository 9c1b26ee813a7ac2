/** One `WWW-Authenticate` challenge (RFC 9110 §11.6.1), e.g. `DPoP error="invalid_token"`. */
export function challenge(
  scheme: 'Bearer' | 'DPoP',
  params: Record<string, string | undefined>,
): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    // Quoted-string: backslash-escape quotes and backslashes; drop control characters.
    .map(([name, value]) => `${name}="${value.replace(/[\\"]/g, '\\$&').replace(/\p{Cc}/gu, '')}"`);
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}
