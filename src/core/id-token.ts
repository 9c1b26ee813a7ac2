import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { IdTokenValidationError } from './errors.js';
import { verifySignedJwt } from './jwt-verification.js';

/** The claims of a verified ID token. */
export interface IdTokenClaims extends JWTPayload {
  sub: string;
  iss: string;
  iat: number;
  exp: number;
  /** The `nonce` of the authorize request, echoed to bind the token to it. */
  nonce?: string;
  /** When the user authenticated, in epoch seconds (present when `max_age` was asked). */
  auth_time?: number;
  /** Authorized party: the client the token was issued to, when there are several audiences. */
  azp?: string;
  /** The session ID at the server, which back-channel logout tokens name. */
  sid?: string;
  /** ID of the organization the user logged in to. */
  org_id?: string;
  /** Name of the organization the user logged in to. */
  org_name?: string;
  /** The user's full name. */
  name?: string;
  /** The user's email address. */
  email?: string;
  /** Whether the user's email address has been verified. */
  email_verified?: boolean;
  [claim: string]: unknown;
}

/** What an ID token is checked against. */
export interface IdTokenExpectations {
  /** The expected `iss`: the server's issuer identifier. */
  issuer: string;
  /** The expected `aud` (and `azp`): this client's ID. */
  clientId: string;
  /** Resolves the server's public key for the token's `kid` (from its JWKS). */
  jwks: JWTVerifyGetKey;
  /** Asymmetric algorithms only: an HS256 token "signed" with a public key must never verify. */
  algorithms: string[];
  /** Clock tolerance in seconds for `exp`, `nbf` and `auth_time`. */
  leeway: number;
  /** The nonce sent on /authorize. When absent, a token carrying a nonce is refused. */
  nonce?: string | undefined;
  /** The `max_age` sent on /authorize: `auth_time` must then be recent enough. */
  maxAge?: number | undefined;
  /** The organization asked for: an id (`org_…`, checked against `org_id`) or a name (`org_name`). */
  organization?: string | undefined;
  /** The class of an organization mismatch (AuthClient: auth-js's `OrganizationValidationError`). */
  organizationError?: typeof IdTokenValidationError | undefined;
  /** For refreshed ID tokens: skip the nonce rule (OIDC Core §12.2 lets servers omit it). */
  refreshed?: boolean;
  /** For tests and servers with their own clock. */
  now?: () => Date;
}

/** The asymmetric JWS algorithms the SDK accepts for ID and logout tokens. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** The allow-list for a server: what it says it uses, intersected with ours; RS256 when silent. */
export function idTokenAlgorithms(advertised: unknown): string[] {
  const list: unknown[] = Array.isArray(advertised) ? advertised : ['RS256'];
  const allowed = list.filter(
    (alg): alg is string => typeof alg === 'string' && ASYMMETRIC_ALGORITHMS.includes(alg),
  );
  return allowed.length > 0 ? allowed : ['RS256'];
}

/**
 * Verifies an ID token's signature against the server's JWKS and checks `iss`, `aud`, `azp`,
 * `exp`, `iat`, `nonce`, `auth_time`/`max_age` and the organization (OIDC Core §3.1.3.7).
 *
 * @throws {IdTokenValidationError} naming the check that failed.
 */
export async function verifyIdToken(
  idToken: string,
  expect: IdTokenExpectations,
): Promise<IdTokenClaims> {
  const currentDate = expect.now?.();
  const payload: JWTPayload = await verifySignedJwt(
    idToken,
    expect.jwks,
    {
      issuer: expect.issuer,
      audience: expect.clientId,
      algorithms: expect.algorithms,
      clockTolerance: expect.leeway,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      ...(currentDate ? { currentDate } : {}),
    },
    (reason, cause) =>
      new IdTokenValidationError({ message: `ID token rejected: ${reason}.`, cause }),
  );
  const claims = payload as IdTokenClaims;
  const fail = (reason: string): never => {
    throw new IdTokenValidationError({ message: `ID token rejected: ${reason}.` });
  };
  if (typeof claims.sub !== 'string' || claims.sub.length === 0) fail('"sub" is missing');
  if (typeof claims.iat !== 'number') fail('"iat" is not a number');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (audiences.length > 1 && claims.azp === undefined)
    fail('"azp" is required when "aud" has several values');
  if (claims.azp !== undefined && claims.azp !== expect.clientId) fail('"azp" is not this client');
  if (expect.nonce !== undefined) {
    if (claims.nonce !== expect.nonce) fail('"nonce" does not match the login request');
  } else if (claims.nonce !== undefined && !expect.refreshed) {
    fail('it carries a "nonce", but none was expected');
  }
  const nowSeconds = Math.floor((currentDate ?? new Date()).getTime() / 1000);
  if (expect.maxAge !== undefined) {
    if (typeof claims.auth_time !== 'number')
      fail('"auth_time" is required when max_age was requested');
    if ((claims.auth_time as number) + expect.maxAge + expect.leeway < nowSeconds) {
      fail('"auth_time" is older than max_age allows');
    }
  }
  const organization = expect.organization;
  if (
    organization !== undefined &&
    (organization.startsWith('org_')
      ? claims.org_id !== organization
      : claims.org_name !== organization.toLowerCase())
  ) {
    const OrganizationError = expect.organizationError ?? IdTokenValidationError;
    throw new OrganizationError({
      message: `ID token rejected: "${organization.startsWith('org_') ? 'org_id' : 'org_name'}" does not match the requested organization.`,
    });
  }
  return claims;
}
