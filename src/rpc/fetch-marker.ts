/**
 * `fetchWithAuth` marks its requests with this header (value: URI-encoded JSON `{ audience?,
 * scope? }`). The worker strips it before anything leaves the browser, and for marked requests
 * fails closed: when it cannot attach credentials it answers with a synthetic response carrying
 * {@link FETCH_ERROR_HEADER}, which fetchWithAuth rethrows as the typed error. Unmarked (plain
 * `fetch()`) requests to allow-listed URLs without a session go out as written, uncredentialed.
 */
export const FETCH_MARKER_HEADER = 'x-auth0-enclave';

/** Set by the worker on a synthetic error response: the URI-encoded serialized error. */
export const FETCH_ERROR_HEADER = 'x-auth0-enclave-error';
