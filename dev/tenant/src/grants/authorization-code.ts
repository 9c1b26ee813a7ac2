import { base64url } from 'jose';
import { invalidGrant } from '../oauth-error-response.js';
import type { AuthorizationCode } from '../store.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type GrantHandler, requiredParam } from './grant.js';
import { startRefreshFamily } from './refresh-family.js';

// RFC 7636 §4.1: 43 to 128 unreserved characters.
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url.encode(new Uint8Array(digest));
}

/** RFC 6749 §4.1.2: a code used twice revokes what it already produced. */
function revokeIssued(context: Parameters<GrantHandler>[0], code: AuthorizationCode): void {
  const { store } = context.runtime;
  for (const jti of code.issued.accessTokenJtis) {
    const record = store.accessTokens.get(jti);
    if (record) record.revoked = true;
  }
  for (const familyId of code.issued.refreshFamilyIds) store.revokeFamily(familyId);
}

/**
 * `authorization_code`: single-use, short-lived codes bound to the client, the redirect_uri,
 * the PKCE challenge and (with `dpop_jkt`) the DPoP key chosen at /authorize.
 */
export const authorizationCodeGrant: GrantHandler = async (context) => {
  const { runtime, client, params, proof } = context;
  const code = runtime.store.codes.get(requiredParam(params, 'code'));
  if (!code || code.request.clientId !== client.clientId) {
    throw invalidGrant('Invalid authorization code');
  }
  if (code.used) {
    revokeIssued(context, code);
    throw invalidGrant(
      'Authorization code has already been used; the tokens it issued are revoked',
    );
  }
  // Spent by the first attempt, even a failing one: a stolen code gets one guess at the verifier.
  code.used = true;
  if (code.expiresAt <= runtime.clock.now()) throw invalidGrant('Authorization code has expired');
  if (params.get('redirect_uri') !== code.request.redirectUri) {
    throw invalidGrant('redirect_uri does not match the one sent to /authorize');
  }
  const verifier = params.get('code_verifier');
  if (code.request.codeChallenge !== undefined) {
    if (verifier === undefined) throw invalidGrant('code_verifier is missing (PKCE)');
    if (!CODE_VERIFIER.test(verifier) || (await s256(verifier)) !== code.request.codeChallenge) {
      throw invalidGrant('code_verifier does not match the code_challenge (PKCE)');
    }
  } else if (verifier !== undefined) {
    throw invalidGrant('code_verifier sent, but /authorize had no code_challenge');
  }
  if (code.request.dpopJkt !== undefined && proof?.jkt !== code.request.dpopJkt) {
    throw invalidGrant('the DPoP proof key does not match the dpop_jkt sent to /authorize');
  }
  const user = runtime.directory.user(code.userId);
  if (!user) throw invalidGrant('the user of this code no longer exists');

  const { request } = code;
  const family = startRefreshFamily(context, {
    userId: user.user_id,
    scope: request.scope,
    sid: code.sid,
    authTime: code.authTime,
    ...(request.audience === undefined ? {} : { audience: request.audience }),
    ...(request.organizationId === undefined ? {} : { organizationId: request.organizationId }),
  });
  const grant: TokenGrant = {
    client,
    user,
    scope: request.scope,
    sid: code.sid,
    authTime: code.authTime,
  };
  if (request.audience !== undefined) grant.audience = request.audience;
  if (request.organizationId !== undefined) grant.organizationId = request.organizationId;
  if (request.nonce !== undefined) grant.nonce = request.nonce;
  if (proof) grant.jkt = proof.jkt;
  if (family) {
    grant.familyId = family.familyId;
    code.issued.refreshFamilyIds.push(family.familyId);
  }
  const { body, accessTokenJti } = await issueTokens(runtime, grant, family?.token);
  code.issued.accessTokenJtis.push(accessTokenJti);
  return body;
};
