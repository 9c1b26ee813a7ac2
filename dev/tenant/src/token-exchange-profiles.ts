import { jwtVerify } from 'jose';
import type { TenantOptions } from './config.js';
import { isRecord } from './config-validation.js';
import { defaultTenantOptions } from './defaults.js';

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

/** A profile after its check: one validator, whatever form it was configured in. */
export interface TokenExchangeProfile {
  name: string;
  subjectTokenType: string;
  audience?: string;
  validate(
    subjectToken: string,
    context: TokenExchangeValidationContext,
    now: number,
  ): Promise<TokenExchangeSubject>;
}

// https://auth0.com/docs/authenticate/custom-token-exchange: namespaces Auth0 keeps for itself.
const RESERVED = /^(urn:(ietf|auth0|okta):|https?:\/\/(auth0|okta)\.com(\/|$))/i;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

function fail(path: string, expectation: string): never {
  throw new TypeError(`"${path}" must be ${expectation}`);
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, 'a non-empty string');
  return value;
}

/** True for a subject token type a profile may use (a URI outside the reserved namespaces). */
export function isCustomTokenType(value: string): boolean {
  return URI.test(value) && !RESERVED.test(value);
}

/** Checks a {@link TokenExchangeProfileConfig} and builds its validator. */
export function parseTokenExchangeProfile(input: unknown, path = 'profile'): TokenExchangeProfile {
  if (!isRecord(input)) fail(path, 'an object');
  const subjectTokenType = nonEmptyString(input.subjectTokenType, `${path}.subjectTokenType`);
  if (!isCustomTokenType(subjectTokenType)) {
    fail(
      `${path}.subjectTokenType`,
      'a URI outside the reserved namespaces (urn:ietf, urn:auth0, urn:okta, auth0.com, okta.com)',
    );
  }
  const name =
    input.name === undefined ? subjectTokenType : nonEmptyString(input.name, `${path}.name`);
  const forms = (['validate', 'tokens', 'hs256Secret'] as const).filter(
    (key) => input[key] !== undefined,
  );
  if (forms.length !== 1) fail(path, 'given exactly one of validate, tokens, hs256Secret');

  let validate: TokenExchangeProfile['validate'];
  if (input.validate !== undefined) {
    const fn = input.validate;
    if (typeof fn !== 'function') fail(`${path}.validate`, 'a function');
    validate = async (token, context) => {
      const subject: unknown = await fn(token, context);
      if (!isRecord(subject) || typeof subject.user_id !== 'string' || subject.user_id === '') {
        throw new Error(`profile ${name}: validate() must return { user_id }`);
      }
      return { user_id: subject.user_id };
    };
  } else if (input.tokens !== undefined) {
    const tokens = input.tokens;
    if (!isRecord(tokens)) fail(`${path}.tokens`, 'an object of subject token → user_id');
    const map = new Map<string, string>();
    for (const [token, userId] of Object.entries(tokens)) {
      map.set(token, nonEmptyString(userId, `${path}.tokens[${JSON.stringify(token)}]`));
    }
    validate = async (token) => {
      const userId = map.get(token);
      if (userId === undefined) throw new Error('unknown subject token');
      return { user_id: userId };
    };
  } else {
    const secret = nonEmptyString(input.hs256Secret, `${path}.hs256Secret`);
    // HS256 keys shorter than the hash output are weak (RFC 7518 §3.2).
    if (secret.length < 32) fail(`${path}.hs256Secret`, 'at least 32 characters long');
    const key = new TextEncoder().encode(secret);
    validate = async (token, _context, now) => {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        currentDate: new Date(now * 1000),
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('no "sub" claim');
      return { user_id: payload.sub };
    };
  }

  const profile: TokenExchangeProfile = { name, subjectTokenType, validate };
  if (input.audience !== undefined) {
    profile.audience = nonEmptyString(input.audience, `${path}.audience`);
  }
  return profile;
}

/** The configured profiles, by subject token type. */
export class TokenExchangeProfiles {
  readonly #byType = new Map<string, TokenExchangeProfile>();

  /** Absent from `options`, the profiles of {@link defaultTenantOptions} apply. */
  constructor(options: TenantOptions) {
    const profiles: unknown =
      options.tokenExchangeProfiles ?? defaultTenantOptions().tokenExchangeProfiles;
    if (!Array.isArray(profiles)) fail('options.tokenExchangeProfiles', 'an array');
    profiles.forEach((input, index) => {
      const path = `options.tokenExchangeProfiles[${index}]`;
      const profile = parseTokenExchangeProfile(input, path);
      if (this.#byType.has(profile.subjectTokenType)) {
        fail(`${path}.subjectTokenType`, 'unique among the profiles');
      }
      this.#byType.set(profile.subjectTokenType, profile);
    });
  }

  get(subjectTokenType: string): TokenExchangeProfile | undefined {
    return this.#byType.get(subjectTokenType);
  }
}
