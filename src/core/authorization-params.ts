/**
 * Parameters for `/authorize` (WIRE.md). Any other string, number or boolean is passed through
 * as a custom parameter, as auth0-spa-js does.
 */
export interface AuthorizationParams {
  /**
   * Where the server sends the user back with the code; must be an allowed callback URL of the
   * client.
   */
  redirect_uri?: string | undefined;
  /** Space-separated scopes to ask for, e.g. `openid profile email offline_access`. */
  scope?: string | undefined;
  /** The API (resource server identifier) the access token is for. */
  audience?: string | undefined;
  /** How the callback carries its parameters: in the query, the fragment, or a POSTed form. */
  response_mode?: 'query' | 'fragment' | 'form_post' | 'web_message' | undefined;
  /** `none` logs in silently or fails; `login` forces the login page; `consent` re-asks consent. */
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | undefined;
  /** The organization (ID or name) to log the user in to. */
  organization?: string | undefined;
  /** An organization invitation ID, from an invitation link, to accept at login. */
  invitation?: string | undefined;
  /** `signup` opens Auth0's Universal Login on its sign-up page instead of the login page. */
  screen_hint?: 'signup' | (string & {}) | undefined;
  /** The user's email or username to prefill on the login page. */
  login_hint?: string | undefined;
  /** Maximum age in seconds of the user's authentication; older sessions must log in again. */
  max_age?: number | string | undefined;
  /** Preferred languages of the login page, space-separated BCP 47 tags (e.g. `fr-CA fr`). */
  ui_locales?: string | undefined;
  /**
   * Requested authentication context classes, e.g. Auth0's MFA policy
   * `http://schemas.openid.net/pape/policies/2007/06/multi-factor`.
   */
  acr_values?: string | undefined;
  /** The connection to log in with, skipping Auth0's connection choice (e.g. `google-oauth2`). */
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
