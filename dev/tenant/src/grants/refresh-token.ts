import { mfaRequired } from '../mfa/mfa-token.js';
import { invalidGrant, OAuthErrorResponse } from '../oauth-error-response.js';
import { grantableScopes, parseScope } from '../scopes.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type GrantHandler, knownApi, requiredParam } from './grant.js';

/**
 * `refresh_token`, with rotation and reuse detection (when the client has rotation on), DPoP
 * key binding for public clients, an optional narrower `scope`, and an `audience` switch to
 * another API (like Auth0's multi-resource refresh tokens, any configured API is allowed).
 * A step-up API (`mfa: 'required'`) answers 403 `mfa_required` instead — before anything is
 * rotated — unless the family passed MFA; the MFA grant then starts a family that has.
 */
export const refreshTokenGrant: GrantHandler = async ({ runtime, client, params, proof }) => {
  const { store, clock, directory } = runtime;
  const now = clock.now();
  const record = store.refreshTokens.get(requiredParam(params, 'refresh_token'));
  const family = record && store.families.get(record.familyId);
  if (!record || !family || family.clientId !== client.clientId) {
    throw invalidGrant('Unknown or invalid refresh token');
  }
  if (family.revoked || record.status === 'revoked') {
    throw invalidGrant('Refresh token has been revoked');
  }
  if (family.expiresAt <= now) throw invalidGrant('Refresh token has expired');
  // Checked before reuse detection: someone holding a stolen bound token but not the key must
  // not be able to get the legitimate family revoked either.
  if (family.jkt !== undefined && proof?.jkt !== family.jkt) {
    throw invalidGrant('Refresh token is bound to a different DPoP key');
  }
  if (record.status === 'rotated') {
    // Whole seconds: an interval of N allows reuse for N seconds after rotation, 0 never.
    const rotatedAt = record.rotatedAt ?? now;
    if (now - rotatedAt >= client.refreshTokenReuseIntervalSeconds) {
      store.revokeFamily(family.id);
      throw invalidGrant('Refresh token reuse detected; every token of its family is revoked');
    }
  }
  const user = directory.user(family.userId);
  if (!user) throw invalidGrant('the user of this refresh token no longer exists');

  const requested = params.has('scope') ? parseScope(params.get('scope')) : undefined;
  let audience = family.audience;
  let scope = family.scope;
  const audienceParam = params.get('audience');
  if (audienceParam !== undefined && audienceParam !== family.audience) {
    audience = audienceParam;
    scope = grantableScopes(requested ?? family.scope, knownApi(runtime, audienceParam));
  } else if (requested !== undefined) {
    const extra = requested.filter((value) => !family.scope.includes(value));
    if (extra.length > 0) {
      throw new OAuthErrorResponse(
        'invalid_scope',
        `scope exceeds the original grant: ${extra.join(' ')}`,
      );
    }
    scope = requested;
  }
  if (
    audience !== undefined &&
    runtime.directory.api(audience)?.mfa === 'required' &&
    !family.amr?.includes('mfa')
  ) {
    throw mfaRequired(runtime, {
      client,
      user,
      scope,
      audience,
      authTime: family.authTime,
      gty: 'refresh_token',
      sid: family.sid,
      organizationId: family.organizationId,
    });
  }

  let next: string | undefined;
  if (client.refreshTokenRotation) {
    if (record.status === 'active') {
      record.status = 'rotated';
      record.rotatedAt = now;
    }
    next = store.addRefreshToken(family.id);
  }
  const grant: TokenGrant = {
    client,
    user,
    scope,
    authTime: family.authTime,
    familyId: family.id,
  };
  if (audience !== undefined) grant.audience = audience;
  if (family.organizationId !== undefined) grant.organizationId = family.organizationId;
  if (family.sid !== undefined) grant.sid = family.sid;
  if (family.act !== undefined) grant.act = family.act;
  if (family.amr !== undefined) grant.amr = [...family.amr];
  // A public client's family is bound to a key at issuance or never (refresh-family.ts). An
  // unbound family stays Bearer even when a proof comes along: binding its access tokens to
  // whatever key the refresh presents would let a client read "the server vouches for this key"
  // where the server vouched for nothing. Confidential clients' refresh tokens are never bound;
  // their access tokens are bound per request (RFC 9449 §5).
  const bindable = family.jkt !== undefined || client.tokenEndpointAuthMethod !== 'none';
  if (proof && bindable) grant.jkt = proof.jkt;
  return (await issueTokens(runtime, grant, next)).body;
};
