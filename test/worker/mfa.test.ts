// Step-up MFA through the worker, against the real local tenant: a refresh for a step-up API
// meets `mfa_required`; Auth0's mfa_token stays in the worker and the page-facing error carries
// a handle; the facade's MFA methods enroll, challenge and verify with it; the MFA grant's
// tokens join the session (DPoP-bound) and nothing new is persisted but the session's own.
import 'fake-indexeddb/auto';
import { STEP_UP_API_AUDIENCE } from 'auth0-enclave-tenant';
import { API, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { generate } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MfaError, MfaRequiredError } from '../../src/core/errors.js';
import { serializeError } from '../../src/rpc/errors.js';
import type { WorkerApi } from '../../src/rpc/protocol.js';
import type { AuthWorkerConfig } from '../../worker/config.js';
import { createFacade } from '../../worker/facade.js';
import type { StoredSession } from '../../worker/vault.js';
import {
  createWorker,
  loginThroughWorker,
  readVault,
  type WorkerHarness,
} from '../helpers/worker-harness.js';

const STEP_UP = STEP_UP_API_AUDIENCE;
const STEP_UP_SCOPE = 'openid read:secrets offline_access';
const STEP_UP_ROUTE = {
  url: 'https://stepup.example.com/v1',
  audience: STEP_UP,
  scope: STEP_UP_SCOPE,
};

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

interface LoggedIn {
  worker: WorkerHarness;
  facade: WorkerApi;
}

async function loggedIn(config: Partial<AuthWorkerConfig> = {}): Promise<LoggedIn> {
  const worker = createWorker({
    issuer,
    config: { apis: [{ url: `${API}v1` }, STEP_UP_ROUTE], ...config },
  });
  expect((await loginThroughWorker(worker, issuer)).error).toBeUndefined();
  return { worker, facade: createFacade(worker.deps, 'tab-1') };
}

/** Asks the facade for a step-up token; returns the MfaRequiredError the page would get. */
async function stepUpRefused(facade: WorkerApi): Promise<MfaRequiredError> {
  const error = await facade.checkSession({ audience: STEP_UP }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(MfaRequiredError);
  return error as MfaRequiredError;
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => error,
  );
}

/** Runs a whole OTP enrollment; returns what the page saw. */
async function enrollOtp(facade: WorkerApi, handle: string) {
  const enrollment = await facade.mfaEnroll({ mfaToken: handle, factorType: 'otp' });
  if (enrollment.authenticatorType !== 'otp') throw new Error('expected an OTP enrollment');
  const verified = await facade.mfaVerify({
    mfaToken: handle,
    otp: await generate({ secret: enrollment.secret }),
  });
  return { enrollment, verified };
}

describe('mfa_required on a refresh', () => {
  it('reaches the page with a handle, never with the tenant’s mfa_token', async () => {
    const { worker, facade } = await loggedIn();
    const error = await stepUpRefused(facade);
    expect(error.mfa_token).toMatch(/^enclave-mfa:[A-Za-z0-9_-]{32}$/);
    expect(error.mfa_requirements).toEqual({ enroll: [{ type: 'otp' }, { type: 'oob' }] });
    // What the tenant sent holds the real token; none of it crosses to the page.
    const sent = worker.refusals.map((body) => JSON.parse(body)).find((b) => b.mfa_token);
    expect(sent.mfa_token).toEqual(expect.any(String));
    const crossing = JSON.stringify(serializeError(error));
    expect(crossing).toContain(error.mfa_token);
    expect(crossing).not.toContain(sent.mfa_token);
    expect(serializeError(error)).toMatchObject({
      name: 'MfaRequiredError',
      code: 'mfa_required',
      fields: { mfa_token: error.mfa_token },
    });
    // The tenant's token is no handle: the worker does not know it.
    await expect(facade.mfaGetEnrollmentFactors(sent.mfa_token)).rejects.toMatchObject({
      name: 'MfaError',
      error: 'mfa_context_not_found',
    });
    // Nothing rotated: the login's refresh token still serves its own audience.
    expect(server.tenant.admin.tokens().refreshTokens.map((token) => token.status)).toEqual([
      'active',
    ]);
    await expect(facade.checkSession({ audience: API })).resolves.toMatchObject({
      authenticated: true,
    });
  });

  it('fetching for the step-up API fails the same way (every caller gets a handle)', async () => {
    const { facade } = await loggedIn();
    const [a, b] = await Promise.all([stepUpRefused(facade), stepUpRefused(facade)]);
    expect(a.mfa_token).toMatch(/^enclave-mfa:/);
    expect(b.mfa_token).toMatch(/^enclave-mfa:/);
  });
});

