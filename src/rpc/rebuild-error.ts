import { transferHandlers } from 'comlink';
import { ERROR_CLASSES } from '../core/error-registry.js';
import { EnclaveError, type ErrorCode } from '../core/errors.js';

/**
 * The receiving half of the error transfer (see ./errors.ts for the sending half). The page needs
 * only this half: it calls the worker and never answers a call, so it never sends an error back.
 */

/** An error as it crosses the boundary: plain data, no `stack`, no `cause`. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  error?: string;
  fields: Record<string, unknown>;
}

/** Rebuilds the error class a {@link SerializedError} came from (unknown names become a plain `Error`). */
export function deserializeError(data: SerializedError): Error {
  if (data.name === 'TypeError') return new TypeError(data.message);
  // The classes of src/core/errors.ts register themselves by name (src/core/error-registry.ts);
  // naming EnclaveError here also keeps that module in every bundle that rebuilds errors, even
  // where nothing else imports it (`sideEffects: false` lets bundlers drop unused modules).
  // A class missing from the registry is rebuilt as a plain `Error`, which
  // test/rpc/errors.test.ts and test/rpc/minified-errors.test.ts catch: they rebuild every class
  // that core/errors.ts exports.
  const Class = ERROR_CLASSES[data.name] as typeof EnclaveError | undefined;
  const known = Class === EnclaveError || Class?.prototype instanceof EnclaveError;
  if (!Class || !known || typeof data.code !== 'string') return new Error(data.message);
  // The class's own constructor: each option sets the field of the same name, so the fields are
  // the options. Only named options are read, so a field like "name" or "__proto__" cannot change
  // the error's identity; each class sets its own `code` (the data's is for the base class), and
  // no `cause` crosses.
  return new Class({
    ...data.fields,
    code: data.code as ErrorCode,
    message: data.message,
    error: data.error ?? data.code,
    cause: undefined,
  });
}

/** Comlink's handler for thrown values, in the shape it has. */
export interface ThrowHandler {
  canHandle(value: unknown): boolean;
  serialize(value: { value: unknown }): [unknown, Transferable[]];
  deserialize(value: unknown): unknown;
}

/** Comlink's own handler, kept for what ours does not replace. */
let comlinks: ThrowHandler | undefined;
/** 1 when this realm rebuilds errors, 2 when it also sends them our way. */
let installed: 0 | 1 | 2 = 0;

/**
 * Makes Comlink rebuild a thrown error into its class ({@link deserializeError}) instead of a
 * bare `Error`. With `serialize`, also replaces how this side sends one (Comlink's own sends
 * `stack` and loses the class); without, this side keeps Comlink's, which it never uses when it
 * only calls. Once per realm, before the first call.
 */
export function installErrorRebuild(serialize?: (value: unknown) => SerializedError): void {
  const level = serialize ? 2 : 1;
  if (installed >= level) return;
  installed = level;
  comlinks ??= transferHandlers.get('throw') as unknown as ThrowHandler;
  const original = comlinks;
  const handler: ThrowHandler = {
    canHandle: (value) => original.canHandle(value),
    serialize: serialize ? ({ value }) => [serialize(value), []] : original.serialize,
    deserialize: (value) => {
      throw deserializeError(value as SerializedError);
    },
  };
  transferHandlers.set('throw', handler as never);
}
