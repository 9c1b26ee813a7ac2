import { createLocalJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import { realNow } from './clock.js';
import type { ResolvedClient } from './config.js';
import { endpoint, type TenantRuntime } from './context.js';
import { invalidClient, OAuthErrorResponse } from './oauth-error-response.js';
import type { RequestParams } from './request-params.js';
import { secretsEqual } from './secret-compare.js';

/** RFC 7523 client assertion type for private_key_jwt. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The client authentication methods of every endpoint that authenticates clients (token,
 * revocation, introspection), in the order discovery lists them. Both secret methods work for
 * every client that has a secret: RFC 6749 §2.3.1 makes HTTP Basic mandatory for them, and the
 * body form is what Auth0 SDKs send.
 */
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
] as const;

/**
 * The algorithms a private_key_jwt assertion may be signed with: exactly the ones discovery
 * advertises (`*_endpoint_auth_signing_alg_values_supported`), no more.
 */
export const CLIENT_ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** Longest accepted assertion lifetime: it is a one-request credential. */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** The client id and secret of an `Authorization: Basic` header (RFC 6749 §2.3.1). */
function basicCredentials(header: string): { clientId: string; secret: string } {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) {
    throw invalidClient('the Authorization header is not HTTP Basic client credentials');
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('HTTP Basic credentials have no ":"');
  // Both halves are form-urlencoded before base64 (RFC 6749 §2.3.1, Appendix B).
  const formDecode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      secret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw invalidClient('HTTP Basic credentials are not form-urlencoded');
  }
}

async function verifyAssertion(
  runtime: TenantRuntime,
  client: ResolvedClient,
  assertion: string,
  endpointPath: string,
): Promise<void> {
  if (!client.jwks) throw invalidClient('client has no keys registered');
  // Assertions are signed with the client's real clock, like DPoP proofs, so they are judged
  // by real time even while tests move the tenant clock.
  const now = realNow();
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      issuer: client.clientId,
      subject: client.clientId,
      audience: [
        runtime.issuer(),
        endpoint(runtime, '/oauth/token'),
        endpoint(runtime, endpointPath),
      ],
      algorithms: [...CLIENT_ASSERTION_ALGORITHMS],
      requiredClaims: ['exp', 'jti'],
      currentDate: new Date(now * 1000),
    }));
  } catch (cause) {
    const reason = cause instanceof errors.JOSEError ? cause.message : 'verification failed';
    throw invalidClient(`client assertion is invalid: ${reason}`);
  }
  const { exp, jti } = payload;
  if (typeof exp !== 'number' || exp - now > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw invalidClient(
      `client assertion must expire within ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`,
    );
  }
  if (
    typeof jti !== 'string' ||
    !runtime.assertionReplays.remember(`${client.clientId}:${jti}`, exp)
  ) {
    throw invalidClient('client assertion "jti" has already been used');
  }
}

/**
 * Authenticates the client of a token, revocation or introspection request with a method its
 * registration allows: `none` (client_id only); a secret, sent as HTTP Basic
 * (`client_secret_basic`, the `Authorization` header) or in the body (`client_secret_post`);
 * or `private_key_jwt`. Exactly one method per request (RFC 6749 §2.3). Any failure is a 401
 * `invalid_client` with a Basic challenge; a client never gets to pick a weaker method than the
 * registered one.
 */
export async function authenticateClient(
  runtime: TenantRuntime,
  params: RequestParams,
  endpointPath: string,
  authorizationHeader?: string,
): Promise<ResolvedClient> {
  const assertionType = params.get('client_assertion_type');
  const assertion = params.get('client_assertion');
  let secret = params.get('client_secret');
  let clientId = params.get('client_id');
  const basic =
    authorizationHeader === undefined ? undefined : basicCredentials(authorizationHeader);
  const usesAssertion = assertion !== undefined || assertionType !== undefined;
  if ([basic !== undefined, secret !== undefined, usesAssertion].filter(Boolean).length > 1) {
    throw new OAuthErrorResponse(
      'invalid_request',
      'use exactly one client authentication method (HTTP Basic, client_secret or client_assertion)',
    );
  }

  if (basic) {
    // client_id may be repeated in the body (some clients do), but must name the same client.
    if (clientId !== undefined && clientId !== basic.clientId) {
      throw invalidClient('client_id does not match the HTTP Basic credentials');
    }
    clientId = basic.clientId;
    secret = basic.secret;
  }
  if (usesAssertion) {
    if (assertionType !== JWT_BEARER_ASSERTION) {
      throw invalidClient(`client_assertion_type must be "${JWT_BEARER_ASSERTION}"`);
    }
    if (assertion === undefined) throw invalidClient('client_assertion is missing');
    let issuer: unknown;
    try {
      issuer = decodeJwt(assertion).iss;
    } catch {
      throw invalidClient('client_assertion is not a JWT');
    }
    if (typeof issuer !== 'string') throw invalidClient('client assertion has no "iss"');
    if (clientId !== undefined && clientId !== issuer) {
      throw invalidClient('client_id does not match the client assertion issuer');
    }
    clientId = issuer;
  }
  if (clientId === undefined) throw invalidClient('client_id is missing');
  const client = runtime.directory.client(clientId);
  if (!client) throw invalidClient(`Unknown client "${clientId}"`);

  switch (client.tokenEndpointAuthMethod) {
    case 'none':
      if (secret !== undefined || usesAssertion) {
        throw invalidClient('this client is public (auth method "none"): send no credentials');
      }
      return client;
    case 'client_secret_basic':
    case 'client_secret_post':
      if (usesAssertion) throw invalidClient('this client authenticates with a secret');
      if (secret === undefined || client.clientSecret === undefined) {
        throw invalidClient('client_secret is missing');
      }
      if (!secretsEqual(secret, client.clientSecret)) {
        throw invalidClient('client_secret is wrong');
      }
      return client;
    case 'private_key_jwt':
      if (assertion === undefined) {
        throw invalidClient('this client authenticates with a client_assertion');
      }
      await verifyAssertion(runtime, client, assertion, endpointPath);
      return client;
  }
}
