import { jwtVerify } from 'jose';
import type { TenantOptions } from './config.js';
import { isRecord } from './config-validation.js';
import { defaultTenantOptions } from './defaults.js';
import type {
  TokenExchangeProfileConfig,
  TokenExchangeSubject,
  TokenExchangeValidationContext,
} from './token-exchange-profile-config.js';

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
