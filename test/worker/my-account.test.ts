// auth0.myAccount.* through the worker's facade, against the real local tenant: the worker gets
// its own DPoP-bound token for `<issuer>me/` (one scope per call), the page gets the API's data
// and an enrollment handle, never a token or the API's auth_session; refusals are
// MyAccountApiError with the problem details; bad arguments are TypeErrors before any request.
import 'fake-indexeddb/auto';
import { adminGet, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { generate } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginRequiredError, MyAccountApiError } from '../../src/core/errors.js';
import type { WorkerApi } from '../../src/rpc/protocol.js';
import { createFacade } from '../../worker/facade.js';
import { myAccountApi } from '../../worker/my-account.js';
import { createWorker, loginThroughWorker, type WorkerHarness } from '../helpers/worker-harness.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
const me = `${issuer}me/`;

async function loggedIn(): Promise<{ worker: WorkerHarness; facade: WorkerApi }> {
  const worker = createWorker({ issuer, features: [myAccountApi] });
  expect((await loginThroughWorker(worker, issuer)).error).toBeUndefined();
  return { worker, facade: createFacade(worker.deps, 'tab-1') };
}

/** Everything the page received, as one string, to look for secrets in. */
function seen(...values: unknown[]): string {
  return JSON.stringify(values);
}

