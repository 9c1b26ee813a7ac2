import { assertKnownKeys, assertObject, assertOptionalString, assertString } from '../assert.js';
import {
  asOperationError,
  MissingClientAuthError,
  PasswordlessChallengeError,
  PasswordlessDbGetTokenError,
  PasswordlessStartError,
} from '../auth-js-errors.js';
import type { ClientContext } from '../context.js';
import { ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { sendJsonRequest } from '../json-request.js';
import {
  type ApiResponse,
  assertRequestOptions,
  callContext,
  type FullResponseOption,
  type RequestOptions,
} from '../request-options.js';
import { requestToken } from '../token-request.js';
import { type TokenResponse, toTokenResponse } from '../token-response.js';

/** Auth0's passwordless OTP grant. */
export const PASSWORDLESS_OTP_GRANT_TYPE = 'http://auth0.com/oauth/grant-type/passwordless/otp';

/** E.164, as auth-js checks it before sending. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** Options of {@link PasswordlessClient.sendEmail}: a one-time code (default) or a magic link. */
export type SendEmailOptions =
  | { email: string; send?: 'code'; authParams?: never; language?: string }
  | { email: string; send: 'link'; authParams?: Record<string, unknown>; language?: string };

/** Options of {@link PasswordlessClient.sendSms}. */
export interface SendSmsOptions {
  /** E.164, e.g. `+14155550100`. */
  phoneNumber: string;
  /** Language of the SMS template, sent as the `x-request-language` header (e.g. `fr`). */
  language?: string;
}

/** Options of {@link PasswordlessClient.challengeWithEmail}. */
export interface ChallengeWithEmailOptions {
  /** The email address to send the one-time code to. */
  email: string;
  /** The database connection with email OTP enabled. */
  connection: string;
  /** Create the user when no user has this email (wire `allow_signup`); default false. */
  allowSignup?: boolean;
}

/** Options of {@link PasswordlessClient.challengeWithPhoneNumber}. */
export interface ChallengeWithPhoneNumberOptions {
  /** The phone number to send the one-time code to, in E.164 (`+14155550100`). */
  phoneNumber: string;
  /** The database connection with phone OTP enabled. */
  connection: string;
  /** `text` (SMS, the default) or `voice` (a call), when the connection offers both. */
  deliveryMethod?: 'text' | 'voice';
  /** Create the user when no user has this phone number (wire `allow_signup`); default false. */
  allowSignup?: boolean;
}

/** The opaque session a challenge returns; pass it to the OTP exchange, never log it. */
export interface PasswordlessChallenge {
  /**
   * Opaque session bound to the challenge: pass it to the OTP exchange as is; never parse or log
   * it.
   */
  authSession: string;
}

/** Options of {@link PasswordlessClient.getTokenByPasswordlessDbConnection}. */
export interface TokenByPasswordlessDbConnectionOptions {
  /** The `authSession` the challenge returned. */
  authSession: string;
  /** The one-time code the user entered. */
  otp: string;
  /**
   * Scopes to ask for; not defaulted (include `openid` for an ID token, `offline_access` for a
   * refresh token).
   */
  scope?: string;
  /** The API (`audience`) to ask an access token for. */
  audience?: string;
}

/** Throws a TypeError unless `value` is E.164. */
export function assertE164(value: unknown, name: string): asserts value is string {
  assertString(value, name);
  if (!E164.test(value)) {
    throw new TypeError(`"${name}" must be an E.164 phone number (e.g. +14155550100)`);
  }
}

/** The body fields of the client's authentication; public clients are refused before sending. */
export async function clientAuthFields(context: ClientContext): Promise<Record<string, string>> {
  if (!context.confidential) throw new MissingClientAuthError();
  const server = await context.metadata();
  return context.authenticate({ clientId: context.clientId, issuer: server.issuer });
}

/**
 * Auth0's passwordless endpoints (`authClient.passwordless`): `/passwordless/start` (a code or a
 * magic link by email, a code by SMS) and the embedded database-connection OTP flow
 * (`/otp/challenge` and its grant). All need a confidential client, as Auth0 does.
 */
export class PasswordlessClient {
  readonly #context: ClientContext;

  /** @internal Built by `AuthClient`. */
  constructor(context: ClientContext) {
    this.#context = context;
  }

  /** Sends a one-time code (default) or a magic link by email. */
  sendEmail(
    options: SendEmailOptions & { fullResponse: true },
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<void>>;
  sendEmail(options: SendEmailOptions, requestOptions?: RequestOptions): Promise<void>;
  async sendEmail(
    options: SendEmailOptions & FullResponseOption,
    requestOptions?: RequestOptions,
  ): Promise<void | ApiResponse<void>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['email', 'send', 'authParams', 'language', 'fullResponse'],
      'options',
    );
    assertString(options.email, 'options.email');
    if (options.send !== undefined && options.send !== 'code' && options.send !== 'link') {
      throw new TypeError('"options.send" must be "code" or "link"');
    }
    if (options.authParams !== undefined) {
      if (options.send !== 'link') {
        throw new TypeError('"options.authParams" is only for magic links (send: "link")');
      }
      assertObject(options.authParams, 'options.authParams');
    }
    assertOptionalString(options.language, 'options.language');
    const body: Record<string, unknown> = {
      connection: 'email',
      email: options.email,
      send: options.send ?? 'code',
    };
    if (options.authParams !== undefined) body.authParams = options.authParams;
    return this.#start(body, options, requestOptions);
  }

  /** Sends a one-time code by SMS. */
  sendSms(
    options: SendSmsOptions & { fullResponse: true },
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<void>>;
  sendSms(options: SendSmsOptions, requestOptions?: RequestOptions): Promise<void>;
  async sendSms(
    options: SendSmsOptions & FullResponseOption,
    requestOptions?: RequestOptions,
  ): Promise<void | ApiResponse<void>> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['phoneNumber', 'language', 'fullResponse'], 'options');
    assertE164(options.phoneNumber, 'options.phoneNumber');
    assertOptionalString(options.language, 'options.language');
    return this.#start(
      { connection: 'sms', phone_number: options.phoneNumber },
      options,
      requestOptions,
    );
  }

  async #start(
    body: Record<string, unknown>,
    options: { language?: string | undefined; fullResponse?: true | undefined },
    requestOptions: RequestOptions | undefined,
  ): Promise<void | ApiResponse<void>> {
    assertRequestOptions(requestOptions);
    // The template language is a header of this one request, as a per-call header is.
    const call = callContext(
      this.#context,
      options.language
        ? {
            ...requestOptions,
            headers: { ...requestOptions?.headers, 'x-request-language': options.language },
          }
        : requestOptions,
    );
    try {
      await sendJsonRequest(call.context, {
        method: 'POST',
        url: 'passwordless/start',
        body: { ...body, ...(await clientAuthFields(call.context)) },
        what: 'Passwordless start',
      });
    } catch (error) {
      throw asOperationError(error, PasswordlessStartError);
    }
    if (options.fullResponse === true) {
      return { data: undefined, response: call.lastResponse() as Response };
    }
  }

  /** Starts an email OTP challenge on a database connection; returns the opaque `authSession`. */
  async challengeWithEmail(
    options: ChallengeWithEmailOptions,
    requestOptions?: RequestOptions,
  ): Promise<PasswordlessChallenge> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['email', 'connection', 'allowSignup'], 'options');
    assertString(options.email, 'options.email');
    assertString(options.connection, 'options.connection');
    assertOptionalBoolean(options.allowSignup, 'options.allowSignup');
    return this.#challenge(
      {
        email: options.email,
        connection: options.connection,
        allow_signup: options.allowSignup ?? false,
      },
      requestOptions,
    );
  }

  /** Starts a phone OTP challenge on a database connection; returns the opaque `authSession`. */
  async challengeWithPhoneNumber(
    options: ChallengeWithPhoneNumberOptions,
    requestOptions?: RequestOptions,
  ): Promise<PasswordlessChallenge> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['phoneNumber', 'connection', 'deliveryMethod', 'allowSignup'],
      'options',
    );
    assertE164(options.phoneNumber, 'options.phoneNumber');
    assertString(options.connection, 'options.connection');
    assertOptionalBoolean(options.allowSignup, 'options.allowSignup');
    if (
      options.deliveryMethod !== undefined &&
      options.deliveryMethod !== 'text' &&
      options.deliveryMethod !== 'voice'
    ) {
      throw new TypeError('"options.deliveryMethod" must be "text" or "voice"');
    }
    const body: Record<string, unknown> = {
      phone_number: options.phoneNumber,
      connection: options.connection,
      allow_signup: options.allowSignup ?? false,
    };
    if (options.deliveryMethod !== undefined) body.delivery_method = options.deliveryMethod;
    return this.#challenge(body, requestOptions);
  }

  async #challenge(
    body: Record<string, unknown>,
    requestOptions: RequestOptions | undefined,
  ): Promise<PasswordlessChallenge> {
    assertRequestOptions(requestOptions);
    const call = callContext(this.#context, requestOptions);
    try {
      const response = await sendJsonRequest(call.context, {
        method: 'POST',
        url: 'otp/challenge',
        body: { ...body, ...(await clientAuthFields(call.context)) },
        what: 'OTP challenge',
      });
      const answer = parseJsonObject(response, 'OTP challenge');
      if (typeof answer.auth_session !== 'string' || answer.auth_session === '') {
        throw new ResponseError({ message: 'OTP challenge: the response has no "auth_session".' });
      }
      return { authSession: answer.auth_session };
    } catch (error) {
      throw asOperationError(error, PasswordlessChallengeError);
    }
  }

  /** Exchanges a challenge's `authSession` and the user's OTP for tokens. */
  getTokenByPasswordlessDbConnection(
    options: TokenByPasswordlessDbConnectionOptions & { fullResponse: true },
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<TokenResponse>>;
  getTokenByPasswordlessDbConnection(
    options: TokenByPasswordlessDbConnectionOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse>;
  async getTokenByPasswordlessDbConnection(
    options: TokenByPasswordlessDbConnectionOptions & FullResponseOption,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse | ApiResponse<TokenResponse>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['authSession', 'otp', 'scope', 'audience', 'fullResponse'],
      'options',
    );
    assertString(options.authSession, 'options.authSession');
    assertString(options.otp, 'options.otp');
    assertOptionalString(options.scope, 'options.scope');
    assertOptionalString(options.audience, 'options.audience');
    assertRequestOptions(requestOptions);
    const call = callContext(this.#context, requestOptions);
    try {
      if (!call.context.confidential) throw new MissingClientAuthError();
      const raw = await requestToken(call.context, {
        params: {
          grant_type: PASSWORDLESS_OTP_GRANT_TYPE,
          auth_session: options.authSession,
          otp: options.otp,
          scope: options.scope,
          audience: options.audience,
        },
        what: 'Passwordless OTP grant',
      });
      const data = await toTokenResponse(call.context, raw);
      return options.fullResponse === true
        ? { data, response: call.lastResponse() as Response }
        : data;
    } catch (error) {
      throw asOperationError(error, PasswordlessDbGetTokenError);
    }
  }
}

function assertOptionalBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`"${name}" must be a boolean`);
  }
}
