import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';

export const ISSUER = 'https://tenant.example.com/';
export const CLIENT_ID = 'client-abc';

/** An RS256 signing key of a test authorization server, with its public JWKS. */
export interface TestSigner {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  /** The public key as SPKI PEM (for the HS256 key-confusion attack). */
  publicPem: string;
  jwks: { keys: JWK[] };
  /** `createLocalJWKSet` over {@link jwks}. */
  keySet: JWTVerifyGetKey;
}

let counter = 0;

/** Generates an RS256 key pair and its JWKS. */
export async function createSigner(kid = `kid-${++counter}`): Promise<TestSigner> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const jwks = { keys: [publicJwk] };
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk,
    publicPem: await exportSPKI(publicKey),
    jwks,
    keySet: createLocalJWKSet(jwks),
  };
}

/** Seconds since the epoch. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Signs a JWT with exactly `payload` (no defaults are added here; callers build complete claim
 * sets, so a test that removes a claim really removes it).
 */
export async function signJwt(
  signer: Pick<TestSigner, 'kid' | 'privateKey'>,
  payload: JWTPayload,
  header: { typ?: string } = {},
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: signer.kid, ...header })
    .sign(signer.privateKey);
}

/** The claims of a valid ID token for {@link CLIENT_ID} from {@link ISSUER}. */
export function idTokenClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return {
    iss: ISSUER,
    aud: CLIENT_ID,
    sub: 'auth0|user-1',
    iat: now,
    exp: now + 3600,
    nonce: 'nonce-1',
    ...overrides,
  };
}

/** The claims of a valid back-channel logout token for {@link CLIENT_ID} from {@link ISSUER}. */
export function logoutTokenClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return {
    iss: ISSUER,
    aud: CLIENT_ID,
    iat: now,
    exp: now + 120,
    jti: `jti-${++counter}`,
    sub: 'auth0|user-1',
    sid: 'sid-1',
    events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    ...overrides,
  };
}

/** Removes claims from a claim set (for "missing claim" cases). */
export function without(payload: JWTPayload, ...names: string[]): JWTPayload {
  const copy = { ...payload };
  for (const name of names) delete copy[name];
  return copy;
}
