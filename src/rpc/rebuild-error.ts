import { transferHandlers } from 'comlink';
import * as classes from '../core/errors.js';

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

/**
 * Every error class. Listed, not read from `import * as`: a namespace used as a value makes
 * bundlers build an object of all the module's exports, which costs the page 0.1 KB gzip for
 * nothing. A class missing here is rebuilt as a plain `Error`, which test/rpc/errors.test.ts and
 * test/rpc/minified-errors.test.ts catch: they rebuild every class that core/errors.ts exports.
 */
const CLASSES = [
  classes.EnclaveError,
  classes.OAuthError,
  classes.AuthenticationError,
  classes.LoginRequiredError,
  classes.MfaRequiredError,
  classes.MissingRefreshTokenError,
  classes.UseDpopNonceError,
  classes.IdTokenValidationError,
  classes.LogoutTokenValidationError,
  classes.InvalidStateError,
  classes.ResponseError,
  classes.HttpError,
  classes.NetworkError,
  classes.TimeoutError,
  classes.PopupOpenError,
  classes.PopupCancelledError,
  classes.PopupTimeoutError,
  classes.InvalidConfigurationError,
  classes.NotSupportedError,
  classes.NotAllowedError,
  classes.TokenNotExposedError,
  classes.WorkerUnavailableError,
  classes.RpcRejectedError,
  classes.ConnectError,
  classes.PasskeyError,
  classes.MfaError,
  classes.MissingScopesError,
  classes.PasskeyRegisterError,
  classes.PasskeyChallengeError,
  classes.PasskeyGetTokenError,
  classes.MfaListAuthenticatorsError,
  classes.MfaEnrollmentError,
  classes.MfaChallengeError,
  classes.MfaVerifyError,
  classes.MfaEnrollmentFactorsError,
  classes.MyAccountApiError,
] as (typeof classes.EnclaveError)[];

/** Every error class by its `name`, read from the prototype (which minifiers leave alone). */
// No prototype: a name like "constructor" or "__proto__" must not find Object's members.
const REGISTRY: Record<string, typeof classes.EnclaveError> = Object.create(null);
for (const Class of CLASSES) REGISTRY[Class.prototype.name] = Class;

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
