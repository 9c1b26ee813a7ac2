import type { JWTPayload } from 'jose';
import type { DpopMode } from './config.js';
import type { DpopNonces } from './dpop-nonces.js';
import { DpopProofError, type DpopVerifier, type VerifiedDpopProof } from './dpop-verifier.js';
import { challenge } from './www-authenticate.js';

/** A request to a protected resource, as the checks need it. */
export interface ResourceRequest {
  method: string;
  /** The URL the client addressed (the DPoP `htu`). */
  url: string;
  headers: Headers;
}

/** Options for {@link authenticateResourceRequest}. */
export interface ResourceAccessOptions {
  /** `required`: only DPoP-bound tokens; `allowed`: both; `off`: Bearer only. */
  dpop: DpopMode;
  dpopVerifier: DpopVerifier;
  /** Require a server nonce in proofs (answered with 401 `use_dpop_nonce`). */
  requireNonce?: boolean;
  /** Needed with `requireNonce`: the nonce to hand out. */
  nonces?: DpopNonces;
  /** Verifies the access token's signature, issuer, audience and expiry; throws when invalid. */
  verifyAccessToken(token: string): Promise<JWTPayload>;
  /** `realm` in Bearer challenges. */
  realm?: string;
}

/** A request that passed: who is calling, with which scopes, and how the token was presented. */
export interface ResourceAccess {
  claims: JWTPayload;
  scheme: 'Bearer' | 'DPoP';
  scopes: ReadonlySet<string>;
  /** The proof, for DPoP requests. */
  proof?: VerifiedDpopProof;
}

/**
 * A refused resource request: answer `status` with `headers` (a `WWW-Authenticate` challenge,
 * and `DPoP-Nonce` for `use_dpop_nonce`) and `{ error, error_description }`.
 */
export class ResourceAccessError extends Error {
  /** Always `'ResourceAccessError'`, also in minified builds. */
  override readonly name = 'ResourceAccessError';
  /** 401 for a missing or invalid token or proof, 403 for a missing scope. */
  readonly status: 401 | 403;
  /** The OAuth error code (`invalid_token`, `invalid_dpop_proof`, `use_dpop_nonce`, `insufficient_scope` …). */
  readonly error: string;
  /** Headers for the answer: the `WWW-Authenticate` challenge, and `DPoP-Nonce` for `use_dpop_nonce`. */
  readonly headers: Record<string, string>;

  constructor(
    status: 401 | 403,
    error: string,
    description: string,
    headers: Record<string, string>,
  ) {
    super(description);
    this.status = status;
    this.error = error;
    this.headers = headers;
  }

  /** The response body: `{ error, error_description }`. */
  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}

const AUTHORIZATION = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Authenticates a resource request (RFC 6750 Bearer and RFC 9449 DPoP): verifies the access
 * token, and for DPoP the proof (`htm`, `htu`, `ath`, `jti`, nonce) and that the proof key is
 * the one in the token's `cnf.jkt`. A DPoP-bound token presented as Bearer is refused: that is
 * exactly what a thief without the private key would try.
 *
 * @example
 * ```ts
 * import { createRemoteJWKSet, jwtVerify } from 'jose';
 * import { authenticateResourceRequest, createDpopVerifier } from 'auth0-enclave-tenant/resource-server';
 *
 * const jwks = createRemoteJWKSet(new URL('http://localhost:4000/.well-known/jwks.json'));
 * const access = await authenticateResourceRequest(
 *   { method: request.method, url: request.url, headers: request.headers },
 *   {
 *     dpop: 'allowed',
 *     dpopVerifier: createDpopVerifier(),
 *     verifyAccessToken: async (token) => (await jwtVerify(token, jwks)).payload,
 *   },
 * );
 * ```
 */
export async function authenticateResourceRequest(
  request: ResourceRequest,
  options: ResourceAccessOptions,
): Promise<ResourceAccess> {
  const algs = options.dpopVerifier.algorithms.join(' ');
  const bearer = (params: Record<string, string | undefined> = {}) =>
    challenge('Bearer', { realm: options.realm, ...params });
  const dpop = (params: Record<string, string | undefined> = {}) =>
    challenge('DPoP', { ...params, algs });
  const refuse = (scheme: 'Bearer' | 'DPoP', error: string, description: string, extra = {}) =>
    new ResourceAccessError(401, error, description, {
      'WWW-Authenticate': (scheme === 'DPoP' ? dpop : bearer)({
        error,
        error_description: description,
      }),
      ...extra,
    });

  const header = request.headers.get('authorization');
  if (header === null) {
    const offered =
      options.dpop === 'off'
        ? [bearer()]
        : options.dpop === 'required'
          ? [dpop()]
          : [bearer(), dpop()];
    throw new ResourceAccessError(401, 'invalid_request', 'No access token was sent', {
      'WWW-Authenticate': offered.join(', '),
    });
  }
  const match = AUTHORIZATION.exec(header);
  const scheme = match?.[1]?.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const token = match?.[2];
  if (!match || token === undefined) {
    throw refuse(
      options.dpop === 'required' ? 'DPoP' : 'Bearer',
      'invalid_request',
      'Malformed Authorization header',
    );
  }
  if (scheme === 'DPoP' && options.dpop === 'off') {
    throw refuse('Bearer', 'invalid_request', 'DPoP is not supported here; use Bearer');
  }

  let claims: JWTPayload;
  try {
    claims = await options.verifyAccessToken(token);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : 'invalid';
    throw refuse(scheme, 'invalid_token', `Access token is invalid: ${reason}`);
  }
  const cnf = claims.cnf as { jkt?: unknown } | undefined;
  const boundTo = typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
  const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ') : []);

  if (scheme === 'Bearer') {
    if (boundTo !== undefined) {
      const scheme = options.dpop === 'off' ? 'Bearer' : 'DPoP';
      throw refuse(scheme, 'invalid_token', 'DPoP-bound access token presented as Bearer');
    }
    if (options.dpop === 'required') {
      throw refuse('DPoP', 'invalid_token', 'A DPoP-bound access token is required');
    }
    return { claims, scheme, scopes };
  }

  if (boundTo === undefined) {
    throw refuse('DPoP', 'invalid_token', 'Access token is not DPoP-bound; use Bearer');
  }
  let proof: VerifiedDpopProof;
  try {
    proof = await options.dpopVerifier.verify({
      proof: request.headers.get('dpop'),
      method: request.method,
      url: request.url,
      accessToken: token,
      requireNonce: options.requireNonce ?? false,
    });
  } catch (cause) {
    if (!(cause instanceof DpopProofError)) throw cause;
    const nonce =
      cause.code === 'use_dpop_nonce' && options.nonces
        ? { 'DPoP-Nonce': options.nonces.current() }
        : {};
    throw refuse('DPoP', cause.code, cause.message, nonce);
  }
  if (proof.jkt !== boundTo) {
    throw refuse(
      'DPoP',
      'invalid_token',
      'DPoP proof key does not match the token binding (cnf.jkt)',
    );
  }
  return { claims, scheme, scopes, proof };
}

/** Refuses with 403 `insufficient_scope` unless the token carries `scope`. */
export function requireScope(access: ResourceAccess, scope: string): void {
  if (access.scopes.has(scope)) return;
  const description = `The "${scope}" scope is required`;
  throw new ResourceAccessError(403, 'insufficient_scope', description, {
    'WWW-Authenticate': challenge(access.scheme, {
      error: 'insufficient_scope',
      error_description: description,
      scope,
    }),
  });
}
