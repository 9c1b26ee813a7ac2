import type { JWK } from 'jose';
import type {
  ApiConfig,
  DpopMode,
  OrganizationConfig,
  ResolvedClient,
  ResolvedSettings,
  TenantOptions,
  TokenEndpointAuthMethod,
  UserConfig,
} from './config.js';
import { SUPPORTED_GRANT_TYPES } from './config.js';

// Configuration arrives from code, from a JSON file (the CLI) and from the admin surface, so
// every field is checked here once, and a mistake names the offending option.

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, expectation: string): never {
  throw new TypeError(`"${path}" must be ${expectation}`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'an object');
  return value;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'a non-empty string');
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : nonEmptyString(value, path);
}

function stringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item !== '')) {
    fail(path, 'an array of non-empty strings');
  }
  return [...value];
}

function absoluteUrl(value: unknown, path: string): string {
  const text = nonEmptyString(value, path);
  if (!URL.canParse(text)) fail(path, 'an absolute URL');
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(path, 'an http(s) URL');
  return text;
}

function urlArray(value: unknown, path: string): string[] {
  return stringArray(value, path).map((item, index) => absoluteUrl(item, `${path}[${index}]`));
}

/** Origins are compared as strings against the `Origin` header, so they must be exact. */
function originArray(value: unknown, path: string): string[] {
  return urlArray(value, path).map((item, index) => {
    const url = new URL(item);
    if (item !== url.origin) fail(`${path}[${index}]`, `an origin such as "${url.origin}"`);
    return item;
  });
}

function integer(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(path, `an integer >= ${min}`);
  }
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean');
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `one of ${allowed.map((item) => `"${item}"`).join(', ')}`);
  }
  return value as T;
}

function withDefault<T>(value: unknown, fallback: T, parse: (value: unknown) => T): T {
  return value === undefined ? fallback : parse(value);
}

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'none',
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
];
const DPOP_MODES: readonly DpopMode[] = ['off', 'allowed', 'required'];

/** Checks a `ClientConfig` and applies its defaults. */
export function resolveClient(input: unknown, path = 'client'): ResolvedClient {
  const raw = record(input, path);
  const clientId = nonEmptyString(raw.clientId, `${path}.clientId`);
  const method = oneOf(
    raw.tokenEndpointAuthMethod,
    `${path}.tokenEndpointAuthMethod`,
    AUTH_METHODS,
  );
  const grantTypes = withDefault(raw.grantTypes, ['authorization_code', 'refresh_token'], (v) =>
    stringArray(v, `${path}.grantTypes`),
  );
  grantTypes.forEach((grant, index) => {
    oneOf(grant, `${path}.grantTypes[${index}]`, SUPPORTED_GRANT_TYPES);
  });
  if (method === 'none' && grantTypes.includes('client_credentials')) {
    fail(`${path}.grantTypes`, 'free of client_credentials for a public client (auth method none)');
  }
  const client: ResolvedClient = {
    clientId,
    name: withDefault(raw.name, clientId, (v) => nonEmptyString(v, `${path}.name`)),
    tokenEndpointAuthMethod: method,
    redirectUris: withDefault(raw.redirectUris, [], (v) => urlArray(v, `${path}.redirectUris`)),
    allowedOrigins: withDefault(raw.allowedOrigins, [], (v) =>
      originArray(v, `${path}.allowedOrigins`),
    ),
    allowedWebOrigins: withDefault(raw.allowedWebOrigins, [], (v) =>
      originArray(v, `${path}.allowedWebOrigins`),
    ),
    allowedLogoutUrls: withDefault(raw.allowedLogoutUrls, [], (v) =>
      urlArray(v, `${path}.allowedLogoutUrls`),
    ),
    grantTypes,
    dpop: withDefault(raw.dpop, 'allowed', (v) => oneOf(v, `${path}.dpop`, DPOP_MODES)),
    dpopNonce: withDefault(raw.dpopNonce, false, (v) => boolean(v, `${path}.dpopNonce`)),
    refreshTokenRotation: withDefault(raw.refreshTokenRotation, true, (v) =>
      boolean(v, `${path}.refreshTokenRotation`),
    ),
    refreshTokenReuseIntervalSeconds: withDefault(raw.refreshTokenReuseIntervalSeconds, 0, (v) =>
      integer(v, `${path}.refreshTokenReuseIntervalSeconds`, 0),
    ),
    accessTokenLifetimeSeconds: withDefault(raw.accessTokenLifetimeSeconds, 3600, (v) =>
      integer(v, `${path}.accessTokenLifetimeSeconds`, 1),
    ),
    idTokenLifetimeSeconds: withDefault(raw.idTokenLifetimeSeconds, 36000, (v) =>
      integer(v, `${path}.idTokenLifetimeSeconds`, 1),
    ),
    refreshTokenLifetimeSeconds: withDefault(raw.refreshTokenLifetimeSeconds, 2_592_000, (v) =>
      integer(v, `${path}.refreshTokenLifetimeSeconds`, 1),
    ),
  };
  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    client.clientSecret = nonEmptyString(raw.clientSecret, `${path}.clientSecret`);
  }
  if (method === 'private_key_jwt') {
    const jwks = record(raw.jwks, `${path}.jwks`);
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0 || !jwks.keys.every(isRecord)) {
      fail(`${path}.jwks.keys`, 'a non-empty array of JWKs');
    }
    (jwks.keys as Record<string, unknown>[]).forEach((key, index) => {
      if ('d' in key || 'k' in key) fail(`${path}.jwks.keys[${index}]`, 'a public key');
    });
    client.jwks = { keys: jwks.keys as JWK[] };
  }
  const backchannel = raw.backchannelLogoutUri;
  if (backchannel !== undefined) {
    client.backchannelLogoutUri = absoluteUrl(backchannel, `${path}.backchannelLogoutUri`);
  }
  return client;
}

