// auth0.anonymous.* through the worker's facade, against the real local tenant: the session token
// stays in worker memory (never in an answer, never in IndexedDB), the page gets summaries (the
// access token only with exposeAccessTokens), tokens are reused while fresh and renewed after,
// a session the server forgot is replaced, logout ends it at the server, and allow-listed API
// requests carry the anonymous token while no user is logged in.
import 'fake-indexeddb/auto';
import { API, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NotAllowedError, OAuthError } from '../../src/core/errors.js';
import {
  anonymousAccessToken,
  anonymousSessions,
  heldSessionToken,
} from '../../worker/anonymous.js';
import { createFacade } from '../../worker/facade.js';
import { createWorker, readVault } from '../helpers/worker-harness.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

function anonymousWorker(exposeAccessTokens = false) {
  const worker = createWorker({
    issuer,
    config: { exposeAccessTokens },
    features: [anonymousSessions],
  });
  return { worker, facade: createFacade(worker.deps, 'tab-1') };
}

describe('auth0.anonymous through the worker', () => {
  it('creates a session: the page gets a summary, the session token stays in memory', async () => {
    const { worker, facade } = anonymousWorker();
    expect(await facade.anonymousHasSession()).toBe(false);
    const created = await facade.anonymousCreateSession({ audience: API });
    expect(created.accessToken).toBeUndefined();
    expect(created.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(created.sessionTokenExpiresAt).toBeGreaterThan(created.expiresAt);
    expect(await facade.anonymousHasSession()).toBe(true);
    const sessionToken = heldSessionToken(worker.deps) ?? '';
    expect(sessionToken).not.toBe('');
    expect(JSON.stringify(created)).not.toContain(sessionToken);
    expect(JSON.stringify(await readVault(worker.vaultName))).not.toContain(sessionToken);
  });

  it('getTokenSilently reuses a fresh token, renews a stale one with the same identity', async () => {
    const { worker, facade } = anonymousWorker(true);
    const first = await facade.anonymousGetTokenSilently({ audience: API });
    const again = await facade.anonymousGetTokenSilently({ audience: API });
    expect(again.accessToken).toBe(first.accessToken);
    worker.clock.offsetMs = 3600_000 - 30_000; // less than a minute left: renewed
    const renewed = await facade.anonymousGetTokenSilently({ audience: API });
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect(decodeJwt(renewed.accessToken ?? '').sub).toBe(decodeJwt(first.accessToken ?? '').sub);
    expect(decodeJwt(renewed.accessToken ?? '').aud).toBe(API);
  });

  it('createSession starts a new identity; a session the server forgot is replaced', async () => {
    const { worker, facade } = anonymousWorker(true);
    const first = await facade.anonymousCreateSession({ audience: API });
    const second = await facade.anonymousCreateSession({ audience: API });
    expect(decodeJwt(second.accessToken ?? '').sub).not.toBe(
      decodeJwt(first.accessToken ?? '').sub,
    );
    // The tenant restarts its anonymous state (a reset): the held session token is unknown there.
    await fetch(`${issuer}anonymous/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: 'sample-spa',
        session_token: heldSessionToken(worker.deps),
      }),
    });
    worker.clock.offsetMs = 3600_000;
    const replaced = await facade.anonymousGetTokenSilently({ audience: API });
    expect(decodeJwt(replaced.accessToken ?? '').sub).not.toBe(
      decodeJwt(second.accessToken ?? '').sub,
    );
  });

  it('logout ends the session at the server and here', async () => {
    const { worker, facade } = anonymousWorker();
    await facade.anonymousCreateSession({ audience: API });
    const sessionToken = heldSessionToken(worker.deps);
    await facade.anonymousLogout();
    expect(await facade.anonymousHasSession()).toBe(false);
    const renew = await fetch(`${issuer}anonymous/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'sample-spa', session_token: sessionToken }),
    });
    expect(renew.status).toBe(401);
    await facade.anonymousLogout(); // nothing held: a no-op
  });

  it('refuses audiences and scopes the worker config does not name, before any request', async () => {
    const { worker, facade } = anonymousWorker();
    const before = worker.calls.length;
    const audience = await facade
      .anonymousCreateSession({ audience: 'https://other.example/' })
      .catch((e: unknown) => e);
    expect(audience).toBeInstanceOf(NotAllowedError);
    const scope = await facade
      .anonymousGetTokenSilently({ audience: API, scope: 'admin:everything' })
      .catch((e: unknown) => e);
    expect(scope).toBeInstanceOf(NotAllowedError);
    const unknown = await facade
      .anonymousCreateSession({ audience: API, colour: 'red' } as never)
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TypeError);
    expect(worker.calls.length).toBe(before);
  });

  it('a server refusal reaches the page as an OAuthError with the server’s code', async () => {
    // An API the worker config names but the tenant does not know.
    const other = 'https://unknown.example/';
    const worker = createWorker({
      issuer,
      config: { apis: [{ url: `${API}v1` }, { url: `${other}v1`, audience: other }] },
      features: [anonymousSessions],
    });
    const facade = createFacade(worker.deps, 'tab-1');
    const error = await facade.anonymousCreateSession({ audience: other }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('access_denied');
    const typeError = await facade
      .anonymousCreateSession({ audience: API, metadata: { n: 1 } as never })
      .catch((e: unknown) => e);
    expect(typeError).toBeInstanceOf(TypeError);
  });

  it('allow-listed requests get the anonymous token only while no user is logged in', async () => {
    const { worker, facade } = anonymousWorker();
    const key = { audience: API, scope: 'openid read:notes' };
    expect(await anonymousAccessToken(worker.deps, key, undefined)).toBeUndefined();
    await facade.anonymousCreateSession({ audience: API });
    const token = await anonymousAccessToken(worker.deps, key, undefined);
    expect(token?.tokenType).toBe('Bearer');
    const renewed = await anonymousAccessToken(worker.deps, key, token?.accessToken);
    expect(renewed?.accessToken).not.toBe(token?.accessToken);
  });
});
