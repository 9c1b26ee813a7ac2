import type { Hono } from 'hono';
import type { UserConfig } from '../config.js';
import { endpoint, type TenantEnv, type TenantRuntime } from '../context.js';
import { authenticatorId, newRecoveryCode, newSixDigitCode } from '../mfa/codes.js';
import type { MfaAuthenticator } from '../mfa/state.js';
import { newTotpSecret, totpUri, verifyTotp } from '../mfa/totp.js';
import { ProblemError, problemRoute, problemType } from '../problem-details.js';
import { randomToken } from '../random-token.js';
import { secretsEqual } from '../secret-compare.js';
import { authenticate, BodyCheck, type Caller, jsonBody } from './my-account.js';

// The My Account API's authentication methods (`/me/v1/factors`, `/me/v1/authentication-methods`),
// as auth0-spa-js 2.27's `auth0.myAccount.*` calls them. The methods are the user's MFA
// authenticators (the same store the MFA API enrolls into, so a factor enrolled here is
// challenged there) plus the password of a user who has one. Enrollment is two calls: POST
// answers 201 with `Location: …/authentication-methods/<id>` and an `auth_session`; POST
// `<Location>/verify` with the code confirms it. Supported types: totp, phone, email,
// push-notification, recovery-code; passkey and password enrollment answer 400
// `unsupported-type` (the local tenant has no WebAuthn registration or password change here).

const PATH = '/me/v1/authentication-methods';
/** An enrollment must be verified within five minutes (like a connect ticket). */
const ENROLLMENT_SECONDS = 300;
const ENROLLABLE = ['totp', 'phone', 'email', 'push-notification', 'recovery-code'] as const;
type Enrollable = (typeof ENROLLABLE)[number];
const OTP_CODE = /^\d{6}$/;

/** The factors this tenant offers, with Auth0's usage for each. */
const FACTORS = [
  { type: 'password', usage: ['primary'] },
  { type: 'totp', usage: ['secondary'] },
  { type: 'phone', usage: ['secondary'] },
  { type: 'email', usage: ['secondary'] },
  { type: 'push-notification', usage: ['secondary'] },
  { type: 'recovery-code', usage: ['secondary'] },
];

/** An enrollment between its challenge and its verify. */
interface PendingEnrollment {
  userId: string;
  clientId: string;
  methodId: string;
  type: Enrollable;
  /** TOTP secret, the code sent to the phone or email, or the recovery code. */
  secret: string;
  to?: string;
  channel?: 'sms' | 'voice' | 'email' | 'auth0';
  name?: string;
  expiresAt: number;
}

/** What the My Account API adds to an authenticator: its name and creation time. */
interface MethodMeta {
  name?: string;
  createdAt: number;
}

interface MethodState {
  pending: Map<string, PendingEnrollment>;
  meta: Map<string, MethodMeta>;
}

const STATES = new WeakMap<TenantRuntime, MethodState>();

function state(runtime: TenantRuntime): MethodState {
  let found = STATES.get(runtime);
  if (!found) {
    found = { pending: new Map(), meta: new Map() };
    STATES.set(runtime, found);
  }
  return found;
}

function notFound(): ProblemError {
  return new ProblemError({
    status: 404,
    type: problemType('not-found'),
    title: 'Not Found',
    detail: 'No such authentication method',
  });
}

function badRequest(slug: string, detail: string): ProblemError {
  return new ProblemError({ status: 400, type: problemType(slug), title: 'Bad Request', detail });
}

