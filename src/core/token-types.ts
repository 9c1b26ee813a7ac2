// The shapes of token responses: what the token endpoint answers and what a grant returns. A
// leaf module, so the client context (context.ts) can name them without importing the code
// that needs the context (token-request.ts, token-response.ts).
import type { IdTokenClaims } from './id-token.js';

/** A token endpoint response after its shape was checked (RFC 6749 §5.1, RFC 8693 §2.2.1). */
export interface TokenEndpointResponse {
  access_token: string;
  token_type: 'Bearer' | 'DPoP' | (string & {});
  expires_in: number;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
  issued_token_type?: string;
  recovery_code?: string;
  [other: string]: unknown;
}

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
