// Passkeys through the worker, against the real local tenant and a software authenticator:
// `passkeyStart` keeps the `auth_session` in the worker and hands out a ceremony id and the
// WebAuthn options as JSON; `passkeyFinish` redeems the credential's JSON with a DPoP proof and
// establishes the session like a login. Replayed and forged credentials are typed errors.
import 'fake-indexeddb/auto';
import { API, APP_ORIGIN, SoftAuthenticator, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NotAllowedError, PasskeyError } from '../../src/core/errors.js';
import type { PasskeyCredentialJSON, WorkerApi } from '../../src/rpc/protocol.js';
import { createFacade } from '../../worker/facade.js';
import type { StoredSession } from '../../worker/vault.js';
import { createWorker, readVault, type WorkerHarness } from '../helpers/worker-harness.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

function worker(): { worker: WorkerHarness; facade: WorkerApi } {
  const harness = createWorker({ issuer });
  return { worker: harness, facade: createFacade(harness.deps, 'tab-1') };
}

/** Users created by a signup stay across resets: every signup gets its own email. */
function newEmail(): string {
  return `erin-${crypto.randomUUID()}@example.com`;
}

type RegisterOptions = Parameters<SoftAuthenticator['register']>[0];
type LoginOptions = Parameters<SoftAuthenticator['authenticate']>[0];

async function signUp(facade: WorkerApi, email = newEmail()) {
  const authenticator = await SoftAuthenticator.create();
  const ceremony = await facade.passkeyStart({ mode: 'signup', email, name: 'Erin' });
  const credential = await authenticator.register(
    ceremony.publicKey as unknown as RegisterOptions,
    {
      origin: APP_ORIGIN,
    },
  );
  const summary = await facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential });
  return { authenticator, email, ceremony, credential, summary };
}

async function logIn(facade: WorkerApi, authenticator: SoftAuthenticator) {
  const ceremony = await facade.passkeyStart({ mode: 'login' });
  const credential = await authenticator.authenticate(
    ceremony.publicKey as unknown as LoginOptions,
    {
      origin: APP_ORIGIN,
    },
  );
  return { ceremony, credential };
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

describe('passkey signup and login through the worker', () => {
  it('signs up: a ceremony id and JSON options for the page, then a DPoP-bound session', async () => {
    const { worker: w, facade } = worker();
    const { ceremony, summary, email } = await signUp(facade);
    expect(Object.keys(ceremony).sort()).toEqual(['ceremonyId', 'publicKey']);
    expect(ceremony.ceremonyId).toMatch(/^ceremony:[A-Za-z0-9_-]{32}$/);
    expect(ceremony.publicKey).toMatchObject({
      challenge: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      rp: { id: 'localhost' },
      user: { id: expect.any(String), name: email },
      pubKeyCredParams: expect.arrayContaining([{ type: 'public-key', alg: -7 }]),
    });
    expect(summary).toEqual({
      token_type: 'DPoP',
      expires_in: expect.any(Number),
      scope: expect.stringContaining('openid'),
    });
    expect(await facade.getSession()).toMatchObject({
      authenticated: true,
      user: { email, name: 'Erin' },
    });
    expect(w.broadcasts.at(-1)).toMatchObject({ authenticated: true, reason: 'login' });
    const token = await w.session.getAccessToken({
      audience: API,
      scope: w.config.authorizationParams.scope,
    });
    expect(decodeJwt(token.accessToken)).toMatchObject({
      aud: expect.arrayContaining([API]),
      cnf: { jkt: w.session.key?.thumbprint },
    });
  });

  it('logs in with the passkey later, as the same user, with a bound refresh token kept', async () => {
    const first = worker();
    const { authenticator } = await signUp(first.facade);
    const sub = (await first.facade.getIdTokenClaims())?.sub;

    const { worker: w, facade } = worker();
    const { ceremony, credential } = await logIn(facade, authenticator);
    await expect(
      facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential }),
    ).resolves.toMatchObject({
      token_type: 'DPoP',
    });
    expect((await facade.getIdTokenClaims())?.sub).toBe(sub);
    const stored = (await readVault(w.vaultName)).session?.[0] as StoredSession;
    expect(Object.values(stored.refreshTokens)).toEqual([
      expect.objectContaining({ audience: API, dpopBound: true }),
    ]);
    // Every token request of the ceremony carried a proof.
    const grants = w.calls.filter((call) => call.grantType !== undefined);
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.every((call) => call.dpopJti)).toBe(true);
  });

  it('asks for the audience and scope the worker config allows, and no other', async () => {
    const { facade } = worker();
    const denied = await settle(
      facade.passkeyStart({ mode: 'login', audience: 'https://elsewhere.example.com/' }),
    );
    expect(denied).toBeInstanceOf(NotAllowedError);
    const scope = await settle(facade.passkeyStart({ mode: 'login', scope: 'openid admin:all' }));
    expect(scope).toBeInstanceOf(NotAllowedError);
  });
});

