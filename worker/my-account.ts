import {
  assertKnownKeys,
  assertObject,
  assertOptionalString,
  assertString,
} from '../src/core/assert.js';
import { ConnectError, HttpError, MyAccountApiError, ResponseError } from '../src/core/errors.js';
import { parseJsonObject, type ReadResponse } from '../src/core/http.js';
import { myAccountApiBase, myAccountRequest } from '../src/core/my-account/request.js';
import { randomString } from '../src/core/random.js';
import type {
  AuthenticationMethod,
  EnrollmentChallengeResponse,
  Factor,
  UpdateAuthenticationMethodRequest,
} from '../src/rpc/my-account-types.js';
import { completeConnect, startConnect } from './connect.js';
import type { FeatureParts, WorkerDeps } from './deps.js';
import type { WorkerFeature } from './features.js';
import { MY_ACCOUNT_SCOPES, myAccountTokenKey } from './policy.js';

// auth0-spa-js's `auth0.myAccount.*`, served by the worker with its own token for the My Account
// API (`<issuer>me/`, DPoP-bound like the session's other tokens, one scope per call as spa-js
// asks). The page gets the API's data, never the token. An enrollment's `auth_session` stays
// here: the page holds a handle, and `enrollmentVerify` posts only to the `Location` the API
// itself answered (a page-chosen URL would receive the token).

/** What an enrollment handle stands for. */
interface Enrollment {
  authSession: string;
  location: string;
  type: string;
  expiresAt: number;
}

/** An enrollment must be verified within this long (Auth0's enrollment sessions are short too). */
const ENROLLMENT_MS = 10 * 60 * 1000;
const HANDLE_PREFIX = 'enclave-enroll:';

/** Per worker: the enrollments in progress, emptied when the session ends. */
const enrollments = new WeakMap<WorkerDeps, Map<string, Enrollment>>();

function enrollmentsOf(deps: WorkerDeps): Map<string, Enrollment> {
  let found = enrollments.get(deps);
  if (!found) {
    const created = new Map<string, Enrollment>();
    deps.session.onEnd(() => created.clear());
    enrollments.set(deps, created);
    found = created;
  }
  return found;
}

type Operation = keyof typeof MY_ACCOUNT_SCOPES;

/**
 * One My Account API call with the worker's token for `operation`'s scope. Every refusal by the
 * API is a {@link MyAccountApiError} (problem details when the API sent them, as auth0-spa-js);
 * failing to get the token is the session's own error (`LoginRequiredError` …).
 */
async function call(
  deps: WorkerDeps,
  operation: Operation,
  request: { method: string; path: string; body?: unknown },
): Promise<ReadResponse> {
  const context = deps.session.context();
  const base = await myAccountApiBase(context);
  const token = await deps.session.getAccessToken(
    myAccountTokenKey(base, MY_ACCOUNT_SCOPES[operation]),
  );
  const what = `My Account API (${operation})`;
  try {
    return await myAccountRequest(context, {
      accessToken: token.accessToken,
      tokenType: token.tokenType,
      method: request.method,
      path: request.path,
      body: request.body,
      what,
    });
  } catch (error) {
    throw asMyAccountApiError(error);
  }
}

/** The API's refusal as auth0-spa-js's error class, its problem details kept. */
function asMyAccountApiError(error: unknown): unknown {
  if (error instanceof ConnectError) {
    return new MyAccountApiError({
      message: error.message,
      status: error.status,
      type: error.type,
      title: error.title,
      detail: error.detail,
      validation_errors: error.validation_errors,
    });
  }
  if (error instanceof HttpError || error instanceof ResponseError) {
    return new MyAccountApiError({
      message: error.message,
      status: error.status,
      type: 'invalid_response',
      title: 'Unexpected response',
      detail: error.message,
    });
  }
  return error;
}

function body(response: ReadResponse, what: string): Record<string, unknown> {
  try {
    return parseJsonObject(response, what);
  } catch (error) {
    throw asMyAccountApiError(error);
  }
}

function malformed(what: string, status: number): MyAccountApiError {
  return new MyAccountApiError({
    status,
    type: 'invalid_response',
    title: 'Unexpected response',
    detail: `${what}: malformed response.`,
  });
}

/** An authentication method as the API sent it, checked for the members every type has. */
function method(value: unknown, what: string, status: number): AuthenticationMethod {
  const item = value as Record<string, unknown> | null;
  if (
    typeof item !== 'object' ||
    item === null ||
    Array.isArray(item) ||
    typeof item.id !== 'string' ||
    typeof item.type !== 'string'
  ) {
    throw malformed(what, status);
  }
  return item as unknown as AuthenticationMethod;
}

function checkId(id: unknown): string {
  assertString(id, 'id');
  if (id === '' || id.length > 512) throw new TypeError('"id" must be 1 to 512 characters');
  return id;
}

/** `GET /me/v1/factors`: the factors the tenant offers. */
export async function myAccountGetFactors(deps: WorkerDeps): Promise<Factor[]> {
  const response = await call(deps, 'getFactors', { method: 'GET', path: 'v1/factors' });
  const factors = body(response, 'getFactors').factors;
  if (!Array.isArray(factors)) throw malformed('getFactors', response.status);
  return factors as Factor[];
}

