import type { Endpoint } from 'comlink';
import { EnclaveError } from '../core/errors.js';
import { installErrorRebuild, type SerializedError } from './rebuild-error.js';

export { deserializeError, type SerializedError } from './rebuild-error.js';

/**
 * Errors cross the boundary as `{ name, code, error, message, …plain fields }` and are rebuilt
 * into the same class on the other side, so `err instanceof PopupCancelledError` and
 * `err.error === 'mfa_required'` work on the page exactly as in the worker. No `stack` and no
 * `cause` cross (they could name internals or carry a response); only plain values of the error's
 * own fields do, minus any field named like a credential.
 */

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
  if (value instanceof EnclaveError) {
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

/**
 * Replaces Comlink's `throw` transfer handler (which sends `stack` and loses the class) with
 * ours, both halves. Call once per realm, on both sides, before the first call.
 */
export function installErrorTransfer(): void {
  installErrorRebuild(serializeError);
}

/** Posts a Comlink-shaped "thrown" reply for message `id` on `endpoint`. */
export function postThrown(
  endpoint: Pick<Endpoint, 'postMessage'>,
  id: unknown,
  error: unknown,
): void {
  endpoint.postMessage({ id, type: 'HANDLER', name: 'throw', value: serializeError(error) });
}
