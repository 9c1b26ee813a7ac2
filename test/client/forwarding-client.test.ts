// auth0.myAccount and auth0.anonymous on the page are forwarders (src/client/forwarding-client.ts):
// each method name becomes one worker call of the prefixed name with the same arguments;
// awaiting the sub-client calls nothing; anonymous.hasSession() answers from what the page last
// heard. The worker side of each call is tested against the real tenant in test/worker.
import { describe, expect, it } from 'vitest';
import { anonymousOwn } from '../../src/client/anonymous.js';
import { forwardingClient } from '../../src/client/forwarding-client.js';
import type { AnonymousSessionApiClient, MyAccountApiClient } from '../../src/client/index.js';
import type { WorkerConnection } from '../../src/client/worker-connection.js';

function recorder(fail = false) {
  const calls: unknown[][] = [];
  const connection = {
    call: async (...args: unknown[]) => {
      calls.push(args);
      if (fail) throw new Error('refused');
      return { answered: args[0] };
    },
  } as unknown as Pick<WorkerConnection, 'call'>;
  return { calls, connection };
}

describe('forwarding sub-clients', () => {
  it('forwards each method to the prefixed worker method with its arguments', async () => {
    const { calls, connection } = recorder();
    const myAccount = forwardingClient<MyAccountApiClient>(connection, 'myAccount');
    expect(await myAccount.getFactors()).toEqual({ answered: 'myAccountGetFactors' });
    await myAccount.updateAuthenticationMethod('totp|1', { name: 'Phone' });
    await myAccount.enrollmentChallenge({ type: 'totp' });
    expect(calls).toEqual([
      ['myAccountGetFactors'],
      ['myAccountUpdateAuthenticationMethod', 'totp|1', { name: 'Phone' }],
      ['myAccountEnrollmentChallenge', { type: 'totp' }],
    ]);
  });

  it('is not a thenable: awaiting the sub-client calls nothing', async () => {
    const { calls, connection } = recorder();
    const myAccount = forwardingClient<MyAccountApiClient>(connection, 'myAccount');
    expect(await Promise.resolve(myAccount)).toBe(myAccount);
    expect(calls).toEqual([]);
  });

  it('is not probed into calls: printing, serialising or spreading it forwards nothing', () => {
    const { calls, connection } = recorder();
    const myAccount = forwardingClient<MyAccountApiClient>(connection, 'myAccount');
    expect(String(myAccount)).toBe('[object Object]');
    expect(JSON.stringify({ myAccount })).toBe('{"myAccount":{}}');
    expect({ ...myAccount }).toEqual({});
    expect(calls).toEqual([]);
  });

  it('anonymous.hasSession() follows what the page heard; getClaims() is null', async () => {
    const { calls, connection } = recorder();
    const anonymous = forwardingClient<AnonymousSessionApiClient>(
      connection,
      'anonymous',
      anonymousOwn(),
    );
    expect(anonymous.hasSession()).toBe(false);
    expect(anonymous.getClaims()).toBeNull();
    await anonymous.getTokenSilently({ audience: 'https://api.example.com/' });
    expect(anonymous.hasSession()).toBe(true);
    await anonymous.logout();
    expect(anonymous.hasSession()).toBe(false);
    expect(calls.map((call) => call[0])).toEqual(['anonymousGetTokenSilently', 'anonymousLogout']);
  });

  it('a failed call changes nothing the page heard', async () => {
    const { connection } = recorder(true);
    const anonymous = forwardingClient<AnonymousSessionApiClient>(
      connection,
      'anonymous',
      anonymousOwn(),
    );
    await expect(anonymous.createSession()).rejects.toThrow('refused');
    expect(anonymous.hasSession()).toBe(false);
  });
});
