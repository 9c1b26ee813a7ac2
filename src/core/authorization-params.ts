/**
 * Parameters for `/authorize` (WIRE.md). Any other string, number or boolean is passed through
 * as a custom parameter, as auth0-spa-js does.
 */
export interface AuthorizationParams {
  redirect_uri?: string | undefined;
  scope?: string | undefined;
  audience?: string | undefined;
  response_mode?: 'query' | 'fragment' | 'form_post' | 'web_message' | undefined;
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | undefined;
  organization?: string | undefined;
  invitation?: string | undefined;
  screen_hint?: 'signup' | (string & {}) | undefined;
  login_hint?: string | undefined;
  max_age?: number | string | undefined;
  ui_locales?: string | undefined;
  acr_values?: string | undefined;
  connection?: string | undefined;
  [custom: string]: string | number | boolean | undefined;
}

/** The scope the SDK asks for when none is given: what auth0-spa-js asks for. */
export const DEFAULT_SCOPE = 'openid profile email';

/** Parameters the SDK sets itself: letting a caller set them would break the protocol's checks. */
export const RESERVED_AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'dpop_jkt',
  'request',
  'request_uri',
];

/** Joins scopes, always with `openid`, without duplicates, in first-seen order. */
export function mergeScopes(...scopes: (string | undefined)[]): string {
  const seen = new Set<string>(['openid']);
  for (const scope of scopes)
    for (const part of scope?.split(/\s+/) ?? []) if (part) seen.add(part);
  return [...seen].join(' ');
}

/** Merges default and per-call parameters (per call wins), validating their types. */
export function mergeAuthorizationParams(
  defaults: AuthorizationParams | undefined,
  overrides: AuthorizationParams | undefined,
  optionName: string,
  defaultScope: string = DEFAULT_SCOPE,
): AuthorizationParams {
  const merged: AuthorizationParams = { ...defaults, ...overrides };
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined) continue;
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new TypeError(`"${optionName}.${key}" must be a string, number or boolean`);
    }
    if (RESERVED_AUTHORIZE_PARAMS.includes(key)) {
      throw new TypeError(`"${optionName}.${key}" is set by the SDK and cannot be passed`);
    }
  }
  // As auth0-spa-js: a per-call scope adds to the configured one rather than replacing it.
  merged.scope = mergeScopes(defaults?.scope ?? defaultScope, overrides?.scope);
  return merged;
}
