import type { TenantRuntime } from '../context.js';
import { randomToken } from '../random-token.js';
import { newSixDigitCode } from './codes.js';
import type { MfaAuthenticator, MfaTransaction, OobRequest } from './state.js';

/** Auth0's SMS and email codes expire after 5 minutes. */
export const OOB_CODE_LIFETIME_SECONDS = 300;
/** Polls without a binding code closer together than this get `slow_down` (RFC 8628's 5 s). */
export const OOB_POLL_INTERVAL_SECONDS = 5;

/**
 * Starts an out-of-band request for `authenticator`: a push waits for an approval (admin
 * surface); SMS, voice and email "send" a 6-digit binding code into the outbox.
 */
export function startOobRequest(
  runtime: TenantRuntime,
  transaction: MfaTransaction,
  authenticator: MfaAuthenticator,
): OobRequest {
  const now = runtime.clock.now();
  const channel = authenticator.channel ?? 'sms';
  const request: OobRequest = {
    oobCode: randomToken(24),
    mfaToken: transaction.token,
    userId: transaction.userId,
    authenticatorId: authenticator.id,
    channel,
    status: 'pending',
    createdAt: now,
    expiresAt: now + OOB_CODE_LIFETIME_SECONDS,
  };
  if (channel !== 'auth0') {
    request.bindingCode = newSixDigitCode();
    runtime.store.mfa.outbox.push({
      at: new Date().toISOString(),
      channel,
      to: authenticator.to ?? '',
      code: request.bindingCode,
      mfaToken: transaction.token,
    });
  }
  runtime.store.mfa.oobRequests.set(request.oobCode, request);
  return request;
}

/** `binding_method` of an out-of-band answer: `prompt` when the user must type the code. */
export function bindingMethod(request: OobRequest): { binding_method?: 'prompt' } {
  return request.bindingCode === undefined ? {} : { binding_method: 'prompt' };
}
