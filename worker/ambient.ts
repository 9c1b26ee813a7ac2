/**
 * Why a request that looks like `fetch()` to the worker was not made by script, or `undefined`.
 * Each is something injected markup can cause without script, and that the browser marks:
 * prefetch and prerender carry `Sec-Purpose` (and the older `Purpose`/`X-Moz`/`X-Purpose`
 * headers); `EventSource` asks for `text/event-stream` and no script can set its headers.
 * (A `<link rel=preload as=fetch crossorigin>` carries no such mark: only `fetchWithAuthOnly`
 * closes it.) A script that wants any of these credentialed uses `fetchWithAuth`.
 */
export function ambientReason(request: Request): string | undefined {
  const headers = request.headers;
  for (const name of ['sec-purpose', 'purpose', 'x-purpose', 'x-moz']) {
    if (headers.has(name)) return 'prefetch';
  }
  if ((headers.get('accept') ?? '').toLowerCase().includes('text/event-stream')) {
    return 'event-stream';
  }
  return undefined;
}
