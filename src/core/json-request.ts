import type { ClientContext } from './context.js';
import { errorFromResponse, isOk, type ReadResponse, send } from './http.js';

/** One JSON request to an Auth0 API beside the token endpoint (MFA API, passkey API). */
export interface JsonRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Absolute URL, or a path under the configured domain (`mfa/associate`). */
  url: string;
  /** Sent as `Authorization: Bearer …`. */
  bearer?: string | undefined;
  /** Sent as JSON. */
  body?: Record<string, unknown> | undefined;
  signal?: AbortSignal | undefined;
  /** Names the request in error messages. */
  what: string;
}

/**
 * Sends a JSON request (bounded in time and size, never following redirects) and returns the
 * 2xx response; anything else throws the typed error of {@link errorFromResponse}.
 */
export async function sendJsonRequest(
  context: ClientContext,
  request: JsonRequest,
): Promise<ReadResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await send(context.http, new URL(request.url, context.base).href, {
    method: request.method,
    headers,
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    signal: request.signal ?? null,
    what: request.what,
  });
  if (!isOk(response)) throw errorFromResponse(response, request.what);
  return response;
}
