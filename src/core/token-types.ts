// The shapes of token responses: what the token endpoint answers and what a grant returns. A
// leaf module, so the client context (context.ts) can name them without importing the code
// that needs the context (token-request.ts, token-response.ts).
import type { IdTokenClaims } from './id-token.js';

/** A token endpoint response after its shape was checked (RFC 6749 §5.1, RFC 8693 §2.2.1). */
export interface TokenEndpointResponse {
  /** The access token issued. */
  access_token: string;
  /** `Bearer`, or `DPoP` when the token is bound to the client's DPoP key. */
  token_type: 'Bearer' | 'DPoP' | (string & {});
  /** Lifetime of the access token, in seconds from now. */
  expires_in: number;
  /** The ID token, when the grant issued one. */
  id_token?: string;
  /** The refresh token, when the grant issued one (possibly rotated: replace the old one). */
  refresh_token?: string;
  /** The scopes granted, space-separated, when they differ from or complete those asked for. */
  scope?: string;
  /** RFC 8693 token exchange: the type of the token issued. */
  issued_token_type?: string;
  /** MFA recovery-code grant: the new recovery code that replaces the one used. */
  recovery_code?: string;
  [other: string]: unknown;
}

/** RFC 8693 §4.1 `act` claim: who acts on behalf of the subject (possibly nested). */
export interface ActClaim {
  /** The actor: the party acting on behalf of the subject. */
  sub: string;
  [claim: string]: unknown;
}

/** RFC 9396 rich authorization details, as returned by the server. */
export interface AuthorizationDetails {
  /** The kind of authorization detail, e.g. `payment_initiation`; the other fields depend on it. */
  readonly type: string;
  readonly [parameter: string]: unknown;
}

/**
 * Tokens from a grant, in the shape of `@auth0/auth0-auth-js`. `AuthClient` returns them as
 * instances of the `TokenResponse` class (token-response-class.ts, auth-js's constructor and
 * `fromTokenEndpointResponse`); the worker, which never hands them out, as plain objects.
 */
export interface TokenResponse {
  accessToken: string;
  /** `Bearer` or `DPoP`. */
  tokenType: string;
  /** When the access token expires, in epoch seconds. */
  expiresAt: number;
  idToken?: string;
  refreshToken?: string;
  scope?: string;
  /** The verified claims of `idToken`. */
  claims?: IdTokenClaims;
  /** RFC 9396 `authorization_details` granted, when the server returned them. */
  authorizationDetails?: AuthorizationDetails[];
  /** RFC 8693 token exchange: the type of the issued token. */
  issuedTokenType?: string;
  /** MFA recovery-code grant: the new recovery code to show the user. */
  recoveryCode?: string;
  /** Token exchange with an actor token: the `act` claim of the ID or access token. */
  act?: ActClaim;
}
