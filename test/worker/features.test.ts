// The optional worker features (worker/features.ts), against the real local tenant: a worker
// without a feature answers each of its methods with NotSupportedError naming the feature and the
// line that turns it on, and sends nothing (the tenant's own request log stays empty); a worker
// with one feature serves that one only; installAuthWorker's options are checked before anything
// is installed, each mistake a TypeError naming it.
import 'fake-indexeddb/auto';
import { API, REDIRECT_URI, useTenant } from 'auth0-enclave-tenant/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../src/core/errors.js';
import type { WorkerApi } from '../../src/rpc/protocol.js';
import { anonymousSessions } from '../../worker/anonymous.js';
import { completeCallback as completeLogin } from '../../worker/callback.js';
import { createFacade } from '../../worker/facade.js';
import { checkWorkerOptions, type WorkerFeature } from '../../worker/features.js';
import { myAccountApi } from '../../worker/my-account.js';
import {
  baseWorkerConfig,
  createWorker,
  loginThroughWorker,
  readVault,
} from '../helpers/worker-harness.js';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

const MY_ACCOUNT =
  'auth0.myAccount needs the worker feature myAccountApi: installAuthWorker(config, { features: [myAccountApi] })';
const ANONYMOUS =
  'auth0.anonymous needs the worker feature anonymousSessions: installAuthWorker(config, { features: [anonymousSessions] })';
const CONNECT =
  'connectAccountWithRedirect needs the worker feature myAccountApi: installAuthWorker(config, { features: [myAccountApi] })';

/** Every feature method, called with arguments its feature would accept. */
const CALLS: [keyof WorkerApi, (api: WorkerApi) => Promise<unknown>, string][] = [
  ['myAccountGetFactors', (api) => api.myAccountGetFactors(), MY_ACCOUNT],
  [
    'myAccountGetAuthenticationMethods',
    (api) => api.myAccountGetAuthenticationMethods(),
    MY_ACCOUNT,
  ],
  [
    'myAccountGetAuthenticationMethod',
    (api) => api.myAccountGetAuthenticationMethod('totp|1'),
    MY_ACCOUNT,
  ],
  [
    'myAccountUpdateAuthenticationMethod',
    (api) => api.myAccountUpdateAuthenticationMethod('totp|1', { name: 'Phone' }),
    MY_ACCOUNT,
  ],
  [
    'myAccountDeleteAuthenticationMethod',
    (api) => api.myAccountDeleteAuthenticationMethod('totp|1'),
    MY_ACCOUNT,
  ],
  [
    'myAccountEnrollmentChallenge',
    (api) => api.myAccountEnrollmentChallenge({ type: 'totp' }),
    MY_ACCOUNT,
  ],
  [
    'myAccountEnrollmentVerify',
    (api) =>
      api.myAccountEnrollmentVerify({
        type: 'totp',
        location: 'https://tenant.example/me/v1/authentication-methods/totp|1',
        auth_session: 'enclave-enroll:x',
        otp_code: '123456',
      }),
    MY_ACCOUNT,
  ],
  ['startConnect', (api) => api.startConnect({ connection: 'google-oauth2' }), CONNECT],
  ['anonymousCreateSession', (api) => api.anonymousCreateSession({ audience: API }), ANONYMOUS],
  [
    'anonymousGetTokenSilently',
    (api) => api.anonymousGetTokenSilently({ audience: API }),
    ANONYMOUS,
  ],
  ['anonymousLogout', (api) => api.anonymousLogout(), ANONYMOUS],
  ['anonymousHasSession', (api) => api.anonymousHasSession(), ANONYMOUS],
];

async function loggedIn(features: WorkerFeature[]) {
  const worker = createWorker({ issuer, features });
  expect((await loginThroughWorker(worker, issuer)).error).toBeUndefined();
  server.tenant.admin.clearRequests();
  return { worker, facade: createFacade(worker.deps, 'tab-1') };
}

describe('a worker without a feature', () => {
  it('answers each of its methods with NotSupportedError naming it, and sends nothing', async () => {
    // Logged in, so the My Account calls would have a session to get their token from.
    const { worker, facade } = await loggedIn([]);
    const sent = worker.calls.length;
    for (const [method, call, message] of CALLS) {
      const error = await call(facade).catch((e: unknown) => e);
      expect(error, method).toBeInstanceOf(NotSupportedError);
      expect(error, method).toMatchObject({ code: 'not_supported', message });
    }
    expect(worker.calls.length).toBe(sent);
    expect(server.tenant.admin.requests()).toEqual([]);
  });

  it('checks no argument first: whatever the page sends, the answer is the missing feature', async () => {
    const worker = createWorker({ issuer });
    const facade = createFacade(worker.deps, 'tab-1');
    const loose = facade as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const method of ['myAccountEnrollmentChallenge', 'anonymousCreateSession']) {
      const error = await loose[method]?.({ colour: 'red' }, 42).catch((e: unknown) => e);
      expect(error, method).toBeInstanceOf(NotSupportedError);
    }
    expect(server.tenant.admin.requests()).toEqual([]);
  });
});

