import { FETCH_ERROR_HEADER } from '../src/rpc/fetch-marker.js';

/**
 * fetchWithAuth turns {@link FETCH_ERROR_HEADER} into a typed error, so only the worker may set
 * it: an API that sends (and exposes) it would otherwise forge a LoginRequiredError on the page.
 */
export function withoutErrorHeader(response: Response): Response {
  if (!response.headers.has(FETCH_ERROR_HEADER)) return response;
  const headers = new Headers(response.headers);
  headers.delete(FETCH_ERROR_HEADER);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}
