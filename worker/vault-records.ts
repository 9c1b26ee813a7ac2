import type {
  ConnectTransaction,
  LoginResult,
  LoginTransaction,
  StoredRefreshToken,
  StoredSession,
  Transaction,
} from './vault-types.js';

/**
 * Every record the vault reads back, checked as untrusted input. IndexedDB is the page's too:
 * any script in the origin can write a record of any shape into any store (THREATS 17). A record
 * that is not exactly what the worker writes is treated as absent — the caller then does what it
 * does with no record (a session becomes "logged out", a callback's state is unknown) — and is
 * never half-used. Values are checked for type and bounded in size; anything structured clone can
 * carry that JSON cannot (a Date, a Blob, a cycle, a getter-less class instance) is refused.
 */

/** Bounds what a planted record can make the worker hold or send. */
const MAX_STRING = 8 * 1024;
const MAX_JSON_BYTES = 32 * 1024;
const MAX_SLOTS = 20;
/** RFC 9449 §8.1: a nonce is NQCHAR (no `"`, no `\`, no space). */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;
const LOGIN_MODES = new Set(['redirect', 'popup', 'silent']);

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isString(value: unknown, options: { empty?: boolean } = {}): value is string {
  return (
    typeof value === 'string' && value.length <= MAX_STRING && (options.empty || value.length > 0)
  );
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || isString(value);
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * True for plain JSON data (what the worker itself stores: claims, appState, serialised errors)
 * within {@link MAX_JSON_BYTES}. Structured clone can store far more than JSON; none of it is
 * ours.
 */
export function isPlainJson(value: unknown): boolean {
  let size = 0;
  const visit = (item: unknown, depth: number): boolean => {
    if (depth > 20) return false;
    if (item === null || typeof item === 'boolean') return true;
    if (typeof item === 'number') return Number.isFinite(item);
    if (typeof item === 'string') {
      size += item.length;
      return size <= MAX_JSON_BYTES;
    }
    if (Array.isArray(item)) {
      if (Object.getPrototypeOf(item) !== Array.prototype) return false;
      return item.every((entry) => visit(entry, depth + 1));
    }
    if (!isRecord(item)) return false;
    for (const [key, entry] of Object.entries(item)) {
      size += key.length;
      if (size > MAX_JSON_BYTES || !visit(entry, depth + 1)) return false;
    }
    return true;
  };
  return visit(value, 0);
}

function isOptionalJson(value: unknown): boolean {
  return value === undefined || isPlainJson(value);
}

/** The key pair as the worker stores it: ECDSA P-256, the private half non-extractable. */
export function parseKeyPair(value: unknown): CryptoKeyPair | undefined {
  if (!isRecord(value)) return undefined;
  const { privateKey, publicKey } = value;
  if (!(privateKey instanceof CryptoKey) || !(publicKey instanceof CryptoKey)) return undefined;
  const p256 = (key: CryptoKey) => {
    const algorithm = key.algorithm as KeyAlgorithm & { namedCurve?: string };
    return algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
  };
  if (privateKey.type !== 'private' || publicKey.type !== 'public') return undefined;
  if (!p256(privateKey) || !p256(publicKey) || privateKey.extractable) return undefined;
  if (!privateKey.usages.includes('sign')) return undefined;
  return { privateKey, publicKey };
}

function parseRefreshToken(slot: string, value: unknown): StoredRefreshToken | undefined {
  if (!isRecord(value)) return undefined;
  const { token, scope, audience, dpopBound } = value;
  if (!isString(token) || !isString(scope, { empty: true }) || !isOptionalString(audience))
    return undefined;
  if (typeof dpopBound !== 'boolean') return undefined;
  // The slot is the audience (`''` for none): a token filed under another audience's slot would
  // be presented for a token it was not granted for.
  if (slot !== (audience ?? '')) return undefined;
  return { token, scope, audience, dpopBound };
}

/**
 * The persisted session, or `undefined` when any part of it is not what the worker writes. The
 * claims are checked for shape here; what they say is re-derived from a signed ID token before
 * anyone sees it (Session `#proven`).
 */
export function parseStoredSession(value: unknown): StoredSession | undefined {
  if (!isRecord(value)) return undefined;
  const { configKey, jkt, claims, refreshTokens } = value;
  if (!isString(configKey) || !isRecord(claims) || !isPlainJson(claims)) return undefined;
  // The thumbprint of the key stored with the session (key-binding.ts): a string or absent.
  if (!isOptionalString(jkt)) return undefined;
  if (!isString(claims.sub) || !isString(claims.iss)) return undefined;
  if (!isRecord(refreshTokens)) return undefined;
  const slots = Object.entries(refreshTokens);
  if (slots.length === 0 || slots.length > MAX_SLOTS) return undefined;
  const parsed: Record<string, StoredRefreshToken> = {};
  for (const [slot, token] of slots) {
    const checked = parseRefreshToken(slot, token);
    if (!checked) return undefined;
    parsed[slot] = checked;
  }
  return {
    configKey,
    ...(jkt === undefined ? {} : { jkt }),
    claims: claims as StoredSession['claims'],
    refreshTokens: parsed,
  };
}

/** A pending login or connect flow, or `undefined`; `state` must be the key it was filed under. */
export function parseTransaction(state: string, value: unknown): Transaction | undefined {
  if (!isRecord(value) || value.state !== state || !isString(state)) return undefined;
  const common = value as Fields;
  if (
    !isString(common.loginId) ||
    !isString(common.codeVerifier) ||
    !isString(common.redirectUri) ||
    !isOptionalString(common.jkt) ||
    !isTime(common.createdAt) ||
    !isOptionalJson(common.appState)
  )
    return undefined;
  if (common.kind === 'login') {
    const { mode, nonce, audience, scope, maxAge, organization } = common;
    if (typeof mode !== 'string' || !LOGIN_MODES.has(mode) || !isString(nonce)) return undefined;
    if (!isOptionalString(audience) || !isString(scope) || !isOptionalString(organization))
      return undefined;
    if (maxAge !== undefined && !isTime(maxAge)) return undefined;
    const login: LoginTransaction = {
      kind: 'login',
      mode: mode as LoginTransaction['mode'],
      loginId: common.loginId,
      state,
      nonce,
      codeVerifier: common.codeVerifier,
      redirectUri: common.redirectUri,
      audience,
      scope,
      maxAge,
      organization,
      appState: common.appState,
      jkt: common.jkt,
      createdAt: common.createdAt,
    };
    return login;
  }
  if (common.kind === 'connect') {
    const { mode, connection, authSession } = common;
    if (mode !== 'redirect' || !isString(connection) || !isString(authSession)) return undefined;
    const connect: ConnectTransaction = {
      kind: 'connect',
      mode,
      loginId: common.loginId,
      state,
      codeVerifier: common.codeVerifier,
      redirectUri: common.redirectUri,
      connection,
      authSession,
      appState: common.appState,
      jkt: common.jkt,
      createdAt: common.createdAt,
    };
    return connect;
  }
  return undefined;
}

/** A login's outcome as the worker files it, or `undefined`. */
export function parseLoginResult(value: unknown): LoginResult | undefined {
  if (!isRecord(value) || typeof value.ok !== 'boolean' || !isTime(value.createdAt))
    return undefined;
  const { appState, error, mode, loginId, connected } = value;
  if (!isOptionalJson(appState) || !isOptionalJson(connected)) return undefined;
  if (mode !== undefined && (typeof mode !== 'string' || !LOGIN_MODES.has(mode))) return undefined;
  if (!isOptionalString(loginId)) return undefined;
  if (error !== undefined) {
    if (!isRecord(error) || !isPlainJson(error) || !isString(error.name)) return undefined;
    if (!isString(error.message, { empty: true }) || !isRecord(error.fields)) return undefined;
  }
  return value as unknown as LoginResult;
}

/** A DPoP nonce filed under a server origin, or `undefined`. */
export function parseNonce(origin: unknown, nonce: unknown): [string, string] | undefined {
  if (!isString(origin) || typeof nonce !== 'string' || !NONCE.test(nonce)) return undefined;
  try {
    if (new URL(origin).origin !== origin) return undefined;
  } catch {
    return undefined;
  }
  return [origin, nonce];
}
