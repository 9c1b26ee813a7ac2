import { type Endpoint, transferHandlers } from 'comlink';
import * as classes from '../core/errors.js';

/**
 * Errors cross the boundary as `{ name, code, error, message, …plain fields }` and are rebuilt
 * by their class's constructor on the other side, so `err instanceof PopupCancelledError` and
 * `err.error === 'mfa_required'` work on the page exactly as in the worker. No `stack` and no
 * `cause` cross (they could name internals or carry a response); only plain values of the error's
 * own fields do, minus any field named like a credential.
 */

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  error?: string;
  fields: Record<string, unknown>;
}

/** Every error class by its `name`, read from the prototype (which minifiers leave alone). */
// No prototype: a name like "constructor" or "__proto__" must not find Object's members.
const REGISTRY: Record<string, typeof classes.EnclaveError> = Object.create(null);
for (const value of Object.values(classes)) {
  if (typeof value === 'function' && value.prototype instanceof Error) {
    const Class = value as typeof classes.EnclaveError;
    REGISTRY[Class.prototype.name] = Class;
  }
}
REGISTRY.EnclaveError = classes.EnclaveError;

/** Field names that must never leave the worker, whatever error carries them. */
const SECRET_FIELDS = /token|verifier|secret|code$|^code_|assertion|password|otp|proof/i;
/** The worker hands the page an opaque MFA handle in `mfa_token`, never Auth0's token. */
export const MFA_HANDLE_PREFIX = 'enclave-mfa:';

function plain(value: unknown, depth = 0): unknown {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value;
  if (depth > 4 || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => plain(item, depth + 1));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const copy = plain(item, depth + 1);
    if (copy !== undefined) result[key] = copy;
  }
  return result;
}

/** Turns any thrown value into data that is safe to post to the page. */
export function serializeError(value: unknown): SerializedError {
  if (value instanceof classes.EnclaveError) {
    const fields: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (['name', 'code', 'error', 'error_description', 'message', 'stack', 'cause'].includes(key))
        continue;
      const isHandle =
        key === 'mfa_token' && typeof item === 'string' && item.startsWith(MFA_HANDLE_PREFIX);
      if (SECRET_FIELDS.test(key) && !isHandle) continue;
      const copy = plain(item);
      if (copy !== undefined) fields[key] = copy;
    }
    return {
      name: value.name,
      message: value.message,
      code: value.code,
      error: value.error,
      fields,
    };
  }
  if (value instanceof TypeError) return { name: 'TypeError', message: value.message, fields: {} };
  return {
    name: 'Error',
    message: value instanceof Error ? value.message : 'Unknown error',
    fields: {},
  };
}

/** Rebuilds the error class a {@link SerializedError} came from (unknown names become a plain `Error`). */
export function deserializeError(data: SerializedError): Error {
  if (data.name === 'TypeError') return new TypeError(data.message);
  const Class = REGISTRY[data.name];
  if (!Class || typeof data.code !== 'string') return new Error(data.message);
  // The class's own constructor: each option sets the field of the same name, so the fields are
  // the options. Only named options are read, so a field like "name" or "__proto__" cannot change
  // the error's identity; each class sets its own `code` (the data's is for the base class), and
  // no `cause` crosses.
  return new Class({
    ...data.fields,
    code: data.code as classes.ErrorCode,
    message: data.message,
    error: data.error ?? data.code,
    cause: undefined,
  });
}

type ThrowHandler = {
  canHandle(value: unknown): boolean;
  serialize(value: { value: unknown }): [unknown, Transferable[]];
  deserialize(value: unknown): unknown;
};

let installed = false;

/**
 * Replaces Comlink's `throw` transfer handler (which sends `stack` and loses the class) with
 * ours. Call once per realm, on both sides, before the first call.
 */
export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw') as unknown as ThrowHandler;
  const handler: ThrowHandler = {
    canHandle: (value) => original.canHandle(value),
    serialize: ({ value }) => [serializeError(value), []],
    deserialize: (value) => {
      throw deserializeError(value as SerializedError);
    },
  };
  transferHandlers.set('throw', handler as never);
}

/** Posts a Comlink-shaped "thrown" reply for message `id` on `endpoint`. */
export function postThrown(
  endpoint: Pick<Endpoint, 'postMessage'>,
  id: unknown,
  error: unknown,
): void {
  endpoint.postMessage({ id, type: 'HANDLER', name: 'throw', value: serializeError(error) });
}
