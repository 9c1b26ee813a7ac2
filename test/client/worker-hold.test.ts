import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { MfaApiClient } from '../../src/client/mfa.js';
import { PasskeyApiClient } from '../../src/client/passkey.js';
import { WorkerConnection } from '../../src/client/worker-connection.js';
import { PasskeyError } from '../../src/core/errors.js';
import { MESSAGE } from '../../src/rpc/protocol.js';

// While the user scans a QR code or touches a security key, the worker holds the flow's state in
// memory only; the page keeps it up with the connection's keep-alive pings for a bounded time.
const pings: unknown[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('navigator', {
    serviceWorker: { controller: { postMessage: (message: unknown) => pings.push(message) } },
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  pings.length = 0;
});

function connection(): WorkerConnection {
  return new WorkerConnection({
    workerUrl: '/auth-worker.js',
    workerType: 'module',
    connectTimeoutMs: 1000,
    callTimeoutMs: 1000,
  });
}

test('a hold pings the worker every 10 s until released, and releasing twice is harmless', () => {
  const release = connection().hold(60_000);
  vi.advanceTimersByTime(25_000);
  expect(pings).toEqual([{ type: MESSAGE.keepAlive }, { type: MESSAGE.keepAlive }]);
  release();
  release();
  vi.advanceTimersByTime(60_000);
  expect(pings).toHaveLength(2);
});

test('a hold ends by itself at its limit; another one keeps the pings going until it ends', () => {
  const worker = connection();
  worker.hold(15_000);
  const second = worker.hold(60_000);
  vi.advanceTimersByTime(30_000);
  expect(pings).toHaveLength(3);
  second();
  vi.advanceTimersByTime(60_000);
  expect(pings).toHaveLength(3);
});

test('auth0.mfa holds the worker from its first call until verify, for at most 10 minutes', async () => {
  const held: number[] = [];
  let released = 0;
  const fake = {
    call: vi.fn(async () => ({})),
    hold: (ms: number) => {
      held.push(ms);
      return () => {
        released++;
      };
    },
  };
  const mfa = new MfaApiClient(fake as unknown as WorkerConnection);
  await mfa.getAuthenticators('enclave-mfa:h');
  await mfa.challenge({ mfaToken: 'enclave-mfa:h', challengeType: 'otp' });
  // Each call starts the limit anew: the previous hold ends as the next begins.
  expect(held).toEqual([600_000, 600_000]);
  expect(released).toBe(1);
  await mfa.verify({ mfaToken: 'enclave-mfa:h', otp: '123456' });
  expect(released).toBe(3);
  expect(fake.call).toHaveBeenLastCalledWith('mfaVerify', {
    mfaToken: 'enclave-mfa:h',
    otp: '123456',
  });
});

test('auth0.passkey loads its ceremonies on first use: a missing credential is passkey_cancelled', async () => {
  const fake = { call: vi.fn(), hold: () => () => {} };
  const passkey = new PasskeyApiClient(fake as unknown as WorkerConnection);
  const failure = await passkey
    .getTokenWithPasskey({ authSession: 'c1', credential: null as never })
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(PasskeyError);
  expect(failure).toMatchObject({ error: 'passkey_cancelled' });
  expect(fake.call).not.toHaveBeenCalled();
});
