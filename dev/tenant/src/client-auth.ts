import { createLocalJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import { realNow } from './clock.js';
import type { ResolvedClient } from './config.js';
import { endpoint, type TenantRuntime } from './context.js';
import { invalidClient } from './oauth-error-response.js';
import type { RequestParams } from './request-params.js';
import { secretsEqual } from './secret-compare.js';

/** RFC 7523 client assertion type for private_key_jwt. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const ASSERTION_ALGORITHMS = [
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
];
/** Longest accepted assertion lifetime: it is a one-request credential. */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;

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
      algorithms: ASSERTION_ALGORITHMS,
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
 * Authenticates the client of a token or revocation request with its registered method: `none`
 * (client_id only), `client_secret_post`, or `private_key_jwt`. Any failure is a 401
 * `invalid_client`; a client never gets to pick a weaker method than the registered one.
 */
export async function authenticateClient(
  runtime: TenantRuntime,
  params: RequestParams,
  endpointPath: string,
): Promise<ResolvedClient> {
  const assertionType = params.get('client_assertion_type');
  const assertion = params.get('client_assertion');
  const secret = params.get('client_secret');
  let clientId = params.get('client_id');

  if (assertion !== undefined || assertionType !== undefined) {
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
      if (secret !== undefined || assertion !== undefined) {
        throw invalidClient('this client is public (auth method "none"): send no credentials');
      }
      return client;
    case 'client_secret_post':
      if (assertion !== undefined)
        throw invalidClient('this client authenticates with client_secret');
      if (secret === undefined || client.clientSecret === undefined) {
        throw invalidClient('client_secret is missing');
      }
      if (!secretsEqual(secret, client.clientSecret)) throw invalidClient('client_secret is wrong');
      return client;
    case 'private_key_jwt':
      if (assertion === undefined)
        throw invalidClient('this client authenticates with a client_assertion');
      if (secret !== undefined) throw invalidClient('this client must not send client_secret');
      await verifyAssertion(runtime, client, assertion, endpointPath);
      return client;
  }
}