describe('connected accounts belong to myAccountApi', () => {
  it('a connect flow started with the feature and finished by a worker without it: not_supported, nothing redeemed', async () => {
    const { worker, facade } = await loggedIn([myAccountApi]);
    const { url } = await facade.startConnect({ connection: 'google-oauth2' });
    expect(new URL(url).origin).toBe(new URL(issuer).origin);
    const stored = await readVault(worker.vaultName);
    const transaction = Object.values(stored)
      .flat()
      .find((record) => (record as { kind?: string }).kind === 'connect') as { state: string };
    expect(transaction?.state).toEqual(expect.any(String));
    // The app's next worker script dropped the feature while the user was at the provider.
    const without = createWorker({ issuer, vaultName: worker.vaultName, features: [] });
    server.tenant.admin.clearRequests();
    const result = await completeLogin(
      without.deps,
      `${REDIRECT_URI}?connect_code=c0de&state=${encodeURIComponent(transaction.state)}`,
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ name: 'NotSupportedError', message: CONNECT });
    expect(server.tenant.admin.requests()).toEqual([]);
  });
});

describe('a worker with one feature serves that one only', () => {
  it('myAccountApi: auth0.myAccount works, auth0.anonymous is not supported', async () => {
    const { facade } = await loggedIn([myAccountApi]);
    const factors = await facade.myAccountGetFactors();
    expect(factors.map((factor) => factor.type)).toContain('totp');
    const error = await facade.anonymousCreateSession({ audience: API }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_supported', message: ANONYMOUS });
    expect(server.tenant.admin.requests({ path: '/anonymous/token' })).toEqual([]);
  });

  it('anonymousSessions: auth0.anonymous works, auth0.myAccount is not supported', async () => {
    const { facade } = await loggedIn([anonymousSessions]);
    const error = await facade.myAccountGetFactors().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_supported', message: MY_ACCOUNT });
    expect(server.tenant.admin.requests()).toEqual([]);
    const session = await facade.anonymousCreateSession({ audience: API });
    expect(session.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(await facade.anonymousHasSession()).toBe(true);
  });

  it('both, listed twice: each serves its own', async () => {
    const { facade } = await loggedIn([myAccountApi, anonymousSessions, myAccountApi]);
    expect(await facade.myAccountGetFactors()).not.toEqual([]);
    expect(await facade.anonymousHasSession()).toBe(false);
  });
});

describe("installAuthWorker's options", () => {
  it.each([
    [undefined, 0],
    [{}, 0],
    [{ features: [] }, 0],
    [{ features: [myAccountApi] }, 1],
    [{ features: [anonymousSessions, myAccountApi] }, 2],
  ])('accepts %o', (options, count) => {
    expect(checkWorkerOptions(options)).toHaveLength(count);
  });

  it.each([
    ['null', null, '"options" must be an object'],
    ['an array', [myAccountApi], '"options" must be an object'],
    [
      'an unknown option',
      { feature: [myAccountApi] },
      '"options.feature" is not a supported option',
    ],
    ['features not an array', { features: myAccountApi }, '"options.features" must be an array'],
    [
      "a feature's name as a string",
      { features: [myAccountApi, 'anonymousSessions'] },
      '"options.features[1]" ("anonymousSessions") is not a worker feature',
    ],
    [
      'the Vite option’s name',
      { features: ['myAccount'] },
      '"options.features[0]" ("myAccount") is not a worker feature',
    ],
    [
      'an import that resolved to nothing',
      { features: [undefined] },
      '"options.features[0]" (undefined) is not a worker feature',
    ],
    [
      'an object that only looks like one',
      { features: [{ name: 'myAccountApi' }] },
      '"options.features[0]" (object) is not a worker feature',
    ],
    [
      'an unknown feature name',
      { features: [{ name: 'passkeys', methods: {} }] },
      '"options.features[0]" (object) is not a worker feature',
    ],
  ])('refuses %s with a TypeError naming it', (_, options, message) => {
    const error = (() => {
      try {
        checkWorkerOptions(options);
      } catch (caught) {
        return caught;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(`Auth worker: ${message}`);
  });

  it('are checked by installAuthWorker before anything is installed', async () => {
    // Imported by a path the Node-side type check does not follow (install.ts needs the
    // WebWorker lib). In Node there is no service-worker global: had installAuthWorker gone
    // further than the options check, it would fail on `self` instead.
    const path: string = '../../worker/install.js';
    const { installAuthWorker } = (await import(path)) as {
      installAuthWorker: (config: unknown, options: unknown) => void;
    };
    expect(() =>
      installAuthWorker(baseWorkerConfig(issuer), {
        features: ['myAccountApi' as unknown as WorkerFeature],
      }),
    ).toThrow(
      new TypeError(
        `Auth worker: "options.features[0]" ("myAccountApi") is not a worker feature: pass myAccountApi or anonymousSessions from 'auth0-enclave/worker'.`,
      ),
    );
  });
});
