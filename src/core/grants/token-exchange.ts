import { decodeJwt } from 'jose';
import type { ClientContext } from '../context.js';
import { requestToken } from '../token-request.js';
import { type ActClaim, type TokenResponse, toTokenResponse } from '../token-response.js';
import { extraParams } from './extra-params.js';

/** RFC 8693's grant type: Auth0 Custom Token Exchange. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';

/**
 * Custom Token Exchange (RFC 8693) through a Token Exchange Profile, with the option names of
 * auth0-auth-js's `ExchangeProfileOptions`.
 */
export interface ExchangeProfileOptions {
  /** A URI you own that a profile of the tenant handles, e.g. `urn:acme:legacy-token`. */
  subjectTokenType: string;
  /** The token to exchange. */
  subjectToken: string;
  /** The API to get an access token for. */
  audience?: string | undefined;
  /** Scopes to ask for; include `openid` for an ID token. */
  scope?: string | undefined;
  /** Default (server side): `urn:ietf:params:oauth:token-type:access_token`. */
  requestedTokenType?: string | undefined;
  /** Organization id (`org_…`) or name; the ID token's organization is checked against it. */
  organization?: string | undefined;
  /** Who acts on behalf of the subject; the tokens then carry an `act` claim. */
  actorToken?: string | undefined;
  /** Required with `actorToken`. */
  actorTokenType?: string | undefined;
  /** Custom parameters for the server's exchange logic; never secrets or personal data. */
  extra?: Record<string, string | string[]> | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}

function actOf(
  claims: Record<string, unknown> | undefined,
  accessToken: string,
): ActClaim | undefined {
  let act = claims?.act;
  if (act === undefined) {
    try {
      act = decodeJwt(accessToken).act;
    } catch {
      return undefined; // an opaque access token: nothing to read
    }
  }
  const candidate = act as { sub?: unknown } | undefined;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.sub === 'string'
    ? (candidate as ActClaim)
    : undefined;
}

/**
 * Exchanges a subject token for tokens of the user it names (RFC 8693). The ID token, when there
 * is one, is verified like a login's (signature, `iss`, `aud`, `exp`, and the organization when
 * one was asked for); with an actor token, `act` is read from the ID or access token.
 *
 * @example
 * ```ts
 * import { tokenExchangeGrant } from 'auth0-enclave/core';
 *
 * const tokens = await tokenExchangeGrant(context, {
 *   subjectTokenType: 'urn:acme:legacy-token',
 *   subjectToken: accessToken, // the legacy system's token
 *   scope: 'openid offline_access',
 * });
 * ```
 */
export async function tokenExchangeGrant(
  context: ClientContext,
  options: ExchangeProfileOptions,
): Promise<TokenResponse> {
  const raw = await requestToken(context, {
    params: {
      grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
      subject_token_type: options.subjectTokenType,
      subject_token: options.subjectToken,
      audience: options.audience,
      scope: options.scope,
      requested_token_type: options.requestedTokenType,
      organization: options.organization,
      actor_token: options.actorToken,
      actor_token_type: options.actorTokenType,
    },
    extra: extraParams(options.extra),
    signal: options.signal,
    what: 'Token exchange',
  });
  const result = await toTokenResponse(context, raw, { organization: options.organization });
  if (options.actorToken !== undefined) {
    const act = actOf(result.claims, result.accessToken);
    if (act) result.act = act;
  }
  return result;
}
