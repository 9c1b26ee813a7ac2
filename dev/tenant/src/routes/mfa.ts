import type { Context, Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { UserConfig } from '../config.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { enrollOob, enrollOtp } from '../mfa/enrollment.js';
import { findMfaTransaction } from '../mfa/mfa-token.js';
import { bindingMethod, startOobRequest } from '../mfa/oob.js';
import { type MfaAuthenticator, OOB_CHANNELS, type OobChannel } from '../mfa/state.js';
import { invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { bodyParams } from '../request-params.js';
import { challenge } from '../www-authenticate.js';

// E.164: a plus and 7 to 15 digits.
const PHONE_NUMBER = /^\+[1-9]\d{6,14}$/;

/** The mfa_token in `Authorization: Bearer …`, or a 401 that says how to send one. */
function bearerToken(c: Context<TenantEnv>): string {
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(c.req.header('authorization') ?? '');
  if (!match?.[1]) {
    throw new OAuthErrorResponse(
      'invalid_token',
      'Send the mfa_token as "Authorization: Bearer …"',
      {
        status: 401,
        headers: { 'WWW-Authenticate': challenge('Bearer', { error: 'invalid_token' }) },
      },
    );
  }
  return match[1];
}

function userOf(runtime: TenantRuntime, userId: string): UserConfig {
  const user = runtime.directory.user(userId);
  if (!user)
    throw new OAuthErrorResponse('invalid_grant', 'The user no longer exists', { status: 403 });
  return user;
}

/** Phone numbers and emails are shown masked in listings, as Auth0 does. */
function maskedName(authenticator: MfaAuthenticator): string | undefined {
  const to = authenticator.to;
  if (to === undefined) return undefined;
  if (authenticator.channel === 'email') return to.replace(/^(.).*@/, '$1****@');
  return `${'X'.repeat(Math.max(0, to.length - 4))}${to.slice(-4)}`;
}

/** One row of `GET /mfa/authenticators` (WIRE.md: both `oob_channel` and `oob_channels`). */
function listing(authenticator: MfaAuthenticator): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: authenticator.id,
    authenticator_type: authenticator.type,
    active: authenticator.active,
  };
  const name = maskedName(authenticator);
  if (name !== undefined) row.name = name;
  if (authenticator.channel !== undefined) {
    row.oob_channel = authenticator.channel;
    row.oob_channels = [authenticator.channel];
  }
  return row;
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
    throw invalidRequest(`"${name}" must be a non-empty array of strings`);
  }
  return value;
}

/**
 * The MFA API of WIRE.md, authorised by the `mfa_token` of an `mfa_required` answer:
 * `POST /mfa/associate`, `GET /mfa/authenticators`, `DELETE /mfa/authenticators/{id}`, and
 * `POST /mfa/challenge` (which takes the mfa_token in the body, with client authentication).
 */
