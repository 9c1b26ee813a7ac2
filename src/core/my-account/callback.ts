import { ConnectError, InvalidStateError, ResponseError } from '../errors.js';

/**
 * Reads the provider's redirect back to the app (`?connect_code=…&state=…`, or `?error=…`) and
 * returns the `connect_code`. The state is checked first, so an answer to a flow this app did not
 * start is an {@link InvalidStateError}; an `error` (for instance `access_denied` when the user
 * cancelled) is a {@link ConnectError} whose `error` is the provider's.
 *
 * @example
 * ```ts
 * import { readConnectCallback } from 'auth0-enclave/core';
 *
 * const state = sessionStorage.getItem('connect-state') ?? ''; // what connectAccount was given
 * const connectCode = readConnectCallback(location.href, { state });
 * ```
 */
export function readConnectCallback(url: string | URL, expect: { state: string }): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new ResponseError({ message: 'Connect callback: not a URL.', cause });
  }
  const params = parsed.searchParams;
  const single = (name: string) => {
    const values = params.getAll(name);
    if (values.length > 1) {
      throw new ResponseError({
        message: `Connect callback: parameter "${name}" appears more than once.`,
      });
    }
    return values[0];
  };
  if (single('state') !== expect.state) throw new InvalidStateError();
  const error = single('error');
  if (error !== undefined) {
    const description = single('error_description');
    throw new ConnectError({
      message: description || `The account was not connected: "${error}".`,
      error,
    });
  }
  const code = single('connect_code');
  if (!code)
    throw new ResponseError({ message: 'Connect callback: neither "connect_code" nor "error".' });
  return code;
}