function typeOf(authenticator: MfaAuthenticator): string {
  if (authenticator.type === 'otp') return 'totp';
  if (authenticator.type === 'recovery-code') return 'recovery-code';
  if (authenticator.channel === 'email') return 'email';
  if (authenticator.channel === 'auth0') return 'push-notification';
  return 'phone';
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** One authentication method in the My Account API's shape (never its secret). */
function methodJson(runtime: TenantRuntime, authenticator: MfaAuthenticator) {
  const meta = state(runtime).meta.get(authenticator.id);
  const type = typeOf(authenticator);
  const json: Record<string, unknown> = {
    id: authenticator.id,
    type,
    created_at: iso(meta?.createdAt ?? 0),
    usage: ['secondary'],
    confirmed: authenticator.active,
  };
  if (meta?.name !== undefined && type !== 'recovery-code') json.name = meta.name;
  if (type === 'phone') {
    json.phone_number = authenticator.to ?? '';
    json.preferred_authentication_method = authenticator.channel === 'voice' ? 'voice' : 'sms';
  }
  if (type === 'email') json.email = authenticator.to ?? '';
  return json;
}

function passwordMethod(user: UserConfig) {
  return {
    id: `password|${user.user_id}`,
    type: 'password',
    created_at: iso(0),
    usage: ['primary'],
    identity_user_id: user.user_id.replace(/^[^|]*\|/, ''),
  };
}

/** The caller's methods: the password first (when the user has one), then the authenticators. */
function methodsOf(runtime: TenantRuntime, caller: Caller): Record<string, unknown>[] {
  const user = runtime.directory.user(caller.userId);
  const list: Record<string, unknown>[] = [];
  if (user?.password !== undefined) list.push(passwordMethod(user));
  for (const authenticator of runtime.store.mfa.authenticatorsOf(caller.userId)) {
    if (authenticator.active) list.push(methodJson(runtime, authenticator));
  }
  return list;
}

/** The caller's own confirmed authenticator `id`, or 404 (another user's is not found either). */
function ownAuthenticator(runtime: TenantRuntime, caller: Caller, id: string): MfaAuthenticator {
  const authenticator = runtime.store.mfa.authenticators.get(id);
  if (!authenticator || authenticator.userId !== caller.userId || !authenticator.active)
    throw notFound();
  return authenticator;
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/** A handler whose ProblemErrors are answered as problem details. */
const route = problemRoute<TenantEnv>;

/** Registers the My Account API's factor and authentication-method endpoints. */
export function registerAuthenticationMethodRoutes(
  app: Hono<TenantEnv>,
  runtime: TenantRuntime,
): void {
  app.get(
    '/me/v1/factors',
    route(async (c) => {
      await authenticate(c, runtime, 'read:me:factors');
      return c.json({ factors: FACTORS }, 200, NO_STORE);
    }),
  );

  app.get(
    PATH,
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'read:me:authentication_methods');
      const type = c.req.query('type');
      const all = methodsOf(runtime, caller);
      const methods = type === undefined ? all : all.filter((method) => method.type === type);
      return c.json({ authentication_methods: methods }, 200, NO_STORE);
    }),
  );

  app.get(
    `${PATH}/:id`,
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'read:me:authentication_methods');
      const id = c.req.param('id') ?? '';
      const method = methodsOf(runtime, caller).find((item) => item.id === id);
      if (!method) throw notFound();
      return c.json(method, 200, NO_STORE);
    }),
  );

  app.patch(
    `${PATH}/:id`,
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'update:me:authentication_methods');
      const authenticator = ownAuthenticator(runtime, caller, c.req.param('id') ?? '');
      const check = new BodyCheck(await jsonBody(c));
      const { name, preferred_authentication_method: preferred } = check.body;
      if (name !== undefined) check.string('name', { max: 128 });
      if (preferred !== undefined) {
        if (typeOf(authenticator) !== 'phone') {
          check.fail('preferred_authentication_method', 'only a phone method has one');
        } else if (preferred !== 'sms' && preferred !== 'voice') {
          check.fail('preferred_authentication_method', 'must be "sms" or "voice"');
        }
      }
      if (typeOf(authenticator) === 'recovery-code' && name !== undefined) {
        check.fail('name', 'a recovery code has no name');
      }
      check.done();
      const meta = state(runtime).meta.get(authenticator.id) ?? { createdAt: 0 };
      if (typeof name === 'string') meta.name = name;
      state(runtime).meta.set(authenticator.id, meta);
      if (preferred === 'sms' || preferred === 'voice') authenticator.channel = preferred;
      return c.json(methodJson(runtime, authenticator), 200, NO_STORE);
    }),
  );

  app.delete(
    `${PATH}/:id`,
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'delete:me:authentication_methods');
      const id = c.req.param('id') ?? '';
      if (id.startsWith('password|')) {
        throw badRequest('cannot-delete-password', 'The password cannot be deleted here');
      }
      const authenticator = ownAuthenticator(runtime, caller, id);
      runtime.store.mfa.authenticators.delete(authenticator.id);
      state(runtime).meta.delete(authenticator.id);
      return c.body(null, 204);
    }),
  );

  app.post(
    PATH,
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'create:me:authentication_methods');
      const user = runtime.directory.user(caller.userId);
      if (!user) throw notFound();
      const check = new BodyCheck(await jsonBody(c));
      const type = check.body.type;
      if (type === 'passkey' || type === 'password') {
        throw badRequest('unsupported-type', `The local tenant does not enroll "${type}" here`);
      }
      if (!ENROLLABLE.includes(type as Enrollable)) {
        check.fail('type', `type must be one of ${ENROLLABLE.join(', ')}`);
        check.done();
      }
      const kind = type as Enrollable;
      const pending: PendingEnrollment = {
        userId: caller.userId,
        clientId: caller.clientId,
        methodId: authenticatorId(PREFIX[kind]),
        type: kind,
        secret: '',
        expiresAt: runtime.clock.now() + ENROLLMENT_SECONDS,
      };
      const extra: Record<string, unknown> = {};
      if (kind === 'phone') {
        const phone = check.string('phone_number', { max: 32, pattern: /^\+[1-9]\d{5,14}$/ });
        const preferred = check.body.preferred_authentication_method ?? 'sms';
        if (preferred !== 'sms' && preferred !== 'voice') {
          check.fail('preferred_authentication_method', 'must be "sms" or "voice"');
        }
        check.done();
        pending.to = phone;
        pending.channel = preferred as 'sms' | 'voice';
      } else if (kind === 'email') {
        const email = check.string('email', { max: 254, pattern: /^[^@\s]+@[^@\s]+$/ });
        check.done();
        pending.to = email;
        pending.channel = 'email';
      } else if (kind === 'push-notification') {
        pending.channel = 'auth0';
      }
      if (kind === 'totp' || kind === 'push-notification') {
        pending.secret = newTotpSecret();
        extra.barcode_uri = totpUri({
          issuer: new URL(runtime.issuer()).host,
          label: user.email,
          secret: pending.secret,
        });
        extra.manual_input_code = pending.secret;
      } else if (kind === 'recovery-code') {
        pending.secret = newRecoveryCode();
        extra.recovery_code = pending.secret;
      } else {
        pending.secret = newSixDigitCode();
        runtime.store.mfa.outbox.push({
          at: new Date().toISOString(),
          channel:
            pending.channel === 'email' ? 'email' : pending.channel === 'voice' ? 'voice' : 'sms',
          to: pending.to ?? '',
          code: pending.secret,
        });
      }
      const authSession = randomToken(24);
      state(runtime).pending.set(authSession, pending);
      const location = endpoint(runtime, `${PATH}/${encodeURIComponent(pending.methodId)}`);
      return c.json({ type: kind, auth_session: authSession, ...extra }, 201, {
        ...NO_STORE,
        Location: location,
      });
    }),
  );

  app.post(
    `${PATH}/:id/verify`,
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'create:me:authentication_methods');
      const check = new BodyCheck(await jsonBody(c));
      const authSession = check.string('auth_session', { max: 64 });
      check.done();
      const pending = state(runtime).pending.get(authSession);
      if (
        !pending ||
        pending.userId !== caller.userId ||
        pending.clientId !== caller.clientId ||
        pending.methodId !== (c.req.param('id') ?? '')
      ) {
        throw badRequest('invalid-auth-session', 'auth_session is unknown or not for this method');
      }
      if (pending.expiresAt <= runtime.clock.now()) {
        state(runtime).pending.delete(authSession);
        throw badRequest('invalid-auth-session', 'The enrollment has expired');
      }
      if (pending.type === 'totp' || pending.type === 'phone' || pending.type === 'email') {
        const code = check.string('otp_code', { max: 6, pattern: OTP_CODE });
        check.done();
        const ok =
          pending.type === 'totp'
            ? (await verifyTotp({ secret: pending.secret, code })) !== undefined
            : secretsEqual(code, pending.secret);
        // One guess per enrollment: a wrong code ends it (start over for a new code).
        state(runtime).pending.delete(authSession);
        if (!ok) throw badRequest('invalid-otp-code', 'The code is wrong');
      } else {
        state(runtime).pending.delete(authSession);
      }
      const authenticator: MfaAuthenticator = {
        id: pending.methodId,
        userId: pending.userId,
        type:
          pending.type === 'totp'
            ? 'otp'
            : pending.type === 'recovery-code'
              ? 'recovery-code'
              : 'oob',
        active: true,
      };
      if (pending.channel !== undefined) authenticator.channel = pending.channel;
      if (pending.to !== undefined) authenticator.to = pending.to;
      if (pending.type === 'totp' || pending.type === 'recovery-code') {
        authenticator.secret = pending.secret;
      }
      runtime.store.mfa.authenticators.set(authenticator.id, authenticator);
      state(runtime).meta.set(authenticator.id, { createdAt: runtime.clock.now() });
      return c.json(methodJson(runtime, authenticator), 200, NO_STORE);
    }),
  );
}

const PREFIX: Record<Enrollable, string> = {
  totp: 'totp',
  phone: 'sms',
  email: 'email',
  'push-notification': 'push',
  'recovery-code': 'recovery-code',
};
