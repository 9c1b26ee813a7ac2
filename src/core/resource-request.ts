import type { DpopKeyPair } from './dpop-key.js';

/** The headers that authorize one request to a resource server. */
export async function authorizationHeaders(options: {
  accessToken: string;
  tokenType: string;
  method: string;
  url: string | URL;
  dpop?: DpopKeyPair | undefined;
  nonce?: string | undefined;
}): Promise<Record<string, string>> {
  if (options.tokenType.toLowerCase() === 'dpop') {
    if (!options.dpop) throw new TypeError('A DPoP-bound access token needs its DPoP key');
    const proof = await options.dpop.createProof({
      method: options.method,
      url: options.url,
      accessToken: options.accessToken,
      nonce: options.nonce,
    });
    return { authorization: `DPoP ${options.accessToken}`, dpop: proof };
  }
  return { authorization: `Bearer ${options.accessToken}` };
}

/**
 * True when a resource server asks for a (new) DPoP nonce (RFC 9449 §9): a 401 carrying a
 * `DPoP-Nonce` header and a `use_dpop_nonce` error in its challenge. This is a detection, not a
 * WWW-Authenticate parser: a false positive costs one retry with a fresh proof, nothing more.
 */
export function isUseDpopNonceChallenge(status: number, headers: Headers): boolean {
  if (status !== 401 || !headers.has('dpop-nonce')) return false;
  const challenge = headers.get('www-authenticate') ?? '';
  return /(^|[\s,])dpop\s/i.test(challenge) && /error\s*=\s*"?use_dpop_nonce"?/i.test(challenge);
}

/** True when a resource server rejects the access token itself (RFC 6750 §3.1 `invalid_token`). */
export function isInvalidTokenChallenge(status: number, headers: Headers): boolean {
  if (status !== 401) return false;
  return /error\s*=\s*"?invalid_token"?/i.test(headers.get('www-authenticate') ?? '');
}
