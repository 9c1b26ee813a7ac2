import type { ClientContext } from './context.js';
import { NotSupportedError, ResponseError } from './errors.js';
import { parseJsonObject } from './http.js';
import { postToTokenEndpoint } from './token-request.js';

/**
 * Pushes an authorization request (RFC 9126) and returns the `/authorize` URL that carries only
 * `client_id` and the `request_uri` the server issued: the parameters (PKCE challenge, state,
 * nonce, scope, redirect_uri, resource …) travelled over a client-authenticated back channel.
 *
 * @throws {NotSupportedError} when the server advertises no `pushed_authorization_request_endpoint`
 *   (asking for PAR must never quietly become a front-channel request).
 */
export async function pushAuthorizationRequest(
  context: ClientContext,
  params: URLSearchParams,
): Promise<URL> {
  const server = await context.metadata();
  const endpoint = server.pushed_authorization_request_endpoint;
  if (typeof endpoint !== 'string' || endpoint === '') {
    throw new NotSupportedError({
      message:
        'Pushed authorization requests were asked for, but the server advertises no pushed_authorization_request_endpoint.',
    });
  }
  const form: Record<string, string> = {};
  const repeated: [string, string][] = [];
  for (const [key, value] of params) {
    if (key in form) repeated.push([key, value]);
    else form[key] = value;
  }
  // The client's own authentication adds client_id; the form must not carry it twice.
  delete form.client_id;
  const response = await postToTokenEndpoint(context, {
    params: form,
    extra: repeated,
    endpoint,
    what: 'Pushed authorization request',
  });
  const body = parseJsonObject(response, 'Pushed authorization request');
  const requestUri = body.request_uri;
  if (typeof requestUri !== 'string' || requestUri.length === 0) {
    throw new ResponseError({
      message: 'Pushed authorization request: the response has no "request_uri".',
      status: response.status,
    });
  }
  if (typeof body.expires_in !== 'number' || !(body.expires_in > 0)) {
    throw new ResponseError({
      message: 'Pushed authorization request: "expires_in" must be a positive number.',
      status: response.status,
    });
  }
  const url = new URL(server.authorization_endpoint);
  url.searchParams.set('client_id', context.clientId);
  url.searchParams.set('request_uri', requestUri);
  return url;
}
