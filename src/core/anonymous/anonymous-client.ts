import { assertKnownKeys, assertObject, assertOptionalString, assertString } from '../assert.js';
import { AnonymousSessionError, asOperationError } from '../auth-js-errors.js';
import type { ClientContext } from '../context.js';
import { ResponseError } from '../errors.js';
import { parseJsonObject } from '../http.js';
import { sendJsonRequest } from '../json-request.js';
import { clientAuthFields } from '../passwordless/passwordless-client.js';

/** An anonymous session: a long-lived session token and a short-lived access token. */
export interface AnonymousSession {
  /** Re-mints access tokens; never send it to an API. */
  sessionToken: string;
  /** Short-lived Bearer access token for calling APIs. */
  accessToken: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** Epoch seconds at which the session token itself expires, when the server says. */
  sessionTokenExpiresAt?: number;
  /** Scopes granted to the session. */
  scope?: string;
}

/** Options of {@link AnonymousSessionClient.createSession}. */
export interface CreateAnonymousSessionOptions {
  /** The API (`audience`) the access token is for; it must allow anonymous access. */
  audience?: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
  /** Up to 1 KB, set once at creation. */
  metadata?: Record<string, string>;
}

/** Options of {@link AnonymousSessionClient.getAccessToken}. */
export interface GetAnonymousAccessTokenOptions {
  /** The session to renew; a new session is created without it. */
  sessionToken?: string;
  /** The API (`audience`) the access token is for. */
  audience?: string;
  /** Space-separated scopes to ask for. */
  scope?: string;
}

/** The audience that mints a session transfer token. */
const TRANSFER_AUDIENCE = 'urn:auth0:anon_transfer';

/**
 * Auth0's anonymous sessions (`authClient.anonymous`): `POST /anonymous/token` and
 * `/anonymous/logout`, with the client's authentication. Server-side there is no browser cookie:
 * the session is the `sessionToken` the caller keeps.
 */
export class AnonymousSessionClient {
  readonly #context: ClientContext;
  readonly #now: () => number;

  /** @internal Built by `AuthClient`. */
  constructor(context: ClientContext, now: () => number = () => Date.now()) {
    this.#context = context;
    this.#now = now;
  }

  /** Creates a new anonymous identity and its first access token. */
  async createSession(options: CreateAnonymousSessionOptions = {}): Promise<AnonymousSession> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['audience', 'scope', 'metadata'], 'options');
    assertOptionalString(options.audience, 'options.audience');
    assertOptionalString(options.scope, 'options.scope');
    const body: Record<string, unknown> = {};
    if (options.audience !== undefined) body.audience = options.audience;
    if (options.scope !== undefined) body.scope = options.scope;
    if (options.metadata !== undefined) {
      assertObject(options.metadata, 'options.metadata');
      for (const [key, value] of Object.entries(options.metadata)) {
        if (typeof value !== 'string')
          throw new TypeError(`"options.metadata.${key}" must be a string`);
      }
      body.metadata = options.metadata;
    }
    const answer = await this.#token(body);
    if (typeof answer.session_token !== 'string' || answer.session_token === '') {
      throw new ResponseError({
        message: 'Anonymous session: the response has no "session_token".',
      });
    }
    return this.#session(answer.session_token, answer);
  }

  /** Renews the access token of `sessionToken`, or creates a session when none is given. */
  async getAccessToken(options: GetAnonymousAccessTokenOptions = {}): Promise<AnonymousSession> {
    assertObject(options, 'options');
    assertKnownKeys(options, ['sessionToken', 'audience', 'scope'], 'options');
    assertOptionalString(options.sessionToken, 'options.sessionToken');
    if (options.sessionToken === undefined) {
      const create: CreateAnonymousSessionOptions = {};
      if (options.audience !== undefined) create.audience = options.audience;
      if (options.scope !== undefined) create.scope = options.scope;
      return this.createSession(create);
    }
    assertOptionalString(options.audience, 'options.audience');
    assertOptionalString(options.scope, 'options.scope');
    const body: Record<string, unknown> = { session_token: options.sessionToken };
    if (options.audience !== undefined) body.audience = options.audience;
    if (options.scope !== undefined) body.scope = options.scope;
    return this.#session(options.sessionToken, await this.#token(body));
  }

  /**
   * Ends the anonymous session (`POST /anonymous/logout`). Auth0 finds the session by its browser
   * cookie; server-side, pass nothing and forward the cookie yourself, as auth-js documents.
   */
  async logout(): Promise<void> {
    try {
      await sendJsonRequest(this.#context, {
        method: 'POST',
        url: 'anonymous/logout',
        body: { client_id: this.#context.clientId },
        what: 'Anonymous logout',
      });
    } catch (error) {
      throw asOperationError(error, AnonymousSessionError);
    }
  }

  /** A single-use transfer token for `anon_transfer_token` on /authorize, or `null` on failure. */
  async mintTransferToken(sessionToken: string): Promise<string | null> {
    assertString(sessionToken, 'sessionToken');
    try {
      const answer = await this.#token({
        session_token: sessionToken,
        audience: TRANSFER_AUDIENCE,
      });
      return typeof answer.anon_transfer_token === 'string' ? answer.anon_transfer_token : null;
    } catch {
      // As auth-js: the login goes ahead without the transfer.
      return null;
    }
  }

  async #token(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    try {
      const response = await sendJsonRequest(this.#context, {
        method: 'POST',
        url: 'anonymous/token',
        body: {
          client_id: this.#context.clientId,
          ...body,
          ...(this.#context.confidential ? await clientAuthFields(this.#context) : {}),
        },
        what: 'Anonymous session',
      });
      return parseJsonObject(response, 'Anonymous session');
    } catch (error) {
      throw asOperationError(error, AnonymousSessionError);
    }
  }

  #session(sessionToken: string, answer: Record<string, unknown>): AnonymousSession {
    if (body(answer) === undefined) {
      throw new ResponseError({ message: 'Anonymous session: malformed token response.' });
    }
    const now = Math.floor(this.#now() / 1000);
    const session: AnonymousSession = {
      sessionToken,
      accessToken: answer.access_token as string,
      expiresAt: now + (answer.expires_in as number),
    };
    if (typeof answer.session_expires_in === 'number') {
      session.sessionTokenExpiresAt = now + answer.session_expires_in;
    }
    if (typeof answer.scope === 'string') session.scope = answer.scope;
    return session;
  }
}

function body(answer: Record<string, unknown>): true | undefined {
  return typeof answer.access_token === 'string' &&
    answer.access_token !== '' &&
    typeof answer.expires_in === 'number' &&
    answer.expires_in >= 0
    ? true
    : undefined;
}
