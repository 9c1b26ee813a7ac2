import type { BrowserContext } from '@playwright/test';
import { apiAdmin, tenantAdmin } from '../support/admin-clients.js';
import { API_URL, TENANT_URL } from '../support/environment.js';
import { callApi, expect, login, test } from '../support/fixtures.js';
import { accessTokenHash, callClient, decodeProof, type WireProof } from '../support/lifecycle.js';

// THREATS 14 — DPoP as the servers receive it (RFC 9449): every proof read off the wire as the
// browser sent it (the worker's own requests included), every nonce each server handed out, and
// the servers' own logs. One key for the session (made when the code is redeemed, so no `dpop_jkt`
// on /authorize: that URL travels through the page — worker/key-binding.ts), `htu`
// without query or fragment, `htm`, a fresh `jti` and `iat` on every request and every retry,
// `ath` over the very token sent, and each server's nonce sent to that server only.

interface Wire {
  proofs: () => Promise<WireProof[]>;
  /** DPoP-Nonce values each server origin answered with, in order. */
  issued: Map<string, string[]>;
  /** The /authorize URLs the browser navigated to. */
  authorize: URL[];
}

function tapWire(context: BrowserContext): Wire {
  const pending: Promise<WireProof>[] = [];
  const issued = new Map<string, string[]>([
    [TENANT_URL, []],
    [API_URL, []],
  ]);
  const authorize: URL[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === TENANT_URL && url.pathname === '/authorize') authorize.push(url);
    const headers = request.headers();
    if (headers.dpop === undefined) return;
    pending.push(
      decodeProof(headers.dpop, {
        url: request.url(),
        method: request.method(),
        ...(headers.authorization === undefined ? {} : { authorization: headers.authorization }),
      }),
    );
  });
  context.on('response', (response) => {
    const nonce = response.headers()['dpop-nonce'];
    const origin = new URL(response.url()).origin;
    const list = issued.get(origin);
    if (nonce && list && list.at(-1) !== nonce) list.push(nonce);
  });
  return { proofs: () => Promise.all(pending), issued, authorize };
}

async function rotateTenantNonce(): Promise<void> {
  const response = await fetch(`${TENANT_URL}/__admin/dpop-nonce/rotate`, { method: 'POST' });
  expect(response.ok).toBe(true);
}

