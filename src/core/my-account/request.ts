import type { ClientContext } from '../context.js';
import { ConnectError, type ConnectValidationError } from '../errors.js';
import { errorFromResponse, isOk, parseJsonObject, type ReadResponse } from '../http.js';
import { sendWithAccessToken } from '../resource-request.js';

/** The token a My Account API call is made with. */
export interface MyAccountToken {
  /** An access token for the My Account API (audience `<issuer>me/`). */
  accessToken: string;
  /** `DPoP` for a DPoP-bound token (a proof with `ath` is sent); default: DPoP when the context has a key. */
  tokenType?: string | undefined;
  /** Aborts the My Account API request. */
  signal?: AbortSignal | undefined;
}

/**
 * The My Account API's base URL: `<issuer>me/` (Auth0's `https://{domain}/me/`), also its audience.
 *
 * @example
 * ```ts
 * import { myAccountApiBase } from 'auth0-enclave/core';
 *
 * const audience = await myAccountApiBase(context); // 'https://example.eu.auth0.com/me/'
 * ```
 */
export async function myAccountApiBase(context: ClientContext): Promise<string> {
  return new URL('me/', (await context.metadata()).issuer).href;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A problem-details answer (RFC 9457) as a {@link ConnectError}; anything else as usual. */
function errorOf(response: ReadResponse, what: string): Error {
  let body: Record<string, unknown> | undefined;
  try {
    body = parseJsonObject(response, what);
  } catch {
    body = undefined;
  }
  const isProblem =
    body !== undefined &&
    typeof body.error !== 'string' &&
    (typeof body.title === 'string' ||
      typeof body.detail === 'string' ||
      typeof body.type === 'string');
  if (!body || !isProblem) return errorFromResponse(response, what);
  const title = optionalString(body.title);
  const detail = optionalString(body.detail);
  const errors = Array.isArray(body.validation_errors)
    ? (body.validation_errors.filter(
        (item) => typeof item === 'object' && item !== null && typeof item.detail === 'string',
      ) as ConnectValidationError[])
    : undefined;
  return new ConnectError({
    message: `${what}: ${detail ?? title ?? `the My Account API answered HTTP ${response.status}`}`,
    status: response.status,
    type: optionalString(body.type),
    title,
    detail,
    validation_errors: errors,
  });
}

/**
 * @internal Calls the My Account API with an access token (a DPoP proof with `ath` for a DPoP-bound one),
 * retrying once with a fresh proof when the API asks for a DPoP nonce. A non-2xx answer throws:
 * problem details as a {@link ConnectError}, an OAuth error body as an `OAuthError`, anything
 * else as an `HttpError`.
 */
export async function myAccountRequest(
  context: ClientContext,
  request: MyAccountToken & { method: string; path: string; body?: unknown; what: string },
): Promise<ReadResponse> {
  const response = await sendWithAccessToken(context, {
    url: new URL(request.path, await myAccountApiBase(context)).href,
    method: request.method,
    accessToken: request.accessToken,
    tokenType: request.tokenType,
    body: request.body,
    signal: request.signal,
    what: request.what,
  });
  if (!isOk(response)) throw errorOf(response, request.what);
  return response;
}
