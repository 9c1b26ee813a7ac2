import type { ClientContext } from './context.js';
import { nonceKey, readNonceHeader } from './dpop-nonces.js';
import { OAuthError, ResponseError, UseDpopNonceError } from './errors.js';
import { errorFromResponse, isOk, parseJsonObject, type ReadResponse, send } from './http.js';
import type { TokenEndpointResponse } from './token-types.js';

export type { TokenEndpointResponse } from './token-types.js';

/** One request to the token endpoint. */
export interface TokenRequest {
  /** Body parameters; `undefined` values are left out. */
  params: Record<string, string | undefined>;
  /** Send a JSON body instead of a form (Auth0's webauthn grant). */
  json?: Record<string, unknown>;
  /** More form parameters, repeatable (token exchange `extra`); sent after `params`. */
  extra?: ReadonlyArray<readonly [string, string]>;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** Names the request in error messages ("Refresh", "Code exchange"). */
  what: string;
  /** Use this URL instead of the token endpoint (revocation shares the mechanics). */
  endpoint?: string;
}

/**
 * POSTs to the token endpoint with client authentication and, when the context has a DPoP key, a
 * fresh proof. A `use_dpop_nonce` answer is retried exactly once, with a new proof carrying the
 * server's nonce — never the same proof again. Every `DPoP-Nonce` the server sends is stored.
 */
export async function postToTokenEndpoint(
  context: ClientContext,
  request: TokenRequest,
): Promise<ReadResponse> {
  const server = await context.metadata();
  const url = request.endpoint ?? server.token_endpoint;
  const origin = nonceKey(url);
  for (let attempt = 0; ; attempt++) {
    const auth = await context.authenticate({ clientId: context.clientId, issuer: server.issuer });
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string;
    if (request.json) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify({ ...request.json, ...definedOnly(request.params), ...auth });
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams({ ...definedOnly(request.params), ...auth });
      for (const [name, value] of request.extra ?? []) form.append(name, value);
      body = form.toString();
    }
    const sentNonce = context.dpop ? await context.nonces.get(origin) : undefined;
    if (context.dpop) {
      headers.dpop = await context.dpop.createProof({ method: 'POST', url, nonce: sentNonce });
    }
    const response = await send(context.http, url, {
      method: 'POST',
      headers,
      body,
      signal: request.signal ?? null,
      what: request.what,
    });
    const nonce = readNonceHeader(response.headers);
    if (nonce) await context.nonces.set(origin, nonce);
    if (isOk(response)) return response;
    const error = errorFromResponse(response, request.what);
    if (context.dpop && error instanceof OAuthError && error.error === 'use_dpop_nonce') {
      if (attempt === 0 && nonce && nonce !== sentNonce) continue;
      throw new UseDpopNonceError({
        message:
          attempt === 0
            ? `${request.what}: the server asks for a DPoP nonce but sent none (no DPoP-Nonce header).`
            : `${request.what}: the server still requires a new DPoP nonce after one retry.`,
      });
    }
    throw error;
  }
}

/** Sends a token request and checks the response's shape. */
export async function requestToken(
  context: ClientContext,
  request: TokenRequest,
): Promise<TokenEndpointResponse> {
  const response = await postToTokenEndpoint(context, request);
  return parseTokenResponse(response, request.what, Boolean(context.dpop));
}

/** Checks a token endpoint response; a malformed one is a {@link ResponseError} and nothing is kept. */
export function parseTokenResponse(
  response: ReadResponse,
  what: string,
  usedDpop: boolean,
): TokenEndpointResponse {
  const body = parseJsonObject(response, what);
  const fail = (reason: string): never => {
    throw new ResponseError({
      message: `${what}: malformed token response (${reason}).`,
      status: response.status,
    });
  };
  if (typeof body.access_token !== 'string' || body.access_token.length === 0)
    fail('"access_token" missing');
  if (typeof body.token_type !== 'string') fail('"token_type" missing');
  const tokenType = (body.token_type as string).toLowerCase();
  if (tokenType !== 'bearer' && tokenType !== 'dpop' && tokenType !== 'n_a')
    fail('unknown "token_type"');
  if (tokenType === 'dpop' && !usedDpop) fail('"token_type" is DPoP, but no DPoP proof was sent');
  if (
    typeof body.expires_in !== 'number' ||
    !Number.isFinite(body.expires_in) ||
    body.expires_in < 0
  ) {
    fail('"expires_in" must be a number of seconds');
  }
  for (const name of ['id_token', 'refresh_token', 'scope', 'issued_token_type', 'recovery_code']) {
    if (body[name] !== undefined && typeof body[name] !== 'string')
      fail(`"${name}" is not a string`);
  }
  const normalized =
    tokenType === 'dpop' ? 'DPoP' : tokenType === 'bearer' ? 'Bearer' : body.token_type;
  return { ...(body as unknown as TokenEndpointResponse), token_type: normalized as string };
}

function definedOnly(params: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) result[key] = value;
  return result;
}

/** RFC 8707 `resource` form parameters (repeatable), for {@link TokenRequest.extra}. */
export function resourceParams(
  resource: string | readonly string[] | undefined,
): [string, string][] {
  return resource === undefined ? [] : [resource].flat().map((value) => ['resource', value]);
}
