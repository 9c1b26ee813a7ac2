import type { ClientContext } from '../context.js';
import { MfaChallengeError, ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { mfaRequest } from './mfa-request.js';
import type { ChallengeOptions, ChallengeResponse } from './types.js';

const WHAT = 'MFA challenge';

/**
 * `POST /mfa/challenge` (with client authentication): asks the server to challenge one of the
 * user's authenticators. For `oob` it sends the code (SMS, voice, email) or the push, and answers
 * the `oobCode` to verify with ({@link mfaGrant}).
 *
 * @example
 * ```ts
 * import { challengeAuthenticator } from 'auth0-enclave/core';
 *
 * const { oobCode, bindingMethod } = await challengeAuthenticator(context, {
 *   mfaToken,
 *   challengeType: 'oob',
 *   authenticatorId: 'sms|dev_abc123',
 * });
 * ```
 */
export async function challengeAuthenticator(
  context: ClientContext,
  options: ChallengeOptions,
): Promise<ChallengeResponse> {
  const server = await context.metadata();
  const auth = await context.authenticate({ clientId: context.clientId, issuer: server.issuer });
  const response = await mfaRequest(
    context,
    {
      method: 'POST',
      url: server.mfa_challenge_endpoint ?? 'mfa/challenge',
      body: {
        ...auth,
        mfa_token: options.mfaToken,
        challenge_type: options.challengeType,
        ...(options.authenticatorId ? { authenticator_id: options.authenticatorId } : {}),
      },
      signal: options.signal,
      what: WHAT,
    },
    MfaChallengeError,
  );
  const raw = parseJsonObject(response, WHAT);
  if (raw.challenge_type !== 'otp' && raw.challenge_type !== 'oob') {
    throw new ResponseError({ message: `${WHAT}: unexpected "challenge_type".` });
  }
  const result: ChallengeResponse = { challengeType: raw.challenge_type };
  if (typeof raw.oob_code === 'string') result.oobCode = raw.oob_code;
  if (typeof raw.binding_method === 'string') result.bindingMethod = raw.binding_method;
  return result;
}
