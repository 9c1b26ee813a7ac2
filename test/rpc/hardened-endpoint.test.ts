import { createEndpoint, expose, proxy, releaseProxy, wrap } from 'comlink';
import { afterEach, beforeAll, describe, expect, it, type Mock, vi } from 'vitest';
import { NotAllowedError, RpcRejectedError } from '../../src/core/errors.js';
import {
  deserializeError,
  installErrorTransfer,
  type SerializedError,
} from '../../src/rpc/errors.js';
import { check, hardenedEndpoint } from '../../src/rpc/hardened-endpoint.js';
import type { WorkerApi, WorkerMethod } from '../../src/rpc/protocol.js';
import { WORKER_METHODS } from '../helpers/worker-methods.js';

const ALLOWED: ReadonlySet<string> = new Set(WORKER_METHODS);

/** What a page script can do with wrap()'s proxy: walk any path, call or construct anything. */
interface Walk {
  (...args: unknown[]): Promise<unknown>;
  new (...args: unknown[]): Promise<unknown>;
  constructor: Walk;
  __proto__: Walk;
  toString: Walk;
  call: Walk;
  startLogin: Walk;
  getSession: Walk;
  [createEndpoint]: Walk;
}

type SpyFacade = { [K in WorkerMethod]: Mock };

/** A facade shaped like createFacade's (frozen, null prototype), whose methods are spies. */
function spyFacade(): SpyFacade {
  const methods = Object.create(null) as SpyFacade;
  for (const name of WORKER_METHODS)
    methods[name] = vi.fn(async (...args: unknown[]) => ({ method: name, args }));
  methods.startLogin.mockImplementation(async () => 'https://tenant.example.com/authorize?x=1');
  methods.getTokenSilently.mockImplementation(async () => {
    throw new NotAllowedError({ message: 'Audience not allowed.' });
  });
  return Object.freeze(methods);
}

function calls(facade: SpyFacade): number {
  return Object.values(facade).reduce((total, spy) => total + spy.mock.calls.length, 0);
}

const opened: MessagePort[] = [];
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});
beforeAll(() => installErrorTransfer());

/**
 * The worker side: Comlink's real expose() behind the hardened endpoint. The page side is the
 * raw port (to send anything at all) and Comlink's wrap() on it (to call as the client does).
 */
function connection() {
  const facade = spyFacade();
  const { port1: page, port2: worker } = new MessageChannel();
  opened.push(page, worker);
  expose(facade, hardenedEndpoint(worker, ALLOWED));
  const replies: Record<string, unknown>[] = [];
  page.addEventListener('message', (event) => replies.push(event.data));
  page.start();
  const remote = wrap<WorkerApi>(page);

  /** Sends a raw message and resolves with the reply carrying `id`. */
  const send = (message: unknown, transfer: Transferable[] = []) => {
    page.postMessage(message, transfer);
  };
  const replyTo = async (id: string) => {
    await vi.waitFor(() => expect(replies.some((reply) => reply.id === id)).toBe(true), {
      timeout: 2000,
      interval: 2,
    });
    return replies.find((reply) => reply.id === id) as Record<string, unknown>;
  };
  /**
   * Messages are delivered in order, and a refused one is answered synchronously: once the reply
   * to a later, valid call is in, every reply to earlier messages is too.
   */
  const settle = async () => {
    const id = `sentinel-${crypto.randomUUID()}`;
    send({ id, type: 'APPLY', path: ['getSession'], argumentList: [] });
    await replyTo(id);
    facade.getSession.mockClear();
    replies.splice(
      replies.findIndex((reply) => reply.id === id),
      1,
    );
  };
  return { facade, remote, send, replyTo, settle, replies, page };
}

/** The error a reply carries, rebuilt as the page rebuilds it. */
function rejection(reply: Record<string, unknown>): Error {
  expect(reply).toMatchObject({ type: 'HANDLER', name: 'throw' });
  return deserializeError(reply.value as SerializedError);
}

