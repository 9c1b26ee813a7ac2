import { assertSecureUrl } from './domain.js';
import { InvalidConfigurationError } from './errors.js';
import { errorFromResponse, type HttpConfig, isOk, parseJsonObject, send } from './http.js';

/** The parts of the OpenID Provider metadata the SDK uses (RFC 8414 / OIDC Discovery). */
export interface ServerMetadata {
  /** The server's issuer identifier; ID tokens' `iss` must equal it. */
  issuer: string;
  /** The `/authorize` URL logins are redirected to. */
  authorization_endpoint: string;
  /** The token endpoint every grant posts to. */
  token_endpoint: string;
  /**
   * Where the server's public signing keys (JWKS) are fetched from, to verify ID and logout tokens.
   */
  jwks_uri: string;
  /** The OIDC userinfo endpoint, when the server has one. */
  userinfo_endpoint?: string;
  /** The RFC 7009 revocation endpoint, when the server has one. */
  revocation_endpoint?: string;
  /** The OIDC RP-initiated logout endpoint; without it, logout URLs use Auth0's `/v2/logout`. */
  end_session_endpoint?: string;
  /** Auth0's MFA challenge endpoint (`/mfa/challenge`), when advertised or assumed for Auth0. */
  mfa_challenge_endpoint?: string;
  /** The RFC 9126 pushed authorization request (PAR) endpoint, when the server offers one. */
  pushed_authorization_request_endpoint?: string;
  /** Algorithms the server signs ID tokens with, e.g. `RS256`. */
  id_token_signing_alg_values_supported?: string[];
  /** Algorithms the server accepts for DPoP proofs (RFC 9449). */
  dpop_signing_alg_values_supported?: string[];
  /** PKCE methods the server supports (the SDK always sends `S256`). */
  code_challenge_methods_supported?: string[];
  /** `response_mode` values the server supports, e.g. `query`, `form_post`. */
  response_modes_supported?: string[];
  /** Grant types the server supports. */
  grant_types_supported?: string[];
  /**
   * Whether the server adds `iss` to authorization responses (RFC 9207); the callback must then
   * carry it.
   */
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