test('THREATS 14: one key, made at redemption (no page-carried dpop_jkt), htu without query or fragment, fresh jti/iat, correct ath, per-server nonces — as the servers saw them', async ({
  page,
  context,
}) => {
  const started = Math.floor(Date.now() / 1000);
  const wire = tapWire(context);
  await login(page, 'dpop');

  // A query and a fragment on the API URL: the API verifies htu, and echo shows the proof itself.
  expect(await callApi(page, `${API_URL}/api/me?x=1&y=%2F#frag`)).toMatchObject({ status: 200 });
  const echo = await callApi(page, `${API_URL}/api/echo?a=b#section-2`);
  const echoed = (echo as { body: { headers: Record<string, string> } }).body.headers;
  const echoedProof = await decodeProof(echoed.dpop as string, {
    url: `${API_URL}/api/echo?a=b`,
    method: 'GET',
    authorization: echoed.authorization as string,
  });
  expect(echoedProof.htu).toBe(`${API_URL}/api/echo`);
  expect(echoedProof.htm).toBe('GET');
  expect(echoedProof.ath).toBe(
    await accessTokenHash((echoed.authorization as string).replace(/^DPoP /, '')),
  );
  // A POST: htm follows the method.
  expect(
    await callApi(page, `${API_URL}/api/notes?draft=1`, {
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'htm' }),
      },
    }),
  ).toMatchObject({ status: 201 });

  // Both servers rotate their nonces (twice: the previous one stays valid one period), and the
  // access token expires: the refresh meets the tenant's use_dpop_nonce, the next API call the
  // API's. Each retry must carry the new nonce of its own server, in a new proof.
  for (let i = 0; i < 2; i++) {
    await rotateTenantNonce();
    await apiAdmin.rotateNonce();
  }
  await tenantAdmin.advanceClock(2 * 60 * 60);
  expect(await callApi(page, `${API_URL}/api/me#again`)).toMatchObject({ status: 200 });

  const proofs = await wire.proofs();
  const toTenant = proofs.filter((proof) => proof.url.startsWith(`${TENANT_URL}/`));
  const toApi = proofs.filter((proof) => proof.url.startsWith(`${API_URL}/`));
  expect(toTenant.length).toBeGreaterThanOrEqual(4); // code exchange (+ nonce retry), refresh (+ retry)
  expect(toApi.length).toBeGreaterThanOrEqual(5);
  expect(toTenant.length + toApi.length).toBe(proofs.length);

  // One key for the whole session, seen by both servers' logs; /authorize names none.
  expect(wire.authorize).toHaveLength(1);
  expect(wire.authorize[0]?.searchParams.has('dpop_jkt')).toBe(false);
  const jkt = proofs[0]?.jkt;
  expect(jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(new Set(proofs.map((proof) => proof.jkt))).toEqual(new Set([jkt]));
  const tenantLog = (await tenantAdmin.requests('/oauth/token')).filter((entry) => entry.dpopJkt);
  const apiLog = (await apiAdmin.requests()).filter((entry) => entry.dpopJkt);
  expect(new Set([...tenantLog, ...apiLog].map((entry) => entry.dpopJkt))).toEqual(new Set([jkt]));

  const now = Math.floor(Date.now() / 1000);
  for (const proof of proofs) {
    // htu: scheme, host, port and path of the request; never its query or fragment.
    const sent = new URL(proof.url);
    expect(proof.htu).toBe(`${sent.origin}${sent.pathname}`);
    expect(proof.htu).not.toMatch(/[?#]/);
    expect(proof.htm).toBe(proof.method);
    // iat: the moment of signing (real time), not a stale or future one.
    expect(proof.iat).toBeGreaterThanOrEqual(started - 1);
    expect(proof.iat).toBeLessThanOrEqual(now + 1);
  }
  // The query really was on the wire, and not in the proof.
  expect(toApi.some((proof) => proof.url.includes('?x=1'))).toBe(true);
  expect(toApi.some((proof) => proof.url.includes('?draft=1') && proof.htm === 'POST')).toBe(true);

  // jti: fresh for every request and every retry, across both servers.
  const jtis = proofs.map((proof) => proof.jti);
  expect(new Set(jtis).size).toBe(jtis.length);
  const loggedJtis = [...tenantLog, ...apiLog].map((entry) => entry.dpopJti);
  expect(new Set(loggedJtis).size).toBe(loggedJtis.length);

  // ath: over the very access token in the Authorization header; none to the token endpoint.
  for (const proof of toApi) {
    expect(proof.authorization).toMatch(/^DPoP [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(proof.ath).toBe(await accessTokenHash((proof.authorization as string).slice(5)));
  }
  for (const proof of toTenant) {
    expect(proof.ath).toBeUndefined();
    expect(proof.authorization).toBeUndefined();
  }

  // Nonces: each server's own, never the other's; both retries fetched a new one.
  const tenantNonces = wire.issued.get(TENANT_URL) ?? [];
  const apiNonces = wire.issued.get(API_URL) ?? [];
  expect(tenantNonces.length).toBeGreaterThanOrEqual(2);
  expect(apiNonces.length).toBeGreaterThanOrEqual(2);
  expect(tenantNonces.filter((nonce) => apiNonces.includes(nonce))).toEqual([]);
  for (const proof of toTenant.filter((p) => p.nonce)) expect(tenantNonces).toContain(proof.nonce);
  for (const proof of toApi.filter((p) => p.nonce)) expect(apiNonces).toContain(proof.nonce);
  expect(toTenant.at(-1)?.nonce).toBe(tenantNonces.at(-1));
  expect(toApi.at(-1)?.nonce).toBe(apiNonces.at(-1));
  const statuses = {
    refresh: (await tenantAdmin.refreshRequests()).map((entry) => entry.status),
    api: apiLog.slice(-3).map((entry) => entry.status),
  };
  // The refresh: refused for the stale nonce, then accepted with the new one. The API call after
  // it: refused for the stale API nonce, then accepted.
  expect(statuses.refresh).toEqual([400, 200]);
  expect(statuses.api.slice(-2)).toEqual([401, 200]);

  // The worker's nonce store agrees, per origin.
  const held = {
    tenant: await callClient(page, 'getDpopNonce'),
    api: await callClient(page, 'getDpopNonce', API_URL),
  };
  expect(held.tenant).toEqual({ value: tenantNonces.at(-1) });
  expect(held.api).toEqual({ value: apiNonces.at(-1) });
  expect(held.tenant).not.toEqual(held.api);
});