/** Checks a {@link UserConfig}. The result is a copy the caller may keep. */
export function parseUser(input: unknown, path = 'user'): UserConfig {
  const raw = record(input, path);
  nonEmptyString(raw.user_id, `${path}.user_id`);
  const email = nonEmptyString(raw.email, `${path}.email`);
  if (!email.includes('@')) fail(`${path}.email`, 'an email address');
  nonEmptyString(raw.password, `${path}.password`);
  optionalString(raw.name, `${path}.name`);
  optionalString(raw.nickname, `${path}.nickname`);
  optionalString(raw.picture, `${path}.picture`);
  if (raw.email_verified !== undefined) boolean(raw.email_verified, `${path}.email_verified`);
  if (raw.mfa !== undefined) oneOf(raw.mfa, `${path}.mfa`, ['required', 'off']);
  return structuredClone(raw) as UserConfig;
}

/** Checks an {@link ApiConfig}. */
export function parseApi(input: unknown, path = 'api'): ApiConfig {
  const raw = record(input, path);
  const api: ApiConfig = {
    identifier: nonEmptyString(raw.identifier, `${path}.identifier`),
    scopes: stringArray(raw.scopes, `${path}.scopes`),
  };
  api.scopes.forEach((scope, index) => {
    if (/\s/.test(scope)) fail(`${path}.scopes[${index}]`, 'a scope without spaces');
  });
  if (raw.accessTokenLifetimeSeconds !== undefined) {
    api.accessTokenLifetimeSeconds = integer(
      raw.accessTokenLifetimeSeconds,
      `${path}.accessTokenLifetimeSeconds`,
      1,
    );
  }
  if (raw.mfa !== undefined) api.mfa = oneOf(raw.mfa, `${path}.mfa`, ['required', 'off'] as const);
  return api;
}

/** Checks an {@link OrganizationConfig}. */
export function parseOrganization(input: unknown, path = 'organization'): OrganizationConfig {
  const raw = record(input, path);
  const id = nonEmptyString(raw.id, `${path}.id`);
  if (!id.startsWith('org_')) fail(`${path}.id`, 'a string starting with "org_"');
  const organization: OrganizationConfig = { id, name: nonEmptyString(raw.name, `${path}.name`) };
  if (raw.members !== undefined) organization.members = stringArray(raw.members, `${path}.members`);
  return organization;
}

/** Checks the top-level options object (the lists are checked by their own parsers). */
export function resolveSettings(options: TenantOptions): ResolvedSettings {
  const raw = record(options, 'options');
  for (const list of ['clients', 'users', 'apis', 'organizations'] as const) {
    if (raw[list] !== undefined && !Array.isArray(raw[list])) fail(`options.${list}`, 'an array');
  }
  return {
    admin: withDefault(raw.admin, false, (v) => boolean(v, 'options.admin')),
    sessionLifetimeSeconds: withDefault(raw.sessionLifetimeSeconds, 604_800, (v) =>
      integer(v, 'options.sessionLifetimeSeconds', 1),
    ),
    codeLifetimeSeconds: withDefault(raw.codeLifetimeSeconds, 60, (v) =>
      integer(v, 'options.codeLifetimeSeconds', 1),
    ),
    dpopProofWindowSeconds: withDefault(raw.dpopProofWindowSeconds, 60, (v) =>
      integer(v, 'options.dpopProofWindowSeconds', 1),
    ),
    dpopNonceLifetimeSeconds: withDefault(raw.dpopNonceLifetimeSeconds, 300, (v) =>
      integer(v, 'options.dpopNonceLifetimeSeconds', 1),
    ),
    passkeyRpId: withDefault(raw.passkeyRpId, 'localhost', (v) =>
      nonEmptyString(v, 'options.passkeyRpId'),
    ),
    passkeyRpName: withDefault(raw.passkeyRpName, 'auth0-enclave local tenant', (v) =>
      nonEmptyString(v, 'options.passkeyRpName'),
    ),
  };
}
