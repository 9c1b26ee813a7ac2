import type { ApiConfig, ResolvedClient } from '../config.js';
import type { TenantRuntime } from '../context.js';
import type { VerifiedDpopProof } from '../dpop-verifier.js';
import { OAuthErrorResponse } from '../oauth-error-response.js';
import type { RequestParams } from '../request-params.js';
import type { TokenResponseBody } from '../token-issuer.js';

/** What a grant handler gets: an authenticated client and, when one was sent, a valid proof. */
export interface GrantContext {
  runtime: TenantRuntime;
  client: ResolvedClient;
  params: RequestParams;
  /** Present only when the client may use DPoP and sent a proof that verified. */
  proof?: VerifiedDpopProof;
}

/** Handles one grant type; throws {@link OAuthErrorResponse} to refuse. */
export type GrantHandler = (context: GrantContext) => Promise<TokenResponseBody>;

/** The API named by `audience`, or Auth0's 403 `access_denied` "Service not found". */
export function knownApi(runtime: TenantRuntime, audience: string): ApiConfig {
  const api = runtime.directory.api(audience);
  if (!api)
    throw new OAuthErrorResponse('access_denied', `Service not found: ${audience}`, {
      status: 403,
    });
  return api;
}

/** A required parameter, or `invalid_request`. */
export function requiredParam(params: RequestParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthErrorResponse('invalid_request', `"${name}" is missing`);
  return value;
}
