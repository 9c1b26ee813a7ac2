import type { ConnectedAccount } from '../connections.js';
import { invalidGrant, invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { verifyOwnAccessToken } from '../own-access-token.js';
import { parseScope } from '../scopes.js';
import type { TokenResponseBody } from '../token-issuer.js';
import { type GrantContext, type GrantHandler, requiredParam } from './grant.js';
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE } from './token-exchange.js';

/** Auth0's Token Vault grant type. */
export const FEDERATED_CONNECTION_GRANT =
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token';
/** The `requested_token_type` (and `issued_token_type`) of a Token Vault exchange. */
export const FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE =
  'http://auth0.com/oauth/token-type/federated-connection-access-token';

/**
 * The user behind the subject token, which must be good for this client right now: an access
 * token this tenant issued and has not revoked, or an active refresh token of this client. A
 * token bound to a DPoP key only counts with a proof from that key, or anybody who stole a
 * bound token could trade it for an unbound provider token.
 */
async function subjectUser({ runtime, client, params, proof }: GrantContext): Promise<string> {
  const token = requiredParam(params, 'subject_token');
  const type = requiredParam(params, 'subject_token_type');
  let userId: string;
  let boundTo: string | undefined;
  if (type === ACCESS_TOKEN_TYPE) {
    try {
      const { claims, record } = await verifyOwnAccessToken(runtime, token);
      userId = String(claims.sub);
      boundTo = record.jkt;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'invalid';
      throw invalidGrant(`Invalid subject_token: ${reason}`);
    }
  } else if (type === REFRESH_TOKEN_TYPE) {
    const record = runtime.store.refreshTokens.get(token);
    const family = record && runtime.store.families.get(record.familyId);
    if (!record || !family || family.clientId !== client.clientId) {
      throw invalidGrant('Invalid subject_token: unknown or invalid refresh token');
    }
    if (family.revoked || record.status !== 'active') {
      throw invalidGrant('Invalid subject_token: the refresh token has been revoked or rotated');
    }
    if (family.expiresAt <= runtime.clock.now()) {
      throw invalidGrant('Invalid subject_token: the refresh token has expired');
    }
    userId = family.userId;
    boundTo = family.jkt;
  } else {
    throw invalidRequest(
      `subject_token_type must be ${ACCESS_TOKEN_TYPE} or ${REFRESH_TOKEN_TYPE} for Token Vault`,
    );
  }
  if (boundTo !== undefined && proof?.jkt !== boundTo) {
    throw invalidGrant('The subject_token is bound to a DPoP key; send a proof from that key');
  }
  if (!runtime.directory.user(userId)) {
    throw invalidGrant('The subject_token does not stand for a user');
  }
  return userId;
}

/** Auth0's answer when the user has not connected an account at this connection. */
function notConnected(): OAuthErrorResponse {
  return new OAuthErrorResponse(
    'federated_connection_refresh_token_not_found',
    'Federated connection Refresh Token not found.',
    { status: 401 },
  );
}

function vaultResponse(account: ConnectedAccount): TokenResponseBody {
  return {
    access_token: account.accessToken,
    // The provider's token is a bearer token whatever the Auth0 token was bound to.
    token_type: 'Bearer',
    expires_in: account.expiresIn,
    scope: account.scopes.join(' '),
    issued_token_type: FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE,
  };
}

/**
 * Token Vault (`…:federated-connection-access-token`): trades an access or refresh token of a
 * user for the access token of the account they connected at `connection`, answering 401
 * `federated_connection_refresh_token_not_found` when there is none. The provider token is
 * handed out as stored, as if Token Vault had just refreshed it.
 */
export const federatedConnectionGrant: GrantHandler = async (context) => {
  const { runtime, params } = context;
  const requestedType = params.get('requested_token_type');
  if (requestedType !== undefined && requestedType !== FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE) {
    throw invalidRequest(`requested_token_type must be ${FEDERATED_CONNECTION_ACCESS_TOKEN_TYPE}`);
  }
  const connectionName = requiredParam(params, 'connection');
  const connection = runtime.connections.connection(connectionName);
  if (!connection) throw invalidRequest(`Unknown connection: ${connectionName}`);
  const userId = await subjectUser(context);
  const account = runtime.connections.account(connection.name, userId);
  if (!account) throw notConnected();
  const loginHint = params.get('login_hint');
  if (
    loginHint !== undefined &&
    account.loginHint !== undefined &&
    loginHint !== account.loginHint
  ) {
    throw notConnected();
  }
  const missing = parseScope(params.get('scope')).filter((s) => !account.scopes.includes(s));
  if (missing.length > 0) {
    throw new OAuthErrorResponse(
      'invalid_scope',
      `The connected account was not granted: ${missing.join(' ')}`,
    );
  }
  return vaultResponse(account);
};