describe('getTokenWithPasskey({ audience, scope }) as auth0-spa-js takes them', () => {
  it('limits them like the start’s, and a refused one leaves the ceremony unspent', async () => {
    const { authenticator } = await signUp(worker().facade);
    const { facade } = worker();
    const { ceremony, credential } = await logIn(facade, authenticator);
    const denied = await settle(
      facade.passkeyFinish({
        ceremonyId: ceremony.ceremonyId,
        credential,
        audience: 'https://elsewhere.example.com/',
      }),
    );
    expect(denied).toBeInstanceOf(NotAllowedError);
    expect(await facade.getSession()).toMatchObject({ authenticated: false });
    // The allowed audience, given at the finish instead of the start, is the session's.
    await expect(
      facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential, audience: API }),
    ).resolves.toMatchObject({ token_type: 'DPoP' });
    expect(await facade.getSession()).toMatchObject({ authenticated: true });
  });
});

describe('refused credentials', () => {
  it('a replayed assertion: its ceremony is used, and another ceremony’s challenge refuses it', async () => {
    const { authenticator } = await signUp(worker().facade);
    const { worker: w, facade } = worker();
    const { ceremony, credential } = await logIn(facade, authenticator);
    await facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential });

    const again = await settle(
      facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential }),
    );
    expect(again).toBeInstanceOf(PasskeyError);
    expect(again).toMatchObject({ code: 'passkey_error', error: 'passkey_ceremony_not_found' });

    const other = await facade.passkeyStart({ mode: 'login' });
    const replayed = await settle(
      facade.passkeyFinish({ ceremonyId: other.ceremonyId, credential }),
    );
    expect(replayed).toBeInstanceOf(PasskeyError);
    expect(replayed).toMatchObject({ error: 'invalid_grant', status: 403 });
    expect(w.refusals.length).toBeGreaterThan(0);
  });

  it('a forged assertion (bad signature, wrong origin) is refused and establishes nothing', async () => {
    const { authenticator } = await signUp(worker().facade);
    const { worker: w, facade } = worker();
    const { ceremony, credential } = await logIn(facade, authenticator);
    const forged: PasskeyCredentialJSON = {
      ...credential,
      response: {
        ...credential.response,
        signature: `${credential.response.signature.slice(0, -4)}AAAA`,
      },
    };
    const refused = await settle(
      facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential: forged }),
    );
    expect(refused).toBeInstanceOf(PasskeyError);
    expect(refused).toMatchObject({ error: 'invalid_grant' });

    const next = await facade.passkeyStart({ mode: 'login' });
    const elsewhere = await authenticator.authenticate(next.publicKey as unknown as LoginOptions, {
      origin: 'https://evil.example.com',
    });
    const wrongOrigin = await settle(
      facade.passkeyFinish({ ceremonyId: next.ceremonyId, credential: elsewhere }),
    );
    // auth0-spa-js's class for a refused credential, a PasskeyError.
    expect(wrongOrigin).toBeInstanceOf(PasskeyError);
    expect(wrongOrigin).toMatchObject({ name: 'PasskeyGetTokenError', error: 'invalid_grant' });

    expect(await facade.getSession()).toEqual({ authenticated: false });
    expect((await readVault(w.vaultName)).session).toEqual([]);
  });

  it('malformed credentials and unknown or expired ceremonies are typed errors', async () => {
    const { worker: w, facade } = worker();
    const ceremony = await facade.passkeyStart({ mode: 'login' });
    const loose = facade as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await expect(loose.passkeyFinish?.({ ceremonyId: ceremony.ceremonyId })).rejects.toThrow(
      /"options.credential"/,
    );
    await expect(
      loose.passkeyFinish?.({
        ceremonyId: ceremony.ceremonyId,
        credential: { id: 'x', rawId: 'x', type: 'public-key' },
      }),
    ).rejects.toThrow(/"options.credential.response"/);
    await expect(
      loose.passkeyFinish?.({
        ceremonyId: ceremony.ceremonyId,
        credential: {
          id: 'x',
          rawId: 'x',
          type: 'public-key',
          response: { clientDataJSON: 'x'.repeat(70_000) },
        },
      }),
    ).rejects.toThrow(/too large/);
    await expect(loose.passkeyStart?.({ mode: 'enroll' })).rejects.toThrow(/"options.mode"/);
    await expect(loose.passkeyStart?.({ mode: 'signup' })).rejects.toThrow(/"options.email"/);
    await expect(
      loose.passkeyStart?.({ mode: 'signup', email: 'a@example.com', userMetadata: { a: 1 } }),
    ).rejects.toThrow(/"options.userMetadata.a"/);
    // None of the malformed calls spent the ceremony; time does.
    w.clock.offsetMs += 5 * 60 * 1000 + 1;
    const credential = {
      id: 'x',
      rawId: 'x',
      type: 'public-key',
      response: { clientDataJSON: 'x' },
    };
    await expect(
      facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential }),
    ).rejects.toMatchObject({
      name: 'PasskeyError',
      error: 'passkey_ceremony_not_found',
    });
    await expect(
      facade.passkeyFinish({ ceremonyId: 'ceremony:forged', credential }),
    ).rejects.toBeInstanceOf(PasskeyError);
  });

  it('a server refusal at the start is a PasskeyError (an email that has an account)', async () => {
    const { facade } = worker();
    const exists = await settle(
      facade.passkeyStart({ mode: 'signup', email: 'alice@example.com' }),
    );
    expect(exists).toBeInstanceOf(PasskeyError);
    expect(exists).toMatchObject({ error: 'user_exists' });
  });
});

