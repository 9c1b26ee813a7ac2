import { assertAttemptsLeft, recordFailedAttempt } from '../mfa/attempts.js';
import { newRecoveryCode, recoveryCodesEqual } from '../mfa/codes.js';
import { completeMfa } from '../mfa/complete.js';
import { activate, usableBy } from '../mfa/enrollment.js';
import { findMfaTransaction } from '../mfa/mfa-token.js';
import { invalidGrant } from '../oauth-error-response.js';
import type { TokenResponseBody } from '../token-issuer.js';
import { type GrantHandler, requiredParam } from './grant.js';

/** Auth0's grant type for logging in with a recovery code. */
export const MFA_RECOVERY_CODE_GRANT = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';

/**
 * `mfa-recovery-code`: the `mfa_token` and the user's recovery code. The code is spent and the
 * response carries its replacement in `recovery_code` (show it to the user). A wrong code is 403
 * `invalid_grant` and costs one attempt.
 */
export const mfaRecoveryCodeGrant: GrantHandler = async (context) => {
  const { runtime, client, params } = context;
  const transaction = findMfaTransaction(runtime, requiredParam(params, 'mfa_token'), client);
  const typed = requiredParam(params, 'recovery_code');
  const { mfa } = runtime.store;
  assertAttemptsLeft(runtime, transaction.userId);
  const recovery = mfa
    .authenticatorsOf(transaction.userId)
    .find((item) => item.type === 'recovery-code' && usableBy(item, transaction.token));
  if (!recovery?.secret || !recoveryCodesEqual(typed, recovery.secret)) {
    recordFailedAttempt(runtime, transaction.userId);
    throw invalidGrant('Invalid recovery_code.', 403);
  }
  const next = newRecoveryCode();
  recovery.secret = next;
  activate(mfa, recovery);
  const body: TokenResponseBody & { recovery_code: string } = {
    ...(await completeMfa(context, transaction)),
    recovery_code: next,
  };
  return body;
};
