import { assertKnownKeys, assertObject, assertOptionalString, assertString } from '../assert.js';
import { asOperationError, ChangePasswordError, SignUpError } from '../auth-js-errors.js';
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

/** Options of {@link DatabaseClient.signUp}, as auth-js 1.16's. */
export interface SignUpOptions {
  /** The new user's email address. */
  email: string;
  /** The new user's password; must meet the connection's password policy. */
  password: string;
  /** The database connection to create the user in, e.g. `Username-Password-Authentication`. */
  connection: string;
  /** Another application's client id; this client's by default. */
  clientId?: string;
  /** The username, for connections that require one. */
  username?: string;
  /** The user's given (first) name. */
  givenName?: string;
  /** The user's family (last) name. */
  familyName?: string;
  /** The user's full name. */
  name?: string;
  /** The user's nickname. */
  nickname?: string;
  /** URL of the user's picture. */
  picture?: string;
  /** String values only (Auth0: at most 10 fields). */
  userMetadata?: Record<string, string>;
}

/** Options of {@link DatabaseClient.changePassword}: `email` or `username` is required. */
export interface ChangePasswordOptions {
  /**
   * The email address of the user to send the password-reset email to; this or `username` is
   * required.
   */
  email?: string;
  /** The username, for username-only connections; this or `email` is required. */
  username?: string;
  /** The database connection the user belongs to. */
  connection: string;
  /** Another application's client ID to send as `client_id`; this client's by default. */
  clientId?: string;
  /** The organization the reset is for, sent as `organization`. */
  organization?: string;
}

/** The user {@link DatabaseClient.signUp} created, in camelCase. */
export interface SignUpResult {
  /** From `_id`, `user_id` or `id`, whichever the server sent. */
  id?: string;
  /** The user's email address, as stored. */
  email: string;
  /** Whether the user's email address has been verified (false right after sign-up, normally). */
  emailVerified: boolean;
  /** The username, when the connection uses one. */
  username?: string;
  /** The user's given (first) name. */
  givenName?: string;
  /** The user's family (last) name. */
  familyName?: string;
  /** The user's full name. */
  name?: string;
  /** The user's nickname. */
  nickname?: string;
  /** URL of the user's picture. */
  picture?: string;
  /** The `user_metadata` stored with the user. */
  userMetadata?: Record<string, unknown>;
}

const SIGN_UP_KEYS = [
  'email',
  'password',
  'connection',
  'clientId',
  'username',
  'givenName',
  'familyName',
  'name',
  'nickname',
  'picture',
  'userMetadata',
  'fullResponse',
];
const PROFILE: [keyof SignUpOptions, string][] = [
  ['username', 'username'],
  ['givenName', 'given_name'],
  ['familyName', 'family_name'],
  ['name', 'name'],
  ['nickname', 'nickname'],
  ['picture', 'picture'],
];

/**
 * Auth0's database-connection endpoints (`authClient.database`): sign-up and the password-reset
 * email. Both are public endpoints: only the client id is sent, never a secret.
 */
export class DatabaseClient {
  readonly #context: ClientContext;

  /** @internal Built by `AuthClient`. */
  constructor(context: ClientContext) {
    this.#context = context;
  }

