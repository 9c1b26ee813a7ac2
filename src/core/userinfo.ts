import type { ClientContext } from './context.js';
import { nonceKey, readNonceHeader } from './dpop-nonces.js';
import { NotSupportedError, ResponseError } from './errors.js';
import { errorFromResponse, isOk, parseJsonObject, send } from './http.js';
import { authorizationHeaders, isUseDpopNonceChallenge } from './resource-request.js';

/** OIDC standard claims plus whatever the server adds. */
export interface UserInfo {
  sub: string;
  [claim: string]: unknown;
}

/** Options of {@link getUserInfo}. */
export interface UserInfoOptions {
  accessToken: string;
  /** `DPoP` for DPoP-bound tokens (a proof with `ath` is sent), `Bearer` otherwise. */
  tokenType?: string | undefined;
  /** When given, the response's `sub` must equal it (OIDC Core §5.3.2). */
  expectedSubject?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Calls the userinfo endpoint, retrying once with a fresh proof when it asks for a DPoP nonce. */
export async function getUserInfo(
  context: ClientContext,
  options: UserInfoOptions,
): Promise<UserInfo> {
  const server = await context.metadata();
  if (!server.userinfo_endpoint)
    throw new NotSupportedError('The server has no userinfo endpoint.');
  const url = server.userinfo_endpoint;
  const origin = nonceKey(url);
  const tokenType = options.tokenType ?? (context.dpop ? 'DPoP' : 'Bearer');
  for (let attempt = 0; ; attempt++) {
    const nonce = tokenType.toLowerCase() === 'dpop' ? await context.nonces.get(origin) : undefined;
    const headers = await authorizationHeaders({
      accessToken: options.accessToken,
      tokenType,
      method: 'GET',
      url,
      dpop: context.dpop,
      nonce,
    });
    const response = await send(context.http, url, {
      method: 'GET',
      headers: { accept: 'application/json', ...headers },
      signal: options.signal ?? null,
      what: 'Userinfo',
    });
    const fresh = readNonceHeader(response.headers);
    if (fresh) await context.nonces.set(origin, fresh);
    if (
      attempt === 0 &&
      fresh &&
      fresh !== nonce &&
      isUseDpopNonceChallenge(response.status, response.headers)
    ) {
      continue;
    }
    if (!isOk(response)) throw errorFromResponse(response, 'Userinfo');
    const body = parseJsonObject(response, 'Userinfo');
    if (typeof body.sub !== 'string') throw new ResponseError('Userinfo: "sub" is missing.');
    if (options.expectedSubject !== undefined && body.sub !== options.expectedSubject) {
      throw new ResponseError('Userinfo: "sub" is not the expected subject.');
    }
    return body as UserInfo;
  }
}
