import { assertAttemptsLeft, recordFailedAttempt } from '../mfa/attempts.js';
import { completeMfa } from '../mfa/complete.js';
import { activate, usableBy } from '../mfa/enrollment.js';
import { findMfaTransaction } from '../mfa/mfa-token.js';
import { verifyTotp } from '../mfa/totp.js';
import { invalidGrant } from '../oauth-error-response.js';
import { type GrantHandler, requiredParam } from './grant.js';

/** Auth0's grant type for verifying a TOTP code. */
export const MFA_OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';

/**
 * `mfa-otp`: the `mfa_token` of a refused password grant plus a TOTP code from one of the user's
 * OTP authenticators (a confirmed one, or the one this mfa_token just associated, which the
 * code then confirms). A wrong code is 403 `invalid_grant` and costs one attempt.
 */
export const mfaOtpGrant: GrantHandler = async (context) => {
  const { runtime, client, params } = context;
  const transaction = findMfaTransaction(runtime, requiredParam(params, 'mfa_token'), client);
  const code = requiredParam(params, 'otp');
  const { mfa } = runtime.store;
  assertAttemptsLeft(runtime, transaction.userId);
  const candidates = mfa
    .authenticatorsOf(transaction.userId)
    .filter((item) => item.type === 'otp' && usableBy(item, transaction.token));
  if (candidates.length === 0) throw invalidGrant('User is not enrolled with otp', 403);
  for (const authenticator of candidates) {
    const timeStep = await verifyTotp({
      secret: authenticator.secret ?? '',
      code,
      afterTimeStep: authenticator.lastTimeStep,
    });
    if (timeStep === undefined) continue;
    authenticator.lastTimeStep = timeStep;
    activate(mfa, authenticator);
    return completeMfa(context, transaction);
  }
  recordFailedAttempt(runtime, transaction.userId);
  throw invalidGrant('Invalid otp_code.', 403);
};