  /** Creates a user on a database connection (`POST /dbconnections/signup`). */
  signUp(
    options: SignUpOptions & { fullResponse: true },
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<SignUpResult>>;
  signUp(options: SignUpOptions, requestOptions?: RequestOptions): Promise<SignUpResult>;
  async signUp(
    options: SignUpOptions & FullResponseOption,
    requestOptions?: RequestOptions,
  ): Promise<SignUpResult | ApiResponse<SignUpResult>> {
    assertObject(options, 'options');
    assertKnownKeys(options, SIGN_UP_KEYS, 'options');
    assertString(options.email, 'options.email');
    assertString(options.password, 'options.password');
    assertString(options.connection, 'options.connection');
    assertOptionalString(options.clientId, 'options.clientId');
    for (const [key] of PROFILE) assertOptionalString(options[key], `options.${key}`);
    if (options.userMetadata !== undefined) {
      assertObject(options.userMetadata, 'options.userMetadata');
      for (const [key, value] of Object.entries(options.userMetadata)) {
        if (typeof value !== 'string') {
          throw new TypeError(`"options.userMetadata.${key}" must be a string`);
        }
      }
    }
    assertRequestOptions(requestOptions);
    const body: Record<string, unknown> = {
      client_id: options.clientId ?? this.#context.clientId,
      email: options.email,
      password: options.password,
      connection: options.connection,
    };
    for (const [key, wire] of PROFILE) if (options[key] !== undefined) body[wire] = options[key];
    if (options.userMetadata !== undefined) body.user_metadata = options.userMetadata;
    const call = callContext(this.#context, requestOptions);
    try {
      const response = await sendJsonRequest(call.context, {
        method: 'POST',
        url: 'dbconnections/signup',
        body,
        what: 'Sign-up',
      });
      const raw = parseJsonObject(response, 'Sign-up');
      const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
      const id = text(raw._id) ?? text(raw.user_id) ?? text(raw.id);
      if (typeof raw.email !== 'string') {
        throw new ResponseError({ message: 'Sign-up: the response has no "email".' });
      }
      const result: SignUpResult = {
        email: raw.email,
        emailVerified: raw.email_verified === true,
      };
      if (id !== undefined) result.id = id;
      for (const [key, wire] of PROFILE) {
        const value = text(raw[wire]);
        if (value !== undefined) (result as unknown as Record<string, string>)[key] = value;
      }
      if (typeof raw.user_metadata === 'object' && raw.user_metadata !== null) {
        result.userMetadata = raw.user_metadata as Record<string, unknown>;
      }
      return options.fullResponse === true
        ? { data: result, response: call.lastResponse() as Response }
        : result;
    } catch (error) {
      throw asOperationError(error, SignUpError);
    }
  }

  /**
   * Sends the password-reset email (`POST /dbconnections/change_password`). The server answers
   * the same for unknown users (no account enumeration); the result is its confirmation text.
   */
  changePassword(
    options: ChangePasswordOptions & { fullResponse: true },
    requestOptions?: RequestOptions,
  ): Promise<ApiResponse<string>>;
  changePassword(options: ChangePasswordOptions, requestOptions?: RequestOptions): Promise<string>;
  async changePassword(
    options: ChangePasswordOptions & FullResponseOption,
    requestOptions?: RequestOptions,
  ): Promise<string | ApiResponse<string>> {
    assertObject(options, 'options');
    assertKnownKeys(
      options,
      ['email', 'username', 'connection', 'clientId', 'organization', 'fullResponse'],
      'options',
    );
    assertString(options.connection, 'options.connection');
    for (const key of ['email', 'username', 'clientId', 'organization'] as const) {
      assertOptionalString(options[key], `options.${key}`);
    }
    if (options.email === undefined && options.username === undefined) {
      throw new TypeError('one of "options.email" and "options.username" is required');
    }
    assertRequestOptions(requestOptions);
    const body: Record<string, unknown> = {
      client_id: options.clientId ?? this.#context.clientId,
      connection: options.connection,
    };
    for (const key of ['email', 'username', 'organization'] as const) {
      if (options[key] !== undefined) body[key] = options[key];
    }
    const call = callContext(this.#context, requestOptions);
    try {
      const response = await sendJsonRequest(call.context, {
        method: 'POST',
        url: 'dbconnections/change_password',
        body,
        what: 'Change password',
      });
      return options.fullResponse === true
        ? { data: response.text, response: call.lastResponse() as Response }
        : response.text;
    } catch (error) {
      throw asOperationError(error, ChangePasswordError);
    }
  }
}
