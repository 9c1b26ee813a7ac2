import { AuthenticationError, InvalidStateError, ResponseError } from './errors.js';

/** The parameters of an authorization response, from the query or the fragment. */
export function readAuthorizationResponse(url: string | URL): URLSearchParams {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ResponseError({ message: 'Callback: not a URL.', cause });
  }
  const query = parsed.searchParams;
  if (query.has('state') || query.has('code') || query.has('error')) return query;
  return new URLSearchParams(parsed.hash.slice(1));
}

/** The one value of a parameter; a parameter given twice is a malformed (or forged) response. */
function single(params: URLSearchParams, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1)
    throw new ResponseError({ message: `Callback: parameter "${name}" appears more than once.` });
  return values[0];
}

/**
 * Checks an authorization response (RFC 6749 §4.1.2, RFC 9207) and returns its code.
 * `state` is checked first, so an error response for a login we did not start is dropped as
 * {@link InvalidStateError}; then `iss` (mix-up defence) when the server sends it or promises to;
 * then the error parameters, then the code.
 */
export function validateAuthorizationResponse(
  params: URLSearchParams,
  expect: { state: string; issuer: string; issRequired?: boolean | undefined; appState?: unknown },
): string {
  const state = single(params, 'state');
  if (state === undefined || state !== expect.state) throw new InvalidStateError();
  const iss = single(params, 'iss');
  if (iss !== undefined ? iss !== expect.issuer : expect.issRequired) {
    throw new ResponseError({
      message: 'Callback: the "iss" parameter does not name this authorization server.',
    });
  }
  const error = single(params, 'error');
  if (error !== undefined) {
    throw new AuthenticationError({
      error,
      message: single(params, 'error_description'),
      state,
      appState: expect.appState,
    });
  }
  const code = single(params, 'code');
  if (!code)
    throw new ResponseError({ message: 'Callback: neither "code" nor "error" is present.' });
  return code;
}
