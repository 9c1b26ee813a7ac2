import type { AuthorizationParams } from '../authorization-params.js';
import type { ClientContext } from '../context.js';
import { OAuthError, ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { postToTokenEndpoint, requestToken } from '../token-request.js';
import {
  type AuthorizationDetails,
  type TokenResponse,
  toTokenResponse,
} from '../token-response.js';

/** The CIBA grant type (OpenID Connect CIBA Core §10.1). */
export const CIBA_GRANT_TYPE = 'urn:openid:params:grant-type:ciba';

/** Options of {@link initiateBackchannelAuthentication}, as auth-js 1.16's. */
export interface BackchannelAuthenticationOptions {
  /** Shown on both devices, so the user can tell this request from another. */
  bindingMessage: string;
  /** Whom to ask: the `sub` of the user (sent as an `iss_sub` login hint). */
  loginHint: { sub: string };
  /** Seconds the request may wait for the user; the server's default otherwise. */
  requestedExpiry?: number;
  /** RFC 9396 rich authorization request. */
  authorizationDetails?: AuthorizationDetails[];
  /** More parameters (`scope`, `audience`, …) for the request. */
  authorizationParams?: AuthorizationParams;
}

/** What the server answered to a backchannel authentication request. */
export interface BackchannelAuthenticationResponse {
  /** The authentication request ID (`auth_req_id`) to poll the token endpoint with. */
  authReqId: string;
  /** Seconds until the request expires if the user does not answer. */
  expiresIn: number;
  /** Minimum seconds between polls, when the server set one (else 5). */
  interval: number | undefined;
}

/**
 * Starts a Client-Initiated Backchannel Authentication (POST to the discovered
 * `backchannel_authentication_endpoint`, Auth0's `/bc-authorize` when none is advertised),
 * with client authentication.
 */
export async function initiateBackchannelAuthentication(
  context: ClientContext,
  options: {
    bindingMessage: string;
    sub: string;
    requestedExpiry?: number | undefined;
    authorizationDetails?: AuthorizationDetails[] | undefined;
    params: Record<string, string | undefined>;
  },
): Promise<BackchannelAuthenticationResponse> {
  const server = await context.metadata();
  const endpoint =
    typeof server.backchannel_authentication_endpoint === 'string'
      ? server.backchannel_authentication_endpoint
      : new URL('bc-authorize', context.base).href;
  const response = await postToTokenEndpoint(context, {
    endpoint,
    params: {
      ...options.params,
      binding_message: options.bindingMessage,
      login_hint: JSON.stringify({ format: 'iss_sub', iss: server.issuer, sub: options.sub }),
      requested_expiry:
        options.requestedExpiry === undefined ? undefined : String(options.requestedExpiry),
      authorization_details:
        options.authorizationDetails === undefined
          ? undefined
          : JSON.stringify(options.authorizationDetails),
    },
    what: 'Backchannel authentication',
  });
  const body = parseJsonObject(response, 'Backchannel authentication');
  const malformed = (reason: string): never => {
    throw new ResponseError({
      message: `Backchannel authentication: malformed response (${reason}).`,
      status: response.status,
    });
  };
  if (typeof body.auth_req_id !== 'string' || body.auth_req_id === '')
    malformed('"auth_req_id" missing');
  if (typeof body.expires_in !== 'number' || !(body.expires_in > 0))
    malformed('"expires_in" must be a positive number');
  if (body.interval !== undefined && (typeof body.interval !== 'number' || body.interval < 0))
    malformed('"interval" must be a number');
  return {
    authReqId: body.auth_req_id as string,
    expiresIn: body.expires_in as number,
    interval: body.interval as number | undefined,
  };
}

/** One CIBA token request; `authorization_pending` and `slow_down` surface as OAuthErrors. */
export async function backchannelAuthenticationGrant(
  context: ClientContext,
  authReqId: string,
): Promise<TokenResponse> {
  const raw = await requestToken(context, {
    params: { grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId },
    what: 'Backchannel authentication grant',
  });
  return toTokenResponse(context, raw);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls the CIBA grant until the user decides (CIBA Core §7.3): waits `interval` seconds (5 when
 * the server gave none) between requests, 5 s more after each `slow_down`, and stops with the
 * server's error on anything else (`access_denied`, `expired_token`) or once `expiresIn` passed.
 */
export async function pollBackchannelAuthentication(
  context: ClientContext,
  started: BackchannelAuthenticationResponse,
  now: () => number = () => Date.now(),
): Promise<TokenResponse> {
  let interval = started.interval ?? 5;
  const deadline = now() + started.expiresIn * 1000;
  for (;;) {
    await sleep(interval * 1000, context.http.signal);
    try {
      return await backchannelAuthenticationGrant(context, started.authReqId);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.error === 'slow_down') interval += 5;
      else if (error.error !== 'authorization_pending') throw error;
      if (now() + interval * 1000 > deadline) throw error;
    }
  }
}
