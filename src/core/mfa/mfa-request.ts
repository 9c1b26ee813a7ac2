import type { ClientContext } from '../context.js';
import { MfaError } from '../errors.js';
import type { ReadResponse } from '../http.js';
import { type JsonRequest, sendJsonRequest } from '../json-request.js';
import { toMfaError } from './mfa-error.js';

/** A {@link sendJsonRequest} whose server refusals are {@link MfaError}s. */
export async function mfaRequest(
  context: ClientContext,
  request: JsonRequest,
  /** The operation's {@link MfaError} subclass. */
  Class: typeof MfaError = MfaError,
): Promise<ReadResponse> {
  try {
    return await sendJsonRequest(context, request);
  } catch (error) {
    throw toMfaError(error, Class);
  }
}
