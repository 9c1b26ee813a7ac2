import type { Hono } from 'hono';
import { CLIENT_ASSERTION_ALGORITHMS, CLIENT_AUTH_METHODS } from '../client-auth.js';
import { SUPPORTED_GRANT_TYPES } from '../config.js';
import { endpoint, type TenantEnv, type TenantRuntime } from '../context.js';
import { OIDC_SCOPES } from '../scopes.js';

/**
 * `/.well-known/openid-configuration` and `/.well-known/jwks.json`. The document advertises
 * exactly what the tenant implements: client authentication per endpoint (public clients may
 * revoke, but not introspect), no request objects, `iss` in authorization responses.
 */
export function registerDiscoveryRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.get('/.well-known/openid-configuration', (c) => {
    const url = (path: string) => endpoint(runtime, path);
    const assertionAlgorithms = [...CLIENT_ASSERTION_ALGORITHMS];
    return c.json({
      issuer: runtime.issuer(),
      authorization_endpoint: url('/authorize'),
      token_endpoint: url('/oauth/token'),
      userinfo_endpoint: url('/userinfo'),
      jwks_uri: url('/.well-known/jwks.json'),
      revocation_endpoint: url('/oauth/revoke'),
      introspection_endpoint: url('/oauth/introspect'),
      end_session_endpoint: url('/oidc/logout'),
      // Auth0 advertises the MFA API here (the rest of it lives beside it: /mfa/associate …).
      mfa_challenge_endpoint: url('/mfa/challenge'),
      pushed_authorization_request_endpoint: url('/oauth/par'),
      backchannel_authentication_endpoint: url('/bc-authorize'),
      backchannel_token_delivery_modes_supported: ['poll'],
      scopes_supported: [...OIDC_SCOPES, ...runtime.directory.apis().flatMap((api) => api.scopes)],
      response_types_supported: ['code'],
      response_modes_supported: ['query', 'fragment', 'form_post', 'web_message'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: [...SUPPORTED_GRANT_TYPES],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['none', ...CLIENT_AUTH_METHODS],
      token_endpoint_auth_signing_alg_values_supported: assertionAlgorithms,
      revocation_endpoint_auth_methods_supported: ['none', ...CLIENT_AUTH_METHODS],
      revocation_endpoint_auth_signing_alg_values_supported: assertionAlgorithms,
      introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      introspection_endpoint_auth_signing_alg_values_supported: assertionAlgorithms,
      code_challenge_methods_supported: ['S256'],
      dpop_signing_alg_values_supported: [...runtime.dpop.algorithms],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'amr',
        'nonce',
        'sid',
        'org_id',
        'org_name',
        'name',
        'nickname',
        'picture',
        'updated_at',
        'email',
        'email_verified',
      ],
      // Request objects are refused, by value and by reference (OIDC Discovery defaults
      // request_uri_parameter_supported to true, so it must be said). A PAR request_uri is
      // not a request object reference and does not depend on it (RFC 9126 §4).
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });

  app.get('/.well-known/jwks.json', async (c) => {
    const key = await runtime.signingKey;
    return c.json({ keys: [key.publicJwk] });
  });
}
