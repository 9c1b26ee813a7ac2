import { isRecord } from '../config-validation.js';
import type { TenantRuntime } from '../context.js';
import { invalidGrant, invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { verifyOwnAccessToken } from '../own-access-token.js';
import { grantableScopes, parseScope } from '../scopes.js';
import type { TokenExchangeValidationContext } from '../token-exchange-profile-config.js';
import type { TokenExchangeProfile } from '../token-exchange-profiles.js';
import { issueTokens, type TokenGrant } from '../token-issuer.js';
import { type GrantHandler, knownApi, requiredParam } from './grant.js';
import { startRefreshFamily } from './refresh-family.js';

/** RFC 8693's grant type (Auth0 Custom Token Exchange). */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3 token type identifiers. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const REFRESH_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:refresh_token';

/** Client credentials stay out of what a profile's `validate` function can read. */
const HIDDEN_PARAMS = new Set(['client_secret', 'client_assertion']);

function reason(cause: unknown): string {
  return cause instanceof Error && cause.message !== '' ? cause.message : 'rejected';
}

async function runValidator(
  profile: TokenExchangeProfile,
  token: string,
  context: TokenExchangeValidationContext,
  now: number,
): Promise<string> {
  try {
    return (await profile.validate(token, context, now)).user_id;
  } catch (cause) {
    const which = context.actor ? 'actor_token' : 'subject_token';
    throw invalidGrant(`Invalid ${which} (profile ${profile.name}): ${reason(cause)}`);
  }
}

/**
 * The `act` claim (RFC 8693 §4.1) for an actor token: an access token of this tenant (`act.sub`
 * is its `sub`, and an `act` it carries nests inside), or a token of a configured profile's type
 * (`act.sub` is what that profile's validator returns).
 */
async function actorClaim(
  runtime: TenantRuntime,
  actorToken: string,
  actorTokenType: string,
  context: TokenExchangeValidationContext,
): Promise<Record<string, unknown>> {
  if (actorTokenType === ACCESS_TOKEN_TYPE) {
    let claims: Awaited<ReturnType<typeof verifyOwnAccessToken>>['claims'];
    try {
      ({ claims } = await verifyOwnAccessToken(runtime, actorToken));
    } catch (cause) {
      throw invalidGrant(`Invalid actor_token: ${reason(cause)}`);
    }
    const act: Record<string, unknown> = { sub: claims.sub };
    if (isRecord(claims.act)) act.act = claims.act;
    return act;
  }
  const profile = runtime.tokenExchangeProfiles.get(actorTokenType);
  if (!profile) throw invalidRequest(`Unsupported actor_token_type: ${actorTokenType}`);
  const sub = await runValidator(
    profile,
    actorToken,
    { ...context, subjectTokenType: actorTokenType, actor: true },
    runtime.clock.now(),
  );
  return { sub };
}

/**
 * Custom Token Exchange (RFC 8693, `urn:ietf:params:oauth:grant-type:token-exchange`): the
 * profile for `subject_token_type` checks the subject token and names the user, who then gets
 * tokens as after a login: an ID token with `openid`, a refresh token with `offline_access`
 * (when the client may refresh and has rotation on), DPoP-bound with a proof, `org_id` with an
 * organization, and `act` with an actor token. The response adds `issued_token_type`.
 */
export const tokenExchangeGrant: GrantHandler = async (context) => {
  const { runtime, client, params, proof } = context;
  const { directory, clock } = runtime;
  const subjectToken = requiredParam(params, 'subject_token');
  const subjectTokenType = requiredParam(params, 'subject_token_type');
  const actorToken = params.get('actor_token');
  const actorTokenType = params.get('actor_token_type');
  if ((actorToken === undefined) !== (actorTokenType === undefined)) {
    throw invalidRequest('actor_token and actor_token_type must be sent together');
  }
  const requestedTokenType = params.get('requested_token_type');
  if (requestedTokenType !== undefined && requestedTokenType !== ACCESS_TOKEN_TYPE) {
    throw invalidRequest(`Unsupported requested_token_type: ${requestedTokenType}`);
  }
  const profile = runtime.tokenExchangeProfiles.get(subjectTokenType);
  if (!profile) {
    throw invalidRequest(`No Token Exchange Profile for subject_token_type ${subjectTokenType}`);
  }
  const audience = params.get('audience') ?? profile.audience;
  const api = audience === undefined ? undefined : knownApi(runtime, audience);
  const requested = parseScope(params.get('scope') ?? 'openid');
  const organizationParam = params.get('organization');
  const organization =
    organizationParam === undefined ? undefined : directory.organization(organizationParam);
  if (organizationParam !== undefined && !organization) {
    throw invalidRequest(`unknown organization "${organizationParam}"`);
  }

  const validation: TokenExchangeValidationContext = {
    subjectTokenType,
    clientId: client.clientId,
    audience,
    scope: requested,
    organization: organizationParam,
    actor: false,
    param: (name) => (HIDDEN_PARAMS.has(name) ? undefined : params.get(name)),
  };
  const now = clock.now();
  const userId = await runValidator(profile, subjectToken, validation, now);
  const user = directory.user(userId);
  if (!user) throw invalidGrant(`The subject token names an unknown user (${userId})`);
  if (organization && !directory.isMember(organization, user.user_id)) {
    throw new OAuthErrorResponse(
      'access_denied',
      `user is not a member of organization ${organization.name}`,
      { status: 403 },
    );
  }
  const act =
    actorToken === undefined || actorTokenType === undefined
      ? undefined
      : await actorClaim(runtime, actorToken, actorTokenType, validation);

  const scope = grantableScopes(requested, api);
  const family = client.refreshTokenRotation
    ? startRefreshFamily(context, {
        userId: user.user_id,
        scope,
        authTime: now,
        ...(audience === undefined ? {} : { audience }),
        ...(organization === undefined ? {} : { organizationId: organization.id }),
        ...(act === undefined ? {} : { act }),
      })
    : undefined;
  const grant: TokenGrant = { client, user, scope, authTime: now };
  if (audience !== undefined) grant.audience = audience;
  if (organization !== undefined) grant.organizationId = organization.id;
  if (act !== undefined) grant.act = act;
  if (proof) grant.jkt = proof.jkt;
  if (family) grant.familyId = family.familyId;
  const { body } = await issueTokens(runtime, grant, family?.token);
  return { ...body, issued_token_type: ACCESS_TOKEN_TYPE };
};
