import type { ClientContext } from './context.js';
import { type IdTokenClaims, verifyIdToken } from './id-token.js';
import type { TokenEndpointResponse } from './token-request.js';

/** RFC 8693 §4.1 `act` claim: who acts on behalf of the subject (possibly nested). */
export interface ActClaim {
  sub: string;
  [claim: string]: unknown;
}

/** RFC 9396 rich authorization details, as returned by the server. */
export interface AuthorizationDetails {
  readonly type: string;
  readonly [parameter: string]: unknown;
}

/**
 * Tokens from a grant, in the shape of `@auth0/auth0-auth-js` (a class there too, with the same
 * constructor and `fromTokenEndpointResponse`).
 */
export class TokenResponse {
  accessToken: string;
  /** `Bearer` or `DPoP`. */
  tokenType: string;
  /** When the access token expires, in epoch seconds. */
  expiresAt: number;
  declare idToken?: string;
  declare refreshToken?: string;
  declare scope?: string;
  /** The verified claims of `idToken`. */
  declare claims?: IdTokenClaims;
  /** RFC 9396 `authorization_details` granted, when the server returned them. */
  declare authorizationDetails?: AuthorizationDetails[];
  /** RFC 8693 token exchange: the type of the issued token. */
  declare issuedTokenType?: string;
  /** MFA recovery-code grant: the new recovery code to show the user. */
  declare recoveryCode?: string;
  /** Token exchange with an actor token: the `act` claim of the ID or access token. */
  declare act?: ActClaim;

  constructor(
    accessToken: string,
    expiresAt: number,
    idToken?: string,
    refreshToken?: string,
    scope?: string,
    claims?: IdTokenClaims,
    authorizationDetails?: AuthorizationDetails[],
  ) {
    this.accessToken = accessToken;
    this.tokenType = 'Bearer';
    this.expiresAt = expiresAt;
    // Absent fields stay absent (not `undefined`): callers spread and compare these objects.
    if (idToken !== undefined) this.idToken = idToken;
    if (refreshToken !== undefined) this.refreshToken = refreshToken;
    if (scope !== undefined) this.scope = scope;
    if (claims !== undefined) this.claims = claims;
    if (authorizationDetails !== undefined) this.authorizationDetails = authorizationDetails;
  }

  /**
   * From a token endpoint response whose shape was checked. The ID token is NOT verified here
   * (auth-js's openid-client verified it before); the grants of this SDK go through
   * {@link toTokenResponse}, which verifies it.
   */
  static fromTokenEndpointResponse(
    raw: TokenEndpointResponse,
    now: () => number = () => Date.now(),
  ): TokenResponse {
    const result = new TokenResponse(
      raw.access_token,
      Math.floor(now() / 1000) + raw.expires_in,
      raw.id_token || undefined,
      raw.refresh_token || undefined,
      raw.scope,
    );
    result.tokenType = raw.token_type;
    if (Array.isArray(raw.authorization_details)) {
      result.authorizationDetails = raw.authorization_details as AuthorizationDetails[];
    }
    if (raw.issued_token_type) result.issuedTokenType = raw.issued_token_type;
    if (raw.recovery_code) result.recoveryCode = raw.recovery_code;
    return result;
  }
}

/** What the ID token of a grant is checked against, beyond issuer, audience and signature. */
export interface IdTokenRules {
  nonce?: string | undefined;
  maxAge?: number | undefined;
  organization?: string | undefined;
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
  const result = TokenResponse.fromTokenEndpointResponse(raw, now);
  // Only a verified ID token is handed out: fromTokenEndpointResponse copied it unchecked.
  delete result.idToken;
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