/** `GET /me/v1/authentication-methods[?type=]`. */
export async function myAccountGetAuthenticationMethods(
  deps: WorkerDeps,
  type?: unknown,
): Promise<AuthenticationMethod[]> {
  // Any type name: the API filters (and answers none for a type it does not know).
  assertOptionalString(type, 'type');
  const query = type === undefined ? '' : `?${new URLSearchParams({ type })}`;
  const response = await call(deps, 'getAuthenticationMethods', {
    method: 'GET',
    path: `v1/authentication-methods${query}`,
  });
  const list = body(response, 'getAuthenticationMethods').authentication_methods;
  if (!Array.isArray(list)) throw malformed('getAuthenticationMethods', response.status);
  return list.map((item) => method(item, 'getAuthenticationMethods', response.status));
}

/** `GET /me/v1/authentication-methods/{id}`. */
export async function myAccountGetAuthenticationMethod(
  deps: WorkerDeps,
  id: unknown,
): Promise<AuthenticationMethod> {
  const response = await call(deps, 'getAuthenticationMethod', {
    method: 'GET',
    path: `v1/authentication-methods/${encodeURIComponent(checkId(id))}`,
  });
  return method(
    body(response, 'getAuthenticationMethod'),
    'getAuthenticationMethod',
    response.status,
  );
}

/** `PATCH /me/v1/authentication-methods/{id}` with `name` and/or `preferred_authentication_method`. */
export async function myAccountUpdateAuthenticationMethod(
  deps: WorkerDeps,
  id: unknown,
  data: unknown,
): Promise<AuthenticationMethod> {
  const path = `v1/authentication-methods/${encodeURIComponent(checkId(id))}`;
  assertObject(data, 'data');
  assertKnownKeys(data, ['name', 'preferred_authentication_method'], 'data');
  const update = data as UpdateAuthenticationMethodRequest;
  assertOptionalString(update.name, 'data.name');
  const preferred = update.preferred_authentication_method;
  if (preferred !== undefined && preferred !== 'sms' && preferred !== 'voice') {
    throw new TypeError('"data.preferred_authentication_method" must be "sms" or "voice"');
  }
  const sent: UpdateAuthenticationMethodRequest = {};
  if (update.name !== undefined) sent.name = update.name;
  if (preferred !== undefined) sent.preferred_authentication_method = preferred;
  const response = await call(deps, 'updateAuthenticationMethod', {
    method: 'PATCH',
    path,
    body: sent,
  });
  return method(
    body(response, 'updateAuthenticationMethod'),
    'updateAuthenticationMethod',
    response.status,
  );
}

/** `DELETE /me/v1/authentication-methods/{id}`. */
export async function myAccountDeleteAuthenticationMethod(
  deps: WorkerDeps,
  id: unknown,
): Promise<void> {
  await call(deps, 'deleteAuthenticationMethod', {
    method: 'DELETE',
    path: `v1/authentication-methods/${encodeURIComponent(checkId(id))}`,
  });
}

/** The members each enrollment type sends, besides `type` (auth0-spa-js's option types). */
const CHALLENGE_FIELDS: Record<string, readonly string[]> = {
  passkey: ['connection', 'identity_user_id'],
  password: ['connection', 'identity_user_id'],
  phone: ['phone_number', 'preferred_authentication_method'],
  email: ['email'],
  totp: [],
  'push-notification': [],
  'recovery-code': [],
};

/**
 * `POST /me/v1/authentication-methods`: starts an enrollment. The answer goes to the page as the
 * API sent it (the TOTP secret, its QR code and a recovery code are the user's to see), except
 * `auth_session`, which becomes a handle.
 */
export async function myAccountEnrollmentChallenge(
  deps: WorkerDeps,
  options: unknown,
): Promise<EnrollmentChallengeResponse> {
  assertObject(options, 'options');
  const type = (options as { type?: unknown }).type;
  assertString(type, 'options.type');
  const fields = CHALLENGE_FIELDS[type];
  if (!fields) throw new TypeError('"options.type" is not a type auth0.myAccount enrolls');
  assertKnownKeys(options, ['type', ...fields], 'options');
  const sent: Record<string, string> = { type };
  for (const field of fields) {
    const value = (options as Record<string, unknown>)[field];
    assertOptionalString(value, `options.${field}`);
    if (value !== undefined) sent[field] = value;
  }
  if (type === 'phone' && sent.phone_number === undefined) {
    throw new TypeError('"options.phone_number" must be a string');
  }
  if (type === 'email' && sent.email === undefined) {
    throw new TypeError('"options.email" must be a string');
  }
  const response = await call(deps, 'enrollmentChallenge', {
    method: 'POST',
    path: 'v1/authentication-methods',
    body: sent,
  });
  const answer = body(response, 'enrollmentChallenge');
  const location = enrollmentLocation(
    response.headers.get('location'),
    await myAccountApiBase(deps.session.context()),
  );
  if (!location || typeof answer.auth_session !== 'string' || answer.auth_session === '') {
    throw malformed('enrollmentChallenge', response.status);
  }
  const handle = `${HANDLE_PREFIX}${randomString(24)}`;
  enrollmentsOf(deps).set(handle, {
    authSession: answer.auth_session,
    location: location.href,
    type,
    expiresAt: deps.now() + ENROLLMENT_MS,
  });
  const id = decodeURIComponent(location.pathname.split('/').pop() ?? '');
  return {
    ...answer,
    type,
    auth_session: handle,
    id,
    location: location.href,
  } as EnrollmentChallengeResponse;
}