describe('allowed calls', () => {
  it('single-name calls with plain arguments reach the facade and answer', async () => {
    const { remote, facade } = connection();
    expect(await remote.startLogin({ appState: { to: '/x' } })).toBe(
      'https://tenant.example.com/authorize?x=1',
    );
    expect(facade.startLogin).toHaveBeenCalledWith({ appState: { to: '/x' } });
    expect(await remote.getDpopNonce('https://api.example.com')).toEqual({
      method: 'getDpopNonce',
      args: ['https://api.example.com'],
    });
    expect(await remote.getSession()).toEqual({ method: 'getSession', args: [] });
    expect(calls(facade)).toBe(3);
  });

  it('errors thrown by the facade arrive as their class', async () => {
    const { remote } = connection();
    await expect(remote.getTokenSilently()).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('every method of the API is callable, and nothing else', async () => {
    const { remote, facade } = connection();
    for (const name of WORKER_METHODS) {
      if (name === 'getTokenSilently' || name === 'startLogin') continue;
      await (remote[name] as () => Promise<unknown>)();
      expect(facade[name]).toHaveBeenCalledTimes(1);
    }
  });
});

describe('everything else is refused with RpcRejectedError and never reaches the facade', () => {
  it.each([
    ['GET of a method', { type: 'GET', path: ['startLogin'] }],
    ['GET of the root', { type: 'GET', path: [] }],
    ['GET of constructor', { type: 'GET', path: ['constructor'] }],
    [
      'SET of a method',
      { type: 'SET', path: ['getTokenSilently'], value: { type: 'RAW', value: 1 } },
    ],
    [
      'SET of a new property',
      { type: 'SET', path: ['exposeAccessTokens'], value: { type: 'RAW', value: true } },
    ],
    [
      'SET on the prototype chain',
      { type: 'SET', path: ['__proto__', 'polluted'], value: { type: 'RAW', value: 1 } },
    ],
    ['CONSTRUCT of a method', { type: 'CONSTRUCT', path: ['startLogin'], argumentList: [] }],
    ['ENDPOINT', { type: 'ENDPOINT' }],
    ['RELEASE', { type: 'RELEASE' }],
    ['an unknown type', { type: 'EVAL', path: ['startLogin'] }],
    ['no type', { path: ['startLogin'], argumentList: [] }],
    ['a lower-case type', { type: 'apply', path: ['startLogin'], argumentList: [] }],
    [
      'constructor.constructor',
      { type: 'APPLY', path: ['constructor', 'constructor'], argumentList: [] },
    ],
    ['__proto__', { type: 'APPLY', path: ['__proto__'], argumentList: [] }],
    ['startLogin.call', { type: 'APPLY', path: ['startLogin', 'call'], argumentList: [] }],
    ['startLogin.apply', { type: 'APPLY', path: ['startLogin', 'apply'], argumentList: [] }],
    ['startLogin.bind', { type: 'APPLY', path: ['startLogin', 'bind'], argumentList: [] }],
    ['a repeated name', { type: 'APPLY', path: ['startLogin', 'startLogin'], argumentList: [] }],
    ['the root', { type: 'APPLY', path: [], argumentList: [] }],
    ['an unknown name', { type: 'APPLY', path: ['exportKey'], argumentList: [] }],
    ['toString', { type: 'APPLY', path: ['toString'], argumentList: [] }],
    ['hasOwnProperty', { type: 'APPLY', path: ['hasOwnProperty'], argumentList: [] }],
    ['then', { type: 'APPLY', path: ['then'], argumentList: [] }],
    ['an empty name', { type: 'APPLY', path: [''], argumentList: [] }],
    ['a differently cased name', { type: 'APPLY', path: ['StartLogin'], argumentList: [] }],
    ['a path that is a string', { type: 'APPLY', path: 'startLogin', argumentList: [] }],
    ['a path of a number', { type: 'APPLY', path: [0], argumentList: [] }],
    ['a path of an array', { type: 'APPLY', path: [['startLogin']], argumentList: [] }],
    ['no path', { type: 'APPLY', argumentList: [] }],
    [
      'arguments that are not a list',
      { type: 'APPLY', path: ['startLogin'], argumentList: { type: 'RAW' } },
    ],
    [
      'too many arguments',
      {
        type: 'APPLY',
        path: ['getSession'],
        argumentList: Array(5).fill({ type: 'RAW', value: 1 }),
      },
    ],
    ['a bare argument', { type: 'APPLY', path: ['startLogin'], argumentList: [{}] }],
    ['a null argument', { type: 'APPLY', path: ['startLogin'], argumentList: [null] }],
    [
      'a primitive argument',
      { type: 'APPLY', path: ['redeemCallback'], argumentList: ['https://x'] },
    ],
    [
      'a HANDLER argument without a port',
      {
        type: 'APPLY',
        path: ['startLogin'],
        argumentList: [{ type: 'HANDLER', name: 'proxy', value: null }],
      },
    ],
    [
      'a HANDLER argument for "throw"',
      {
        type: 'APPLY',
        path: ['startLogin'],
        argumentList: [{ type: 'HANDLER', name: 'throw', value: {} }],
      },
    ],
    [
      'a RAW then a HANDLER argument',
      {
        type: 'APPLY',
        path: ['logout'],
        argumentList: [
          { type: 'RAW', value: {} },
          { type: 'HANDLER', name: 'proxy' },
        ],
      },
    ],
  ])('%s', async (_, message) => {
    const { facade, send, replyTo, settle } = connection();
    const id = crypto.randomUUID();
    send({ id, ...message });
    const error = rejection(await replyTo(id));
    expect(error).toBeInstanceOf(RpcRejectedError);
    expect((error as RpcRejectedError).code).toBe('rpc_rejected');
    await settle();
    expect(calls(facade)).toBe(0);
  });

  it('a numeric id is answered too', async () => {
    const { send, replies, settle } = connection();
    send({ id: 7, type: 'GET', path: ['startLogin'] });
    await settle();
    expect(replies).toHaveLength(1);
    expect(rejection(replies[0] as Record<string, unknown>)).toBeInstanceOf(RpcRejectedError);
  });

  it('an argument carrying a live MessagePort (a Comlink proxy) is refused, and the callback never runs', async () => {
    const { remote, facade, settle } = connection();
    const callback = vi.fn(() => 'called back');
    const attempt = (remote.startLogin as unknown as (value: unknown) => Promise<unknown>)(
      proxy({ callback }),
    );
    await expect(attempt).rejects.toBeInstanceOf(RpcRejectedError);
    await settle();
    expect(calls(facade)).toBe(0);
    expect(callback).not.toHaveBeenCalled();
  });

  it('a raw HANDLER/proxy argument with a transferred port is refused and the port is never used', async () => {
    const { facade, send, replyTo, settle } = connection();
    const { port1: attackerEnd, port2: transferred } = new MessageChannel();
    opened.push(attackerEnd, transferred);
    const received = vi.fn();
    attackerEnd.addEventListener('message', received);
    attackerEnd.start();
    const id = crypto.randomUUID();
    send(
      {
        id,
        type: 'APPLY',
        path: ['startLogin'],
        argumentList: [{ type: 'HANDLER', name: 'proxy', value: transferred }],
      },
      [transferred],
    );
    expect(rejection(await replyTo(id))).toBeInstanceOf(RpcRejectedError);
    await settle();
    expect(calls(facade)).toBe(0);
    expect(received).not.toHaveBeenCalled();
  });

  it('property walks through wrap() are refused like the raw messages', async () => {
    const { remote, facade, settle } = connection();
    const loose = remote as unknown as Walk;
    await expect(loose.constructor.constructor('return process')).rejects.toBeInstanceOf(
      RpcRejectedError,
    );
    await expect(loose.startLogin.call(null, {})).rejects.toBeInstanceOf(RpcRejectedError);
    // biome-ignore lint/suspicious/noProto: the walk a hostile page would try
    await expect(loose.__proto__.toString()).rejects.toBeInstanceOf(RpcRejectedError);
    await expect(Promise.resolve(loose.getSession)).rejects.toBeInstanceOf(RpcRejectedError);
    await expect(new loose.startLogin()).rejects.toBeInstanceOf(RpcRejectedError);
    await expect(loose[createEndpoint]()).rejects.toBeInstanceOf(RpcRejectedError);
    await settle();
    expect(calls(facade)).toBe(0);
  });

  it('a refused RELEASE does not detach the facade: calls keep working', async () => {
    const { remote, send, replyTo, facade } = connection();
    const id = crypto.randomUUID();
    send({ id, type: 'RELEASE' });
    expect(rejection(await replyTo(id))).toBeInstanceOf(RpcRejectedError);
    await expect(remote.getSession()).resolves.toEqual({ method: 'getSession', args: [] });
    expect(calls(facade)).toBe(1);
  });

  it('releaseProxy from the page does not close the worker side either', async () => {
    const { remote, page } = connection();
    const second = wrap<WorkerApi>(page);
    second[releaseProxy]();
    await expect(remote.getSession()).resolves.toMatchObject({ method: 'getSession' });
  });

  it('a refused SET changes nothing on the facade', async () => {
    const { facade, send, replyTo, remote } = connection();
    const id = crypto.randomUUID();
    send({ id, type: 'SET', path: ['getSession'], value: { type: 'RAW', value: 'hijacked' } });
    await replyTo(id);
    expect(typeof facade.getSession).toBe('function');
    await expect(remote.getSession()).resolves.toEqual({ method: 'getSession', args: [] });
  });
});

describe('malformed messages', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'APPLY startLogin'],
    ['a number', 42],
    ['an array', [{ type: 'APPLY', path: ['startLogin'] }]],
    ['an object with an object id', { id: { x: 1 }, type: 'GET', path: ['startLogin'] }],
    ['an object with a null id', { id: null, type: 'GET', path: ['startLogin'] }],
    ['a refused call without an id', { type: 'GET', path: ['startLogin'] }],
    ['a property walk without an id', { type: 'APPLY', path: ['constructor', 'constructor'] }],
    ['an allowed call without an id', { type: 'APPLY', path: ['logout'], argumentList: [] }],
    ['an allowed call with a null id', { id: null, type: 'APPLY', path: ['logout'] }],
  ])('%s gets no reply and reaches nothing', async (_, message) => {
    const { facade, send, replies, settle } = connection();
    send(message);
    await settle();
    expect(replies).toEqual([]);
    expect(calls(facade)).toBe(0);
  });
});

describe('check()', () => {
  it('says ok only for an APPLY of one allowed name with RAW arguments', () => {
    expect(check({ id: 'a', type: 'APPLY', path: ['getSession'] }, ALLOWED)).toBe('ok');
    expect(check({ id: 1, type: 'APPLY', path: ['getSession'], argumentList: [] }, ALLOWED)).toBe(
      'ok',
    );
    expect(
      check(
        {
          id: 'b',
          type: 'APPLY',
          path: ['logout'],
          argumentList: [{ type: 'RAW', value: { localOnly: true } }],
        },
        ALLOWED,
      ),
    ).toBe('ok');
    expect(check({ type: 'APPLY', path: ['getSession'] }, ALLOWED)).not.toBe('ok');
    expect(check({ id: 'c', type: 'APPLY', path: ['getSession'] }, new Set())).not.toBe('ok');
    // Names are checked against the given set, not against what the object happens to have.
    expect(check({ id: 'd', type: 'APPLY', path: ['valueOf'] }, ALLOWED)).not.toBe('ok');
  });
});
