import { assertSecureUrl } from './domain.js';
import { InvalidConfigurationError } from './errors.js';
import { errorFromResponse, type HttpConfig, isOk, parseJsonObject, send } from './http.js';

/** The parts of the OpenID Provider metadata the SDK uses (RFC 8414 / OIDC Discovery). */
export interface ServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  mfa_challenge_endpoint?: string;
  pushed_authorization_request_endpoint?: string;
  id_token_signing_alg_values_supported?: string[];
  dpop_signing_alg_values_supported?: string[];
  code_challenge_methods_supported?: string[];
  response_modes_supported?: string[];
  grant_types_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
  [other: string]: unknown;
}

const ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'userinfo_endpoint',
  'revocation_endpoint',
  'end_session_endpoint',
  'mfa_challenge_endpoint',
  'pushed_authorization_request_endpoint',
] as const;

/**
 * Auth0's well-known paths, used when a server publishes no discovery document. Auth0 offers no
 * `end_session_endpoint` unless RP-initiated logout is enabled, so logout falls back to /v2/logout.
 */
export function auth0Metadata(base: URL): ServerMetadata {
  const at = (path: string) => new URL(path, base).href;
  return {
    issuer: base.href,
    authorization_endpoint: at('authorize'),
    token_endpoint: at('oauth/token'),
    jwks_uri: at('.well-known/jwks.json'),
    userinfo_endpoint: at('userinfo'),
    revocation_endpoint: at('oauth/revoke'),
    mfa_challenge_endpoint: at('mfa/challenge'),
  };
}

/**
 * Fetches `/.well-known/openid-configuration` below `base`. A server without a discovery document
 * (404, 410, or a 2xx that is not JSON) is treated as Auth0 and gets its well-known paths; a 5xx,
 * a 429, a network failure or a timeout is an error, since nothing else would work either. A document whose `issuer`
 * does not name `base` is refused: trusting it would let that server speak for another issuer.
 */
export async function discover(http: HttpConfig, base: URL): Promise<ServerMetadata> {
  const response = await send(http, new URL('.well-known/openid-configuration', base).href, {
    method: 'GET',
    headers: { accept: 'application/json' },
    what: 'Discovery',
  });
  // No document (404/410): an Auth0 tenant or a server without discovery. A 5xx or 429 is an
  // outage, not an answer, so it is an error and nothing is cached.
  if (response.status === 404 || response.status === 410) return auth0Metadata(base);
  if (!isOk(response)) throw errorFromResponse(response, 'Discovery');
  let document: Record<string, unknown>;
  try {
    document = parseJsonObject(response, 'Discovery');
  } catch {
    return auth0Metadata(base);
  }
  const issuer = document.issuer;
  const expected = [base.href, base.href.slice(0, -1)];
  if (typeof issuer !== 'string' || !expected.includes(issuer)) {
    throw new InvalidConfigurationError({
      message: `Discovery: the document's issuer "${String(issuer)}" does not match the configured domain "${base.href}".`,
    });
  }
  const fallback = auth0Metadata(base);
  const metadata: ServerMetadata = { ...document, issuer } as ServerMetadata;
  for (const name of ENDPOINTS) {
    const value = document[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new InvalidConfigurationError({ message: `Discovery: "${name}" is not a string.` });
    }
    try {
      assertSecureUrl(value, `Discovery "${name}"`);
    } catch (cause) {
      throw new InvalidConfigurationError({ message: (cause as Error).message, cause });
    }
  }
  for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (metadata[name] === undefined) metadata[name] = fallback[name];
  }
  return metadata;
}
