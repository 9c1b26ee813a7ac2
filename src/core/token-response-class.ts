import type { IdTokenClaims } from './id-token.js';
import type { TokenEndpointResponse } from './token-request.js';
import {
  type ActClaim,
  type AuthorizationDetails,
  type TokenResponse as TokenResponseFields,
  tokenFields,
} from './token-response.js';

/**
 * Tokens from a grant, in the shape of `@auth0/auth0-auth-js` (a class there too, with the same
 * constructor and `fromTokenEndpointResponse`).
 */
export class TokenResponse implements TokenResponseFields {
  /** The access token issued for the API (audience) of the request. */
  accessToken: string;
  /** `Bearer` or `DPoP`. */
  tokenType: string;
  /** When the access token expires, in epoch seconds. */
  expiresAt: number;
  /** The ID token, when the grant issued one (the `openid` scope). */
  declare idToken?: string;
  /** The refresh token, when the grant issued one (the `offline_access` scope). */
  declare refreshToken?: string;
  /** The space-separated scopes granted, when the server returned them. */
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
    const result = TokenResponse.withoutIdToken(raw, now);
    if (raw.id_token) result.idToken = raw.id_token;
    return result;
  }

  /**
   * @internal As {@link fromTokenEndpointResponse}, but without the (unverified) ID token: the
   * grants of this SDK add it once verified.
   */
  static withoutIdToken(
    raw: TokenEndpointResponse,
    now: () => number = () => Date.now(),
  ): TokenResponse {
    const fields = tokenFields(raw, now);
    // Object.assign keeps absent fields absent.
    const result = Object.assign(new TokenResponse(fields.accessToken, fields.expiresAt), fields);
    if (Array.isArray(raw.authorization_details)) {
      result.authorizationDetails = raw.authorization_details as AuthorizationDetails[];
    }
    return result;
  }
}