export function registerMfaRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  const { mfa } = runtime.store;

  app.post(
    '/mfa/associate',
    oauthRoute(async (c) => {
      const transaction = findMfaTransaction(runtime, bearerToken(c));
      const params = await bodyParams(c);
      const user = userOf(runtime, transaction.userId);
      // Auth0: an mfa_token may enroll only a user without a confirmed factor; adding a second
      // one needs an MFA-API access token (which this tenant does not issue).
      if (mfa.isEnrolled(user.user_id)) {
        throw new OAuthErrorResponse('access_denied', 'User is already enrolled.', { status: 403 });
      }
      const types = stringList(params.json('authenticator_types'), 'authenticator_types');
      const mode = { active: false, enrolledBy: transaction.token };
      if (types.length === 1 && types[0] === 'otp') {
        const enrolled = enrollOtp(runtime, user, mode);
        return c.json(
          {
            authenticator_type: 'otp',
            secret: enrolled.secret,
            barcode_uri: enrolled.barcodeUri,
            ...(enrolled.recoveryCode ? { recovery_codes: [enrolled.recoveryCode] } : {}),
          },
          200,
          NO_STORE,
        );
      }
      if (types.length !== 1 || types[0] !== 'oob') {
        throw invalidRequest('"authenticator_types" must be ["otp"] or ["oob"]');
      }
      const channels = stringList(params.json('oob_channels'), 'oob_channels');
      const channel = channels[0] as OobChannel;
      if (channels.length !== 1 || !OOB_CHANNELS.includes(channel)) {
        throw invalidRequest(`"oob_channels" must hold one of ${OOB_CHANNELS.join(', ')}`);
      }
      let to: string | undefined;
      if (channel === 'sms' || channel === 'voice') {
        to = params.get('phone_number');
        if (to === undefined || !PHONE_NUMBER.test(to)) {
          throw invalidRequest('"phone_number" must be an E.164 number such as +15551234567');
        }
      } else if (channel === 'email') {
        to = params.get('email') ?? user.email;
        if (!to.includes('@')) throw invalidRequest('"email" must be an email address');
      }
      const enrolled = enrollOob(runtime, user, channel, to, mode);
      const request = startOobRequest(runtime, transaction, enrolled.authenticator);
      return c.json(
        {
          authenticator_type: 'oob',
          oob_channel: channel,
          oob_code: request.oobCode,
          ...bindingMethod(request),
          ...(enrolled.recoveryCode ? { recovery_codes: [enrolled.recoveryCode] } : {}),
        },
        200,
        NO_STORE,
      );
    }),
  );

  app.get(
    '/mfa/authenticators',
    oauthRoute(async (c) => {
      const transaction = findMfaTransaction(runtime, bearerToken(c));
      return c.json(mfa.authenticatorsOf(transaction.userId).map(listing), 200, NO_STORE);
    }),
  );

  app.delete(
    '/mfa/authenticators/:id',
    oauthRoute(async (c) => {
      const transaction = findMfaTransaction(runtime, bearerToken(c));
      const authenticator = mfa.authenticators.get(c.req.param('id') ?? '');
      if (!authenticator || authenticator.userId !== transaction.userId) {
        throw new OAuthErrorResponse('not_found', 'Authenticator not found', { status: 404 });
      }
      mfa.authenticators.delete(authenticator.id);
      for (const [code, request] of mfa.oobRequests) {
        if (request.authenticatorId === authenticator.id) mfa.oobRequests.delete(code);
      }
      return c.body(null, 204, NO_STORE);
    }),
  );

  app.post(
    '/mfa/challenge',
    oauthRoute(async (c) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const client = await authenticateClient(runtime, params, '/mfa/challenge');
      c.var.log.clientId = client.clientId;
      const mfaToken = params.get('mfa_token');
      if (mfaToken === undefined) throw invalidRequest('"mfa_token" is missing');
      const transaction = findMfaTransaction(runtime, mfaToken, client);
      // Auth0 takes a space-separated list ("otp oob"): any of those types will do.
      const allowed = (params.get('challenge_type') ?? '').split(' ').filter(Boolean);
      if (allowed.length === 0) throw invalidRequest('"challenge_type" is missing');
      const unknownType = allowed.find((type) => type !== 'otp' && type !== 'oob');
      if (unknownType !== undefined) {
        throw new OAuthErrorResponse(
          'unsupported_challenge_type',
          `Unknown challenge_type ${unknownType}`,
        );
      }
      const usable = mfa
        .authenticatorsOf(transaction.userId)
        .filter((item) => item.type !== 'recovery-code' && item.active);
      const authenticatorId = params.get('authenticator_id');
      let authenticator: MfaAuthenticator | undefined;
      if (authenticatorId !== undefined) {
        authenticator = usable.find((item) => item.id === authenticatorId);
        if (!authenticator) {
          throw invalidRequest('"authenticator_id" is not an active authenticator of this user');
        }
        if (!allowed.includes(authenticator.type)) {
          throw new OAuthErrorResponse(
            'unsupported_challenge_type',
            `The authenticator is of type ${authenticator.type}, not ${allowed.join(' ')}`,
          );
        }
      } else {
        authenticator =
          usable.find((item) => item.type === allowed[0]) ??
          usable.find((item) => allowed.includes(item.type));
        if (!authenticator) {
          throw new OAuthErrorResponse(
            'unsupported_challenge_type',
            `User is not enrolled with ${allowed.join(' or ')}`,
          );
        }
      }
      if (authenticator.type === 'otp') {
        return c.json({ challenge_type: 'otp' }, 200, NO_STORE);
      }
      const request = startOobRequest(runtime, transaction, authenticator);
      return c.json(
        { challenge_type: 'oob', oob_code: request.oobCode, ...bindingMethod(request) },
        200,
        NO_STORE,
      );
    }),
  );
}
