import type { RefreshFamily } from '../store.js';
import type { GrantContext } from './grant.js';

/** What a new refresh-token family stands for (the login it continues). */
export type FamilyInput = Pick<
  RefreshFamily,
  'userId' | 'scope' | 'audience' | 'organizationId' | 'sid' | 'act' | 'amr' | 'authTime'
>;

/**
 * Starts a refresh-token family when the grant earned one: `offline_access` was granted and the
 * client may use the refresh_token grant. Returns its first token, or undefined.
 *
 * Refresh tokens of public clients that used DPoP are bound to the proof's key (RFC 9449 §5):
 * stolen from the browser, they are useless without the non-extractable private key.
 * Confidential clients' refresh tokens are bound to their client authentication instead.
 */
export function startRefreshFamily(
  { runtime, client, proof }: GrantContext,
  input: FamilyInput,
): { familyId: string; token: string } | undefined {
  if (!input.scope.includes('offline_access') || !client.grantTypes.includes('refresh_token')) {
    return undefined;
  }
  const now = runtime.clock.now();
  const family: RefreshFamily = {
    ...input,
    id: `rtf_${crypto.randomUUID()}`,
    clientId: client.clientId,
    expiresAt: now + client.refreshTokenLifetimeSeconds,
    revoked: false,
  };
  if (client.tokenEndpointAuthMethod === 'none' && proof) family.jkt = proof.jkt;
  runtime.store.families.set(family.id, family);
  return { familyId: family.id, token: runtime.store.addRefreshToken(family.id) };
}
