import type { ClientContext } from '../context.js';
import { MfaVerifyError } from '../errors.js';
import { toMfaError } from '../mfa/mfa-error.js';
import type { MfaVerifyOptions } from '../mfa/types.js';
import { requestToken } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** Auth0's grant type per factor. */
export const MFA_GRANT_TYPES = {
  otp: 'http://auth0.com/oauth/grant-type/mfa-otp',
  oob: 'http://auth0.com/oauth/grant-type/mfa-oob',
  'recovery-code': 'http://auth0.com/oauth/grant-type/mfa-recovery-code',
} as const;

function factorParams(options: MfaVerifyOptions): Record<string, string | undefined> {
  switch (options.factorType) {
    case 'otp':
      return { otp: options.otp };
    case 'oob':
      return { oob_code: options.oobCode, binding_code: options.bindingCode };
    case 'recovery-code':
      return { recovery_code: options.recoveryCode };
  }
}

/**
 * Completes MFA at the token endpoint (`mfa-otp`, `mfa-oob`, `mfa-recovery-code`) and returns the
 * tokens the original grant was refused, with a verified ID token. DPoP applies as for any grant.
 * A recovery code is spent: the result's `recoveryCode` is its replacement. Server refusals are
 * {@link MfaError}s; while an out-of-band challenge waits for the user, `err.error` is
 * `authorization_pending` (or `slow_down`: wait longer) — poll again.
 *
 * @example
 * ```ts
 * import { mfaGrant } from 'auth0-enclave/core';
 *
 * const tokens = await mfaGrant(context, { mfaToken, factorType: 'otp', otp: '123456' });
 * ```
 */
export async function mfaGrant(
  context: ClientContext,
  options: MfaVerifyOptions,
): Promise<TokenResponse> {
  try {
    const raw = await requestToken(context, {
      params: {
        grant_type: MFA_GRANT_TYPES[options.factorType],
        mfa_token: options.mfaToken,
        audience: options.audience,
        ...factorParams(options),
      },
      signal: options.signal,
      what: 'MFA verify',
    });
    return await toTokenResponse(context, raw);
  } catch (error) {
    throw toMfaError(error, MfaVerifyError);
  }
}
