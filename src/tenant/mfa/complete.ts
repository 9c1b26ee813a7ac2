import type { GrantContext } from '../grants/grant.js';
import { startRefreshFamily } from '../grants/refresh-family.js';
import { invalidGrant } from '../oauth-error.js';
import { issueTokens, type TokenGrant, type TokenResponseBody } from '../token-issuer.js';
import type { MfaTransaction } from './state.js';

/**
 * Issues the tokens the password grant withheld, now that a second factor was verified: same
 * user, scope, audience and `auth_time`, plus `amr: ["mfa"]` (as Auth0 adds). The refresh token
 * (with `offline_access`) and the DPoP binding follow this request, as for any grant. The
 * `mfa_token` is spent.
 */
export async function completeMfa(
  context: GrantContext,
  transaction: MfaTransaction,
): Promise<TokenResponseBody> {
  const { runtime, client, proof } = context;
  transaction.spent = true;
  const user = runtime.directory.user(transaction.userId);
  if (!user) throw invalidGrant('the user of this mfa_token no longer exists', 403);
  const { scope, authTime, audience } = transaction;
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope,
    authTime,
    ...(audience === undefined ? {} : { audience }),
  });
  const grant: TokenGrant = { client, user, scope, authTime, gty: transaction.gty, amr: ['mfa'] };
  if (audience !== undefined) grant.audience = audience;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  return (await issueTokens(runtime, grant, family?.token)).body;
}
