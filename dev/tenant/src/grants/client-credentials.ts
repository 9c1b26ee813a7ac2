import { OAuthErrorResponse } from '../oauth-error-response.js';
import { parseScope } from '../scopes.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type GrantHandler, knownApi } from './grant.js';

/**
 * `client_credentials` (confidential clients only): a token for an API, with the API's scopes
 * the client asked for (all of them when it asked for none), no ID token, no refresh token.
 */
export const clientCredentialsGrant: GrantHandler = async ({ runtime, client, params, proof }) => {
  if (client.tokenEndpointAuthMethod === 'none') {
    throw new OAuthErrorResponse(
      'unauthorized_client',
      'public clients cannot use client_credentials',
      {
        status: 403,
      },
    );
  }
  const audience = params.get('audience');
  if (audience === undefined) {
    throw new OAuthErrorResponse('access_denied', 'No audience parameter was provided', {
      status: 403,
    });
  }
  const api = knownApi(runtime, audience);
  const requested = params.has('scope') ? parseScope(params.get('scope')) : api.scopes;
  const grant: TokenGrant = {
    client,
    scope: requested.filter((scope) => api.scopes.includes(scope)),
    audience,
    gty: 'client-credentials',
  };
  const organization = params.get('organization');
  if (organization !== undefined) {
    const found = runtime.directory.organization(organization);
    if (!found)
      throw new OAuthErrorResponse('invalid_request', `unknown organization "${organization}"`);
    grant.organizationId = found.id;
  }
  if (proof) grant.jkt = proof.jkt;
  return (await issueTokens(runtime, grant)).body;
};
