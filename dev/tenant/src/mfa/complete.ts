import type { GrantContext } from '../grants/grant.js';
import { startRefreshFamily } from '../grants/refresh-family.js';
import { invalidGrant } from '../oauth-error-response.js';
import { issueTokens, type TokenGrant, type TokenResponseBody } from '../token-issuer.js';
import type { MfaTransaction } from './state.js';

/** Auth0 adds this `amr` once a second factor was verified; a family started here keeps it. */
const MFA_AMR = ['mfa'];

/**
 * Issues the tokens the password grant (or a refresh to a step-up API) withheld, now that a
 * second factor was verified: same user, scope, audience and `auth_time`, plus `amr: ["mfa"]`
 * (as Auth0 adds). The refresh token (with `offline_access`) starts a family that remembers the
 * `amr`, so its refreshes keep it and a step-up API lets them through; the DPoP binding follows
 * this request, as for any grant. The `mfa_token` is spent.
 */
export async function completeMfa(
  context: GrantContext,
  transaction: MfaTransaction,
): Promise<TokenResponseBody> {
  const { runtime, client, proof } = context;
  transaction.spent = true;
  const user = runtime.directory.user(transaction.userId);
  if (!user) throw invalidGrant('the user of this mfa_token no longer exists', 403);
  const { scope, authTime, audience, sid, organizationId } = transaction;
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope,
    authTime,
    amr: [...MFA_AMR],
    ...(audience === undefined ? {} : { audience }),
    ...(sid === undefined ? {} : { sid }),
    ...(organizationId === undefined ? {} : { organizationId }),
  });
  const grant: TokenGrant = {
    client,
    user,
    scope,
    authTime,
    gty: transaction.gty,
    amr: [...MFA_AMR],
  };
  if (audience !== undefined) grant.audience = audience;
  if (sid !== undefined) grant.sid = sid;
  if (organizationId !== undefined) grant.organizationId = organizationId;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  return (await issueTokens(runtime, grant, family?.token)).body;
}
