import { expose, wrap } from 'comlink';
import { afterEach, expect, test } from 'vitest';
import {
  MfaRequiredError,
  PopupCancelledError,
  WorkerUnavailableError,
} from '../../src/core/errors.js';
import { installErrorTransfer } from '../../src/rpc/errors.js';
import { installErrorRebuild } from '../../src/rpc/rebuild-error.js';

// The page installs only the rebuilding half of the error transfer (it never answers a call), so
// its bundle carries no serialiser. The worker's half, installed later in the same realm (as in
// these tests), must still take over sending.
const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function connect<T>(exposed: T) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  expose(exposed, port2);
  return wrap<T>(port1);
}

test('the page half rebuilds what the worker half sends, class and plain fields', async () => {
  installErrorRebuild();
  installErrorTransfer();
  const remote = connect({
    async cancelled(): Promise<void> {
      throw new PopupCancelledError();
    },
    async stepUp(): Promise<void> {
      throw Object.assign(
        new MfaRequiredError({ mfa_token: 'enclave-mfa:h', mfa_requirements: { challenge: [] } }),
        { refresh_token: 'rt' },
      );
    },
  });
  await expect(remote.cancelled()).rejects.toBeInstanceOf(PopupCancelledError);
  const stepUp = await remote.stepUp().catch((error: unknown) => error);
  expect(stepUp).toBeInstanceOf(MfaRequiredError);
  expect(stepUp).toMatchObject({ error: 'mfa_required', mfa_token: 'enclave-mfa:h' });
  expect(stepUp).not.toHaveProperty('refresh_token');
});

test('installing the page half again does not undo the sending half', async () => {
  installErrorRebuild();
  const remote = connect({
    async fail(): Promise<void> {
      throw Object.assign(new WorkerUnavailableError({ message: 'down' }), { access_token: 'at' });
    },
  });
  const failure = await remote.fail().catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkerUnavailableError);
  // Comlink's own serialiser would have sent every own field, and the stack.
  expect(failure).not.toHaveProperty('access_token');
});