/**
 * The enrollment's `Location`, only when it names a method below the My Account API's own
 * `authentication-methods` path: verify posts the token there.
 */
function enrollmentLocation(header: string | null, base: string): URL | undefined {
  if (!header) return undefined;
  let url: URL;
  try {
    url = new URL(header, base);
  } catch {
    return undefined;
  }
  const collection = new URL('v1/authentication-methods/', base);
  const rest = url.pathname.slice(collection.pathname.length);
  const ok =
    url.origin === collection.origin &&
    url.pathname.startsWith(collection.pathname) &&
    /^[^/]+$/.test(rest) &&
    url.search === '' &&
    url.hash === '';
  return ok ? url : undefined;
}

/** The members each verify type sends, besides `location`, `auth_session` and `type`. */
const VERIFY_FIELDS: Record<string, readonly string[]> = {
  passkey: ['authn_response'],
  password: ['new_password'],
  phone: ['otp_code'],
  email: ['otp_code'],
  totp: ['otp_code'],
  'push-notification': [],
  'recovery-code': [],
};

/** `POST <Location>/verify`: confirms the enrollment the handle names. */
export async function myAccountEnrollmentVerify(
  deps: WorkerDeps,
  options: unknown,
): Promise<AuthenticationMethod> {
  assertObject(options, 'options');
  const given = options as Partial<Record<string, unknown>>;
  assertString(given.type, 'options.type');
  assertString(given.location, 'options.location');
  assertString(given.auth_session, 'options.auth_session');
  const fields = VERIFY_FIELDS[given.type];
  if (!fields) throw new TypeError('"options.type" is not a type auth0.myAccount enrolls');
  assertKnownKeys(options, ['type', 'location', 'auth_session', ...fields], 'options');
  const pending = enrollmentsOf(deps);
  const enrollment = pending.get(given.auth_session);
  if (!enrollment || enrollment.expiresAt <= deps.now()) {
    pending.delete(given.auth_session);
    throw new MyAccountApiError({
      status: 400,
      type: 'enrollment_not_found',
      title: 'Enrollment not found',
      detail: 'No enrollment in progress has this auth_session: call enrollmentChallenge() again.',
    });
  }
  if (given.location !== enrollment.location || given.type !== enrollment.type) {
    throw new TypeError('"options.location" and "options.type" must be those of the challenge');
  }
  const sent: Record<string, unknown> = { auth_session: enrollment.authSession };
  for (const field of fields) {
    const value = given[field];
    if (field === 'authn_response') assertObject(value, 'options.authn_response');
    else assertString(value, `options.${field}`);
    sent[field] = value;
  }
  const base = await myAccountApiBase(deps.session.context());
  // Whether a wrong code spends the enrollment is the API's call: the handle is kept until the
  // API confirms (or the enrollment expires, or the session ends).
  const response = await call(deps, 'enrollmentVerify', {
    method: 'POST',
    path: new URL(`${enrollment.location}/verify`).href.slice(base.length),
    body: sent,
  });
  pending.delete(given.auth_session);
  return method(body(response, 'enrollmentVerify'), 'enrollmentVerify', response.status);
}

/** What myAccountApi installs: the facade methods, and the end of a connect flow for the callback. */
const myAccountParts: FeatureParts = {
  name: 'myAccountApi',
  // Each validates its arguments (above; connect.ts for connected accounts).
  methods: {
    startConnect,
    myAccountGetFactors,
    myAccountGetAuthenticationMethods,
    myAccountGetAuthenticationMethod,
    myAccountUpdateAuthenticationMethod,
    myAccountDeleteAuthenticationMethod,
    myAccountEnrollmentChallenge,
    myAccountEnrollmentVerify,
  },
  completeConnect,
};

/**
 * The worker feature that serves `auth0.myAccount.*` and `connectAccountWithRedirect` (the My
 * Account API, with the worker's own token for it): pass it to `installAuthWorker`. Without it,
 * those methods reject with `NotSupportedError`, and the worker script carries none of this
 * file nor of connect.ts.
 *
 * @example
 * ```ts
 * import { installAuthWorker, myAccountApi } from 'auth0-enclave/worker';
 *
 * installAuthWorker(
 *   {
 *     domain: 'example.eu.auth0.com',
 *     clientId: 'abc',
 *     authorizationParams: { redirect_uri: 'https://app.example/callback' },
 *   },
 *   { features: [myAccountApi] },
 * );
 * ```
 */
export const myAccountApi: WorkerFeature = myAccountParts;
