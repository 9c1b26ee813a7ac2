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
