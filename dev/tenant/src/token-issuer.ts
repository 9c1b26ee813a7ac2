import { decodeJwt, type JWTPayload, SignJWT } from 'jose';
import type { ResolvedClient, UserConfig } from './config.js';
import { endpoint, type TenantRuntime } from './context.js';
import { randomToken } from './random-token.js';
import { userClaims } from './user-claims.js';

/** Everything a grant decided; the issuer turns it into tokens. */
export interface TokenGrant {
  client: ResolvedClient;
  /** Absent for client_credentials (the client is the subject). */
  user?: UserConfig;
  scope: string[];
  audience?: string;
  organizationId?: string;
  /** The DPoP key the access token is bound to (`cnf.jkt`). */
  jkt?: string;
  /** ID-token claims carried over from the login. */
  nonce?: string;
  sid?: string;
  authTime?: number;
  /** The refresh-token family the tokens come from, so revoking it reaches them. */
  familyId?: string;
  /** Auth0's `gty` claim for grants that have one. */
  gty?: string;
  /** RFC 8693 §4.1 `act` claim of the access token: who acts on behalf of the user. */
  act?: Record<string, unknown>;
  /** Authentication methods (`amr`), e.g. `['pwd', 'mfa']` after a verified second factor. */
  amr?: string[];
}

/** The JSON body of a successful token response. */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  /** RFC 8693 token exchange: the type of the issued token. */
  issued_token_type?: string;
}

function subjectOf(grant: TokenGrant): string {
  return grant.user?.user_id ?? `${grant.client.clientId}@clients`;
}

async function sign(
  runtime: TenantRuntime,
  payload: JWTPayload,
  typ: string,
  lifetime: number,
): Promise<string> {
  const key = await runtime.signingKey;
  const now = runtime.clock.now();
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ })
    .setIssuer(runtime.issuer())
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(key.privateKey);
}

/**
 * Signs an RS256 access token and records it (never the JWT itself). Like Auth0, a token with
 * `openid` in scope also names the userinfo endpoint as an audience, and a token requested
 * without an audience is for userinfo only.
 */
async function issueAccessToken(
  runtime: TenantRuntime,
  grant: TokenGrant,
): Promise<{ token: string; jti: string; expiresIn: number }> {
  const userinfo = endpoint(runtime, '/userinfo');
  const aud: string | string[] =
    grant.audience === undefined
      ? userinfo
      : grant.scope.includes('openid')
        ? [grant.audience, userinfo]
        : grant.audience;
  const api = grant.audience === undefined ? undefined : runtime.directory.api(grant.audience);
  // The shorter of the client's and the API's lifetimes: neither side gets more than it asked.
  const expiresIn = Math.min(
    grant.client.accessTokenLifetimeSeconds,
    api?.accessTokenLifetimeSeconds ?? Number.POSITIVE_INFINITY,
  );
  const jti = randomToken(16);
  const sub = subjectOf(grant);
  const payload: JWTPayload = {
    sub,
    aud,
    // RFC 9068 §2.2 requires client_id in an at+jwt; Auth0 SDKs read azp. Both name the client.
    client_id: grant.client.clientId,
    azp: grant.client.clientId,
    scope: grant.scope.join(' '),
    jti,
  };
  if (grant.gty !== undefined) payload.gty = grant.gty;
  if (grant.act !== undefined) payload.act = grant.act;
  if (grant.amr !== undefined) payload.amr = grant.amr;
  if (grant.jkt !== undefined) payload.cnf = { jkt: grant.jkt };
  if (grant.organizationId !== undefined) payload.org_id = grant.organizationId;
  const token = await sign(runtime, payload, 'at+jwt', expiresIn);
  runtime.store.accessTokens.set(jti, {
    jti,
    sub,
    aud,
    clientId: grant.client.clientId,
    expiresAt: runtime.clock.now() + expiresIn,
    revoked: false,
    ...(grant.jkt === undefined ? {} : { jkt: grant.jkt }),
    ...(grant.familyId === undefined ? {} : { familyId: grant.familyId }),
  });
  return { token, jti, expiresIn };
}

/** Signs an RS256 ID token for the user of `grant`. */
async function issueIdToken(runtime: TenantRuntime, grant: TokenGrant, user: UserConfig) {
  const payload: JWTPayload = {
    ...userClaims(user, grant.scope, runtime.startedAt),
    sub: user.user_id,
    aud: grant.client.clientId,
    auth_time: grant.authTime ?? runtime.clock.now(),
  };
  if (grant.nonce !== undefined) payload.nonce = grant.nonce;
  if (grant.amr !== undefined) payload.amr = grant.amr;
  if (grant.sid !== undefined) payload.sid = grant.sid;
  if (grant.organizationId !== undefined) {
    payload.org_id = grant.organizationId;
    const organization = runtime.directory.organization(grant.organizationId);
    if (organization) payload.org_name = organization.name;
  }
  return sign(runtime, payload, 'JWT', grant.client.idTokenLifetimeSeconds);
}

/**
 * Issues the tokens of a successful grant: an access token, an ID token when a user granted
 * `openid`, and the given refresh token. `token_type` is `DPoP` exactly when the access token
 * is bound to a key.
 */
export async function issueTokens(
  runtime: TenantRuntime,
  grant: TokenGrant,
  refreshToken?: string,
): Promise<{ body: TokenResponseBody; accessTokenJti: string }> {
  const access = await issueAccessToken(runtime, grant);
  const body: TokenResponseBody = {
    access_token: access.token,
    token_type: grant.jkt === undefined ? 'Bearer' : 'DPoP',
    expires_in: access.expiresIn,
    scope: grant.scope.join(' '),
  };
  if (grant.user && grant.scope.includes('openid')) {
    body.id_token = await issueIdToken(runtime, grant, grant.user);
  }
  if (refreshToken !== undefined) body.refresh_token = refreshToken;
  return { body, accessTokenJti: access.jti };
}

/**
 * Test aid behind the `idTokenClaims` fault: re-signs an ID token with the tenant's real key after
 * changing claims (`null` removes one), so tests can prove a client rejects a validly signed token
 * with a wrong `iss`, `aud`, `nonce`, `exp` and so on.
 */
export async function resignIdToken(
  runtime: TenantRuntime,
  idToken: string,
  overrides: Record<string, unknown>,
): Promise<string> {
  const key = await runtime.signingKey;
  const payload: JWTPayload = decodeJwt(idToken);
  for (const [claim, value] of Object.entries(overrides)) {
    if (value === null) delete payload[claim];
    else payload[claim] = value;
  }
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .sign(key.privateKey);
}
