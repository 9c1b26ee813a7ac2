// The configuration shape of Custom Token Exchange profiles: part of `TenantOptions`, kept apart
// from the validators built from it (token-exchange-profiles.ts) so that config.ts needs nothing
// that needs it.

/** What a {@link TokenExchangeProfileConfig.validate} function learns about the request. */
export interface TokenExchangeValidationContext {
  /** The profile's `subject_token_type` (also the actor's, when an actor token is checked). */
  subjectTokenType: string;
  /** The authenticated client. */
  clientId: string;
  /** The audience the tokens are for (the request's, else the profile's), if any. */
  audience?: string | undefined;
  /** The requested scopes. */
  scope: string[];
  /** The `organization` parameter, as sent. */
  organization?: string | undefined;
  /** `true` when the token being checked is an `actor_token`, not the `subject_token`. */
  actor: boolean;
  /** Any request parameter, e.g. an `extra` one such as `device_id` (Auth0: `event.request.body`). */
  param(name: string): string | undefined;
}

/** Whom a subject (or actor) token stands for. */
export interface TokenExchangeSubject {
  /** For a subject token: an existing user's `user_id`. For an actor token: the `act.sub`. */
  user_id: string;
}

/**
 * A Custom Token Exchange profile (RFC 8693 `urn:ietf:params:oauth:grant-type:token-exchange`):
 * which `subject_token_type` it handles and how a subject token of that type is checked. This is
 * what an Auth0 Token Exchange Profile plus its Action do. Give exactly one of `validate` (code
 * only), `tokens` or `hs256Secret` (both fit in a JSON config file).
 *
 * @example
 * ```ts
 * import type { TokenExchangeProfileConfig } from 'auth0-enclave-tenant';
 *
 * declare function lookUp(token: string): Promise<string>; // your user lookup
 *
 * const profiles: TokenExchangeProfileConfig[] = [
 *   { subjectTokenType: 'urn:acme:legacy-token', tokens: { 'legacy-alice': 'auth0|alice' } },
 *   { subjectTokenType: 'urn:acme:partner-jwt', hs256Secret: 'a shared secret of 32+ chars……' },
 *   {
 *     subjectTokenType: 'urn:acme:mcp-token',
 *     audience: 'https://api.example.com/',
 *     validate: async (token) => ({ user_id: await lookUp(token) }), // throw to refuse
 *   },
 * ];
 * ```
 */
export interface TokenExchangeProfileConfig {
  /** Shown in errors. Default: the subject token type. */
  name?: string | undefined;
  /**
   * A URI you own, e.g. `urn:acme:legacy-token`. Auth0's reserved namespaces are refused:
   * `urn:ietf:`, `urn:auth0:`, `urn:okta:`, `http(s)://auth0.com`, `http(s)://okta.com`.
   */
  subjectTokenType: string;
  /** The API the tokens are for when the request names no `audience`. Default: none (userinfo). */
  audience?: string | undefined;
  /** Checks a subject token; resolve with the user, or throw (the answer is `invalid_grant`). */
  validate?:
    | ((
        subjectToken: string,
        context: TokenExchangeValidationContext,
      ) => TokenExchangeSubject | Promise<TokenExchangeSubject>)
    | undefined;
  /** Declarative: exact subject token → `user_id`. */
  tokens?: Record<string, string> | undefined;
  /**
   * Declarative: subject tokens are HS256 JWTs signed with this secret (at least 32 characters);
   * `sub` names the user, and `exp`/`nbf`, when present, are checked against the tenant clock.
   */
  hs256Secret?: string | undefined;
}