describe('OTP enrollment and verification', () => {
  it('enrolls, verifies with a code from the secret, and the step-up token joins the session', async () => {
    const { worker, facade } = await loggedIn();
    const handle = (await stepUpRefused(facade)).mfa_token;
    expect(await facade.mfaGetEnrollmentFactors(handle)).toEqual([
      { type: 'otp' },
      { type: 'oob' },
    ]);
    const { enrollment, verified } = await enrollOtp(facade, handle);
    expect(enrollment).toEqual({
      authenticatorType: 'otp',
      secret: expect.stringMatching(/^[A-Z2-7]+$/),
      barcodeUri: expect.stringMatching(/^otpauth:\/\/totp\//),
      recoveryCodes: [expect.any(String)],
    });
    expect(verified).toEqual({
      token_type: 'DPoP',
      expires_in: expect.any(Number),
      scope: STEP_UP_SCOPE,
    });
    expect(verified).not.toHaveProperty('access_token');
    // The token is now held (no request), bound to the session's key, and says MFA was done.
    worker.calls.length = 0;
    await facade.checkSession({ audience: STEP_UP });
    expect(worker.calls).toEqual([]);
    const token = await worker.session.getAccessToken({ audience: STEP_UP, scope: STEP_UP_SCOPE });
    expect(decodeJwt(token.accessToken)).toMatchObject({
      aud: expect.arrayContaining([STEP_UP]),
      amr: ['mfa'],
      cnf: { jkt: worker.session.key?.thumbprint },
    });
    expect((await facade.getIdTokenClaims())?.amr).toEqual(['mfa']);
    // The handle is spent.
    await expect(facade.mfaVerify({ mfaToken: handle, otp: '000000' })).rejects.toMatchObject({
      error: 'mfa_context_not_found',
    });
  });

  it('refreshes the step-up token later with its own refresh token, without asking again', async () => {
    const { worker, facade } = await loggedIn();
    await enrollOtp(facade, (await stepUpRefused(facade)).mfa_token);
    worker.clock.offsetMs += 2 * 3600 * 1000;
    server.tenant.clock.advance(2 * 3600);
    await expect(facade.checkSession({ audience: STEP_UP })).resolves.toMatchObject({
      authenticated: true,
    });
    const refreshes = worker.calls.filter((call) => call.grantType === 'refresh_token');
    expect(refreshes.length).toBeGreaterThan(0);
    const token = await worker.session.getAccessToken({ audience: STEP_UP, scope: STEP_UP_SCOPE });
    expect(decodeJwt(token.accessToken).amr).toEqual(['mfa']);
  });

  it('a wrong code is a typed MfaError and the step-up stays open for another try', async () => {
    const { facade } = await loggedIn();
    const handle = (await stepUpRefused(facade)).mfa_token;
    const enrollment = await facade.mfaEnroll({ mfaToken: handle, factorType: 'otp' });
    const wrong = await settle(facade.mfaVerify({ mfaToken: handle, otp: '000000' }));
    expect(wrong).toBeInstanceOf(MfaError);
    expect(wrong).toMatchObject({ code: 'mfa_error', error: 'invalid_grant', status: 403 });
    const secret = (enrollment as { secret: string }).secret;
    await expect(
      facade.mfaVerify({ mfaToken: handle, otp: await generate({ secret }) }),
    ).resolves.toMatchObject({ token_type: 'DPoP' });
  });

  it('hands the access token over only when the worker config exposes tokens', async () => {
    const { facade } = await loggedIn({ exposeAccessTokens: true });
    const { verified } = await enrollOtp(facade, (await stepUpRefused(facade)).mfa_token);
    expect(decodeJwt(verified.access_token as string).aud).toContain(STEP_UP);
  });
});

describe('an enrolled user', () => {
  it('is challenged: authenticators of the asked type, a challenge, and a recovery code that renews', async () => {
    const first = await loggedIn();
    const { enrollment } = await enrollOtp(
      first.facade,
      (await stepUpRefused(first.facade)).mfa_token,
    );
    const recoveryCode = enrollment.recoveryCodes?.[0] as string;

    const { facade } = await loggedIn();
    const error = await stepUpRefused(facade);
    expect(error.mfa_requirements).toEqual({ challenge: [{ type: 'otp' }] });
    const handle = error.mfa_token;
    expect(await facade.mfaGetEnrollmentFactors(handle)).toEqual([]);
    const authenticators = await facade.mfaGetAuthenticators(handle);
    expect(authenticators).toEqual([
      expect.objectContaining({ authenticatorType: 'otp', active: true, id: expect.any(String) }),
    ]);
    expect(
      await facade.mfaChallenge({
        mfaToken: handle,
        challengeType: 'otp',
        authenticatorId: authenticators[0]?.id as string,
      }),
    ).toEqual({ challengeType: 'otp' });
    const verified = await facade.mfaVerify({ mfaToken: handle, recoveryCode });
    expect(verified.recovery_code).toEqual(expect.any(String));
    expect(verified.recovery_code).not.toBe(recoveryCode);
    await expect(facade.checkSession({ audience: STEP_UP })).resolves.toMatchObject({
      authenticated: true,
    });
  });
});

describe('handles', () => {
  it('expire with the mfa_token (10 minutes), then are unknown', async () => {
    const { worker, facade } = await loggedIn();
    const handle = (await stepUpRefused(facade)).mfa_token;
    worker.clock.offsetMs += 10 * 60 * 1000 + 1;
    await expect(facade.mfaEnroll({ mfaToken: handle, factorType: 'otp' })).rejects.toMatchObject({
      name: 'MfaError',
      error: 'expired_token',
    });
    await expect(facade.mfaGetEnrollmentFactors(handle)).rejects.toMatchObject({
      error: 'mfa_context_not_found',
    });
  });

  it('are dropped on logout', async () => {
    const { facade } = await loggedIn();
    const handle = (await stepUpRefused(facade)).mfa_token;
    await facade.logout({ localOnly: true });
    await expect(facade.mfaGetAuthenticators(handle)).rejects.toMatchObject({
      error: 'mfa_context_not_found',
    });
  });

  it('refuses unknown handles and malformed arguments with typed errors', async () => {
    const { facade } = await loggedIn();
    const handle = (await stepUpRefused(facade)).mfa_token;
    const loose = facade as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await expect(facade.mfaGetEnrollmentFactors('enclave-mfa:forged')).rejects.toBeInstanceOf(
      MfaError,
    );
    await expect(loose.mfaGetAuthenticators?.(42)).rejects.toThrow(TypeError);
    await expect(loose.mfaEnroll?.({ mfaToken: handle, factorType: 'fax' })).rejects.toThrow(
      /"params.factorType"/,
    );
    await expect(loose.mfaEnroll?.({ mfaToken: handle, factorType: 'sms' })).rejects.toThrow(
      /"params.phoneNumber"/,
    );
    await expect(loose.mfaChallenge?.({ mfaToken: handle, challengeType: 'push' })).rejects.toThrow(
      /"params.challengeType"/,
    );
    await expect(loose.mfaVerify?.({ mfaToken: handle })).rejects.toThrow(/"params.otp"/);
    await expect(loose.mfaVerify?.({ mfaToken: handle, otp: 123456 })).rejects.toThrow(TypeError);
    // None of that spent the handle.
    expect(await facade.mfaGetEnrollmentFactors(handle)).toHaveLength(2);
  });
});

describe('what is persisted', () => {
  it('only the session’s DPoP-bound refresh tokens: no mfa_token, handle, secret or code', async () => {
    const { worker, facade } = await loggedIn();
    const handle = (await stepUpRefused(facade)).mfa_token;
    const mfaToken = worker.refusals
      .map((body) => JSON.parse(body))
      .find((b) => b.mfa_token).mfa_token;
    const { enrollment } = await enrollOtp(facade, handle);
    const vault = await readVault(worker.vaultName);
    const text = JSON.stringify(vault);
    for (const secret of [
      handle,
      mfaToken,
      (enrollment as { secret: string }).secret,
      ...(enrollment.recoveryCodes ?? []),
    ]) {
      expect(text).not.toContain(secret);
    }
    const session = vault.session?.[0] as StoredSession;
    expect(
      Object.values(session.refreshTokens).map((token) => [token.audience, token.dpopBound]),
    ).toEqual([
      [API, true],
      [STEP_UP, true],
    ]);
    expect(vault.transactions).toEqual([]);
    expect(vault.results).toEqual([]);
  });
});
