import type { ClientContext } from './context.js';
import { NotSupportedError, ResponseError } from './errors.js';
import { errorFromResponse, isOk, parseJsonObject } from './http.js';
import { sendWithAccessToken } from './resource-request.js';

/** OIDC standard claims plus whatever the server adds. */
export interface UserInfo {
  /** The user's subject identifier at the server, e.g. `auth0|abc123`. */
  sub: string;
  [claim: string]: unknown;
}

/** Options of {@link getUserInfo}. */
export interface UserInfoOptions {
  /** The access token to call the userinfo endpoint with. */
  accessToken: string;
  /** `DPoP` for DPoP-bound tokens (a proof with `ath` is sent), `Bearer` otherwise. */
  tokenType?: string | undefined;
  /** When given, the response's `sub` must equal it (OIDC Core §5.3.2). */
  expectedSubject?: string | undefined;
  /** Aborts the userinfo request. */
  signal?: AbortSignal | undefined;
}

/** Calls the userinfo endpoint, retrying once with a fresh proof when it asks for a DPoP nonce. */
export async function getUserInfo(
  context: ClientContext,
  options: UserInfoOptions,
): Promise<UserInfo> {
  const server = await context.metadata();
  if (!server.userinfo_endpoint)
    throw new NotSupportedError({ message: 'The server has no userinfo endpoint.' });
  const response = await sendWithAccessToken(context, {
    url: server.userinfo_endpoint,
    method: 'GET',
    accessToken: options.accessToken,
    tokenType: options.tokenType,
    signal: options.signal,
    what: 'Userinfo',
  });
  if (!isOk(response)) throw errorFromResponse(response, 'Userinfo');
  const body = parseJsonObject(response, 'Userinfo');
  if (typeof body.sub !== 'string')
    throw new ResponseError({ message: 'Userinfo: "sub" is missing.' });
  if (options.expectedSubject !== undefined && body.sub !== options.expectedSubject) {
    throw new ResponseError({ message: 'Userinfo: "sub" is not the expected subject.' });
  }
  return body as UserInfo;
}