describe('auth0.myAccount through the worker', () => {
  it('lists factors and methods with a DPoP-bound token of the call’s one scope', async () => {
    const { worker, facade } = await loggedIn();
    const factors = await facade.myAccountGetFactors();
    expect(factors.map((factor) => factor.type)).toContain('totp');
    const methods = await facade.myAccountGetAuthenticationMethods();
    expect(methods).toEqual([expect.objectContaining({ type: 'password' })]);
    expect(await facade.myAccountGetAuthenticationMethods('totp')).toEqual([]);
    const token = await worker.session.cachedAccessToken({
      audience: me,
      scope: 'read:me:authentication_methods',
    });
    expect(token?.tokenType).toBe('DPoP');
    expect(decodeJwt(token?.accessToken ?? '').scope).toBe('read:me:authentication_methods');
    expect(seen(factors, methods)).not.toContain(token?.accessToken);
  });

  it('enrolls TOTP with a handle for auth_session, then renames and deletes it', async () => {
    const { facade } = await loggedIn();
    const challenge = await facade.myAccountEnrollmentChallenge({ type: 'totp' });
    if (challenge.type !== 'totp') throw new Error('expected a TOTP challenge');
    expect(challenge.auth_session).toMatch(/^enclave-enroll:/);
    expect(challenge.location).toMatch(new RegExp(`^${me}v1/authentication-methods/`));
    expect(challenge.id).toMatch(/^totp\|dev_/);
    expect(challenge.barcode_uri).toMatch(/^otpauth:/);
    const secret = new URL(challenge.barcode_uri).searchParams.get('secret') ?? '';
    const method = await facade.myAccountEnrollmentVerify({
      type: 'totp',
      location: challenge.location,
      auth_session: challenge.auth_session,
      otp_code: await generate({ secret }),
    });
    expect(method).toMatchObject({ id: challenge.id, type: 'totp', confirmed: true });
    const renamed = await facade.myAccountUpdateAuthenticationMethod(method.id, { name: 'Phone' });
    expect(renamed).toMatchObject({ id: method.id, name: 'Phone' });
    expect(await facade.myAccountGetAuthenticationMethod(method.id)).toMatchObject({
      name: 'Phone',
    });
    await facade.myAccountDeleteAuthenticationMethod(method.id);
    const gone = await facade.myAccountGetAuthenticationMethod(method.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(MyAccountApiError);
    expect(gone).toMatchObject({ status: 404, title: 'Not Found', code: 'my_account_api_error' });
  });

  it('a handle is spent by a successful verify and unknown handles are refused', async () => {
    const { facade } = await loggedIn();
    const challenge = await facade.myAccountEnrollmentChallenge({ type: 'recovery-code' });
    const verify = {
      type: 'recovery-code' as const,
      location: challenge.location,
      auth_session: challenge.auth_session,
    };
    await facade.myAccountEnrollmentVerify(verify);
    const again = await facade.myAccountEnrollmentVerify(verify).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MyAccountApiError);
    expect(again).toMatchObject({ type: 'enrollment_not_found', status: 400 });
    const forged = await facade
      .myAccountEnrollmentVerify({ ...verify, auth_session: 'real-looking-session' })
      .catch((e: unknown) => e);
    expect(forged).toMatchObject({ type: 'enrollment_not_found' });
  });

  it('verify posts only to the Location the API answered, never to a page-chosen URL', async () => {
    const { worker, facade } = await loggedIn();
    const challenge = await facade.myAccountEnrollmentChallenge({ type: 'totp' });
    const before = worker.calls.length;
    const error = await facade
      .myAccountEnrollmentVerify({
        type: 'totp',
        location: 'https://evil.example/collect',
        auth_session: challenge.auth_session,
        otp_code: '123456',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(worker.calls.slice(before).some((call) => call.url.includes('evil'))).toBe(false);
  });

  it('a wrong code is a MyAccountApiError with the problem details', async () => {
    const { facade } = await loggedIn();
    const challenge = await facade.myAccountEnrollmentChallenge({
      type: 'email',
      email: 'alice+2fa@example.com',
    });
    const error = await facade
      .myAccountEnrollmentVerify({
        type: 'email',
        location: challenge.location,
        auth_session: challenge.auth_session,
        otp_code: '000000',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MyAccountApiError);
    expect(error).toMatchObject({
      status: 400,
      type: 'urn:auth0-enclave:problem:invalid-otp-code',
      title: 'Bad Request',
      detail: 'The code is wrong',
    });
    const outbox = (await adminGet(issuer, 'outbox')).body;
    expect(JSON.stringify(error)).not.toContain(outbox.at(-1).code);
  });

  it('validation errors of the API reach the page', async () => {
    const { facade } = await loggedIn();
    const error = await facade
      .myAccountEnrollmentChallenge({ type: 'phone', phone_number: '12' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MyAccountApiError);
    expect((error as MyAccountApiError).validation_errors?.[0]).toMatchObject({
      field: 'phone_number',
    });
  });

  it('refuses bad arguments with a TypeError before any request', async () => {
    const { worker, facade } = await loggedIn();
    const before = worker.calls.length;
    const bad: Array<() => Promise<unknown>> = [
      () => facade.myAccountGetAuthenticationMethods(7 as never),
      () => facade.myAccountGetAuthenticationMethod(''),
      () => facade.myAccountGetAuthenticationMethod(42 as never),
      () => facade.myAccountUpdateAuthenticationMethod('x', { colour: 'red' } as never),
      () =>
        facade.myAccountUpdateAuthenticationMethod('x', {
          preferred_authentication_method: 'fax' as never,
        }),
      () => facade.myAccountEnrollmentChallenge({ type: 'carrier-pigeon' } as never),
      () => facade.myAccountEnrollmentChallenge({ type: 'totp', extra: 1 } as never),
      () => facade.myAccountEnrollmentChallenge({ type: 'email' } as never),
      () => facade.myAccountEnrollmentVerify({ type: 'totp' } as never),
    ];
    for (const call of bad) expect(await call().catch((e: unknown) => e)).toBeInstanceOf(TypeError);
    expect(worker.calls.length).toBe(before);
  });

  it('without a session: LoginRequiredError, and no enrollment survives a logout', async () => {
    const { facade } = await loggedIn();
    const challenge = await facade.myAccountEnrollmentChallenge({ type: 'recovery-code' });
    await facade.logout({ localOnly: true });
    const error = await facade.myAccountGetFactors().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginRequiredError);
    const verify = await facade
      .myAccountEnrollmentVerify({
        type: 'recovery-code',
        location: challenge.location,
        auth_session: challenge.auth_session,
      })
      .catch((e: unknown) => e);
    expect(verify).toMatchObject({ type: 'enrollment_not_found' });
  });
});
