import type { Endpoint } from 'comlink';
import { RpcRejectedError } from '../core/errors.js';
import { postThrown } from './errors.js';

/** The most arguments any {@link WorkerApi} method takes, with room to spare. */
const MAX_ARGUMENTS = 4;

/**
 * Wraps a MessagePort so that Comlink's `expose()` only ever sees single-name method calls.
 *
 * By itself `expose()` lets a caller GET, SET, CONSTRUCT or APPLY along any property path —
 * `['constructor', 'constructor']` is `Function` — and its `proxy` transfer handler turns an
 * argument into a live MessagePort proxy. Here every message that is not an APPLY of one own,
 * allowed name with plain (RAW) arguments is answered with an {@link RpcRejectedError} and never
 * reaches Comlink, so it has no side effect.
 */
export function hardenedEndpoint(port: MessagePort, allowed: ReadonlySet<string>): Endpoint {
  const listeners = new Map<EventListenerOrEventListenerObject, EventListener>();
  return {
    postMessage: (message: unknown, transfer?: Transferable[]) =>
      port.postMessage(message, transfer ?? []),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const filtered: EventListener = (event) => {
        const { data } = event as MessageEvent;
        const verdict = check(data, allowed);
        if (verdict === 'ok') {
          if (typeof listener === 'function') listener(event);
          else listener.handleEvent(event);
        } else if (isObject(data) && (typeof data.id === 'string' || typeof data.id === 'number')) {
          postThrown(port, data.id, new RpcRejectedError({ message: verdict }));
        }
      };
      listeners.set(listener, filtered);
      port.addEventListener(type, filtered);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      const filtered = listeners.get(listener);
      if (filtered) port.removeEventListener(type, filtered);
      listeners.delete(listener);
    },
    start: () => port.start(),
  } as Endpoint;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `'ok'`, or why the message is refused. */
export function check(data: unknown, allowed: ReadonlySet<string>): string {
  if (!isObject(data)) return 'The message is not an RPC call.';
  // Comlink always sends one; a call nobody can be answered about is not run either.
  if (typeof data.id !== 'string' && typeof data.id !== 'number') return 'The message has no id.';
  if (data.type !== 'APPLY') return `Only method calls are accepted, not "${String(data.type)}".`;
  const path = data.path;
  if (!Array.isArray(path) || path.length !== 1 || typeof path[0] !== 'string') {
    return 'Only single-name method calls are accepted.';
  }
  if (!allowed.has(path[0])) return `"${path[0]}" is not a method of the worker.`;
  const args = data.argumentList ?? [];
  if (!Array.isArray(args) || args.length > MAX_ARGUMENTS) return 'Malformed arguments.';
  for (const arg of args) {
    if (!isObject(arg) || arg.type !== 'RAW') return 'Arguments must be plain data.';
  }
  return 'ok';
}
