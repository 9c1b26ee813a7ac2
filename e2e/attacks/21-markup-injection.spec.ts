import { apiAdmin } from '../support/admin-clients.js';
import { credentialed, probe, probeArrivals } from '../support/api-log.js';
import { expect, login, test } from '../support/fixtures.js';

// THREATS 21 — markup injection: requests that injected markup (or a script that cannot set
// headers) causes, and that reach a service worker looking like fetch(), get no credentials.
// The `dpop` variant opts in to credentialed plain fetch() (fetchWithAuthOnly: false), the
// weaker setting where only the browser's own marks tell these requests apart; with the default
// (fetchWithAuthOnly) none of them gets anything (e2e/attacks/06-navigations.spec.ts). The API
// logs every request with the scheme of its Authorization header.
test.use({ bypassCSP: true });

test('THREATS 21: prefetch (Sec-Purpose) and EventSource get no credentials even with plain fetch() opted in', async ({
  page,
}) => {
  await login(page, 'dpop');
  await apiAdmin.clearRequests();
  await page.evaluate(
    ({ prefetch, prefetchCredentials, eventSource, eventSourceCredentials }) => {
      const holder = document.createElement('div');
      holder.innerHTML =
        `<link rel=prefetch crossorigin href="${prefetch}">` +
        `<link rel=prefetch crossorigin=use-credentials href="${prefetchCredentials}">`;
      document.body.append(holder);
      // EventSource can set no header: to the worker it is a cors GET with destination ''.
      const sources = [
        new EventSource(eventSource),
        new EventSource(eventSourceCredentials, { withCredentials: true }),
      ];
      setTimeout(() => {
        for (const source of sources) source.close();
      }, 3000);
    },
    {
      prefetch: probe('prefetch-cors'),
      prefetchCredentials: probe('prefetch-use-credentials'),
      eventSource: probe('event-source'),
      eventSourceCredentials: probe('event-source-credentials'),
    },
  );
  const labels = [
    'prefetch-cors',
    'prefetch-use-credentials',
    'event-source',
    'event-source-credentials',
  ];
  const seen = await probeArrivals(labels);
  // Every one of them reached the API (not vacuous) …
  for (const label of labels) expect(seen.get(label)?.length, label).toBeGreaterThan(0);
  // … and not one carried a token or a proof.
  for (const label of labels) expect(credentialed(seen.get(label)), label).toEqual([]);

  // What the worker refuses is these marks, not the URL: fetch() and fetchWithAuth — also one
  // asking for an event stream, which only script can send this way — are credentialed.
  await apiAdmin.clearRequests();
  await page.evaluate(
    async ({ plain, stream }) => {
      const auth0 = (window as unknown as { auth0: { fetchWithAuth: typeof fetch } }).auth0;
      await fetch(plain);
      await auth0.fetchWithAuth(stream, { headers: { accept: 'text/event-stream' } });
    },
    { plain: probe('plain-fetch'), stream: probe('fetch-with-auth-stream') },
  );
  const scripted = await probeArrivals(['plain-fetch', 'fetch-with-auth-stream']);
  for (const label of ['plain-fetch', 'fetch-with-auth-stream']) {
    expect(
      scripted.get(label)?.map((entry) => entry.authScheme),
      label,
    ).toEqual(['DPoP']);
  }
});
