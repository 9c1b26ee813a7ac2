/**
 * Parameters a token exchange must never take from `extra`: the protocol's own (the same list as
 * auth0-auth-js). Unlike auth-js, which drops them silently, a reserved name is a caller mistake
 * and throws, so a misplaced `audience` is not lost without a word.
 */
const RESERVED = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'client_assertion',
  'client_assertion_type',
  'subject_token',
  'subject_token_type',
  'requested_token_type',
  'actor_token',
  'actor_token_type',
  'audience',
  'aud',
  'resource',
  'resources',
  'resource_indicator',
  'scope',
  'connection',
  'login_hint',
  'organization',
  'assertion',
]);

/** At most this many values per array (auth0-auth-js's limit against oversized requests). */
const MAX_VALUES = 20;

/**
 * Checks `extra` (custom parameters for the server's token-exchange logic, e.g. Auth0 Actions'
 * `event.request.body`) and turns it into form pairs; an array value repeats its parameter.
 */
export function extraParams(
  extra: Record<string, string | string[]> | undefined,
  name = 'options.extra',
): [string, string][] {
  if (extra === undefined) return [];
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new TypeError(`"${name}" must be an object`);
  }
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(extra)) {
    if (RESERVED.has(key)) {
      throw new TypeError(`"${name}.${key}" is a reserved parameter; use the option instead`);
    }
    const values = Array.isArray(value) ? value : [value];
    if (values.length > MAX_VALUES) {
      throw new TypeError(`"${name}.${key}" must have at most ${MAX_VALUES} values`);
    }
    for (const item of values) {
      if (typeof item !== 'string') {
        throw new TypeError(`"${name}.${key}" must be a string or an array of strings`);
      }
      pairs.push([key, item]);
    }
  }
  return pairs;
}
