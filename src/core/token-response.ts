import type { ClientContext } from './context.js';
import { verifyIdToken } from './id-token.js';
import type { TokenEndpointResponse, TokenResponse } from './token-types.js';

export type { ActClaim, AuthorizationDetails, TokenResponse } from './token-types.js';

/** The token fields of a checked token endpoint response, the ID token left out (unverified). */
export function tokenFields(
  raw: TokenEndpointResponse,
  now: () => number = () => Date.now(),
): TokenResponse {
  const result: TokenResponse = {
    accessToken: raw.access_token,
    tokenType: raw.token_type,
    expiresAt: Math.floor(now() / 1000) + raw.expires_in,
  };
  if (raw.refresh_token) result.refreshToken = raw.refresh_token;
  if (raw.scope !== undefined) result.scope = raw.scope;
  if (raw.issued_token_type) result.issuedTokenType = raw.issued_token_type;
  if (raw.recovery_code) result.recoveryCode = raw.recovery_code;
  return result;
}

/** What the ID token of a grant is checked against, beyond issuer, audience and signature. */
export interface IdTokenRules {
  /** The `nonce` of the authorize request; the ID token must carry it. */
  nonce?: string | undefined;
  /** The `max_age` of the authorize request; `auth_time` must then be recent enough. */
  maxAge?: number | undefined;
  /** The organization asked for; `org_id` or `org_name` must match it. */
  organization?: string | undefined;
  /**
   * A refresh grant's ID token: the nonce rule is skipped (OIDC Core §12.2 lets servers omit it).
   */
  refreshed?: boolean;
}

/**
 * Turns a checked token endpoint response into a {@link TokenResponse}, verifying the ID token
 * when there is one. Throws before anything is returned, so a caller never stores half a result.
 */
export async function toTokenResponse(
  context: ClientContext,
  raw: TokenEndpointResponse,
  rules: IdTokenRules = {},
  now = () => Date.now(),
): Promise<TokenResponse> {
  // AuthClient's contexts make instances of its class (with authorization_details).
  const result = context.tokenResponse?.(raw, now) ?? tokenFields(raw, now);
  if (raw.id_token) {
    const server = await context.metadata();
    result.claims = await verifyIdToken(raw.id_token, {
      issuer: server.issuer,
      clientId: context.clientId,
      jwks: await context.jwks(),
      algorithms: await context.algorithms(),
      leeway: context.leeway,
      nonce: rules.nonce,
      maxAge: rules.maxAge,
      organization: rules.organization,
      organizationError: context.organizationError,
      refreshed: rules.refreshed ?? false,
    });
    result.idToken = raw.id_token;
  }
  return result;
}