describe('what is persisted', () => {
  it('the session as a login leaves it: no ceremony id, no credential, no access token', async () => {
    const { worker: w, facade } = worker();
    const { ceremony, credential } = await signUp(facade);
    const vault = await readVault(w.vaultName);
    const text = JSON.stringify(vault);
    expect(text).not.toContain(ceremony.ceremonyId);
    expect(text).not.toContain(credential.response.clientDataJSON);
    expect(text).not.toContain(credential.response.attestationObject);
    expect(text).not.toContain(ceremony.publicKey.challenge);
    const token = await w.session.getAccessToken({
      audience: API,
      scope: w.config.authorizationParams.scope,
    });
    expect(text).not.toContain(token.accessToken);
    expect(
      Object.keys(vault)
        .filter((store) => (vault[store] ?? []).length > 0)
        .sort(),
    ).toEqual(['keys', 'nonces', 'session']);
  });

  it('logout drops ceremonies in progress', async () => {
    const { facade } = worker();
    const ceremony = await facade.passkeyStart({ mode: 'login' });
    await facade.logout({ localOnly: true });
    const credential = {
      id: 'x',
      rawId: 'x',
      type: 'public-key',
      response: { clientDataJSON: 'x' },
    };
    await expect(
      facade.passkeyFinish({ ceremonyId: ceremony.ceremonyId, credential }),
    ).rejects.toMatchObject({
      error: 'passkey_ceremony_not_found',
    });
  });
});
