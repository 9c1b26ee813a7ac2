import { assertAttemptsLeft, recordFailedAttempt } from '../mfa/attempts.js';
import { completeMfa } from '../mfa/complete.js';
import { activate } from '../mfa/enrollment.js';
import { findMfaTransaction } from '../mfa/mfa-token.js';
import { OOB_POLL_INTERVAL_SECONDS } from '../mfa/oob.js';
import { invalidGrant, invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { secretsEqual } from '../secret-compare.js';
import { type GrantHandler, requiredParam } from './grant.js';

/** Auth0's grant type for completing an out-of-band challenge. */
export const MFA_OOB_GRANT = 'http://auth0.com/oauth/grant-type/mfa-oob';

/**
 * `mfa-oob`: the `mfa_token` and the `oob_code` of a challenge (or of an `/mfa/associate`).
 * With `binding_code` (SMS, voice, email: the code from the outbox) the grant completes at once
 * or fails with 403 `invalid_grant`, costing an attempt. Without it the client is polling: 400
 * `authorization_pending` until the request is approved on the admin surface (Guardian push),
 * `slow_down` for polls less than 5 s apart, 403 `invalid_grant` once it was denied.
 */
export const mfaOobGrant: GrantHandler = async (context) => {
  const { runtime, client, params } = context;
  const transaction = findMfaTransaction(runtime, requiredParam(params, 'mfa_token'), client);
  const oobCode = requiredParam(params, 'oob_code');
  const bindingCode = params.get('binding_code');
  const { mfa } = runtime.store;
  const now = runtime.clock.now();
  const request = mfa.oobRequests.get(oobCode);
  if (!request || request.mfaToken !== transaction.token) {
    throw invalidGrant('Invalid oob_code.', 403);
  }
  if (request.expiresAt <= now) {
    mfa.oobRequests.delete(oobCode);
    throw new OAuthErrorResponse('expired_token', 'oob_code is expired', { status: 403 });
  }
  const authenticator = mfa.authenticators.get(request.authenticatorId);
  if (!authenticator) throw invalidGrant('The authenticator of this oob_code was removed.', 403);

  if (bindingCode !== undefined) {
    if (request.bindingCode === undefined) {
      throw invalidRequest('binding_code is not used with this channel; poll without it');
    }
    assertAttemptsLeft(runtime, transaction.userId);
    if (!secretsEqual(bindingCode, request.bindingCode)) {
      recordFailedAttempt(runtime, transaction.userId);
      throw invalidGrant('Invalid binding_code.', 403);
    }
  } else {
    const last = request.lastPolledAt;
    request.lastPolledAt = now;
    if (last !== undefined && now - last < OOB_POLL_INTERVAL_SECONDS) {
      throw new OAuthErrorResponse(
        'slow_down',
        'You are polling faster than allowed. Try again in 5 seconds.',
      );
    }
    if (request.status === 'denied') {
      mfa.oobRequests.delete(oobCode);
      throw invalidGrant('The MFA request was rejected.', 403);
    }
    if (request.status === 'pending') {
      throw new OAuthErrorResponse(
        'authorization_pending',
        'Authorization pending: please repeat the request in a few seconds.',
      );
    }
  }
  mfa.oobRequests.delete(oobCode);
  activate(mfa, authenticator);
  return completeMfa(context, transaction);
};
