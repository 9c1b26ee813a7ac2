import type { ClientContext } from './context.js';
import type { DpopKeyPair } from './dpop-key.js';
import { nonceKey, readNonceHeader } from './dpop-nonces.js';
import { type ReadResponse, send } from './http.js';

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

/** One request to a resource server (userinfo, the My Account API) with an access token. */
export interface ResourceRequest {
  url: string;
  method: string;
  accessToken: string;
  /** `DPoP` for a DPoP-bound token (a proof with `ath` is sent); default: DPoP when the context has a key. */
  tokenType?: string | undefined;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  what: string;
}

/**
 * Sends a request with `Authorization` (and, for a DPoP-bound token, a fresh proof with `ath` and
 * the server's latest nonce), retrying exactly once with a new proof when the server asks for a
 * DPoP nonce (RFC 9449 §9). Every `DPoP-Nonce` is stored per origin. Returns the response
 * whatever its status: callers know their error formats.
 */
export async function sendWithAccessToken(
  context: ClientContext,
  request: ResourceRequest,
): Promise<ReadResponse> {
  const origin = nonceKey(request.url);
  const tokenType = request.tokenType ?? (context.dpop ? 'DPoP' : 'Bearer');
  for (let attempt = 0; ; attempt++) {
    const nonce = tokenType.toLowerCase() === 'dpop' ? await context.nonces.get(origin) : undefined;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(await authorizationHeaders({
        accessToken: request.accessToken,
        tokenType,
        method: request.method,
        url: request.url,
        dpop: context.dpop,
        nonce,
      })),
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await send(context.http, request.url, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: request.signal ?? null,
      what: request.what,
    });
    const fresh = readNonceHeader(response.headers);
    if (fresh) await context.nonces.set(origin, fresh);
    const retry =
      attempt === 0 &&
      fresh &&
      fresh !== nonce &&
      isUseDpopNonceChallenge(response.status, response.headers);
    if (!retry) return response;
  }
}
