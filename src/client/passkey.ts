import { PasskeyError } from '../core/errors.js';
import type { PasskeyCredentialJSON, PasskeyStartOptions, TokenSummary } from '../rpc/protocol.js';
import { workerHold } from './keep-alive.js';
import type { WorkerConnection } from './worker-connection.js';

/** A passkey ceremony lives 5 minutes in the worker: it is kept up no longer for one. */
const CEREMONY_MS = 5 * 60 * 1000;

/** Options of `auth0.passkey.signup` (auth0-spa-js's): one of `email`, `phoneNumber`, `username`. */
export type PasskeySignupOptions = Omit<PasskeyStartOptions, 'mode'>;

/** Options of `auth0.passkey.login` (auth0-spa-js's). */
export type PasskeyLoginOptions = Pick<
  PasskeyStartOptions,
  'realm' | 'organization' | 'audience' | 'scope'
>;

/**
 * A signup ready for `navigator.credentials.create({ publicKey })`. `authSession` is the
 * worker's id for the ceremony, not Auth0's `auth_session` (which stays in the worker).
 */
export interface PasskeySignupChallenge {
  /** The worker's id for this ceremony. */
  authSession: string;
  /** For `navigator.credentials.create({ publicKey })`. */
  publicKey: PublicKeyCredentialCreationOptions;
}

/** A login ready for `navigator.credentials.get({ publicKey })`; `authSession` as above. */
export interface PasskeyLoginChallenge {
  /** The worker's id for this ceremony. */
  authSession: string;
  /** For `navigator.credentials.get({ publicKey })`. */
  publicKey: PublicKeyCredentialRequestOptions;
}

/** Options of `auth0.passkey.getTokenWithPasskey`: the challenge's id and the browser's credential. */
export interface PasskeyGetTokenOptions {
  /** The `authSession` of the challenge. */
  authSession: string;
  /** What `navigator.credentials.create` or `.get` resolved with. */
  credential: PublicKeyCredential;
}

/**
 * `auth0.passkey`: sign up or log in with a passkey, with auth0-spa-js's names. The worker asks
 * the server for the ceremony and keeps its `auth_session`; this page runs WebAuthn with the
 * browser's own JSON helpers and hands the worker the credential's JSON; the worker redeems it
 * (DPoP-bound) and the tokens establish the session exactly like a login. Resolves with a
 * summary — no token unless the worker config sets `exposeAccessTokens`.
 *
 * Errors: `PasskeyError` — `error` is `passkey_not_supported`, `passkey_cancelled` (the user
 * dismissed the prompt), `passkey_ceremony_not_found`, or the server's (`invalid_grant` for a
 * refused credential, `user_exists` …); `NotAllowedError` for an audience or scope the worker
 * config does not name.
 *
 * @example
 * ```ts
 * await auth0.passkey.signup({ email: 'erin@example.com', name: 'Erin' });
 * // later, on any device that has the passkey:
 * await auth0.passkey.login();
 * ```
 */
export class PasskeyApiClient {
  readonly #connection: Pick<WorkerConnection, 'call'>;
  readonly #hold = workerHold(CEREMONY_MS);

  /** @internal Built by `Auth0Client`; use `auth0.passkey`. */
  constructor(connection: Pick<WorkerConnection, 'call'>) {
    this.#connection = connection;
  }

  /**
   * Registers a new user with a passkey: challenge, `navigator.credentials.create()`, token.
   *
   * @example
   * ```ts
   * await auth0.passkey.signup({ email: 'erin@example.com' });
   * ```
   */
  async signup(options: PasskeySignupOptions): Promise<TokenSummary> {
    return this.#run({ ...options, mode: 'signup' });
  }

  /**
   * Logs in with a passkey the user picks (a discoverable credential).
   *
   * @example
   * ```ts
   * await auth0.passkey.login();
   * ```
   */
  async login(options: PasskeyLoginOptions = {}): Promise<TokenSummary> {
    return this.#run({ ...options, mode: 'login' });
  }

  /**
   * Step 1 of a signup you run yourself. Unlike auth0-spa-js, `audience` and `scope` go here,
   * not to `getTokenWithPasskey`: the worker fixes them when the ceremony starts.
   *
   * @example
   * ```ts
   * const { authSession, publicKey } = await auth0.passkey.getSignupChallenge({ email: 'erin@example.com' });
   * const credential = await navigator.credentials.create({ publicKey });
   * await auth0.passkey.getTokenWithPasskey({ authSession, credential: credential as PublicKeyCredential });
   * ```
   */
  getSignupChallenge(options: PasskeySignupOptions): Promise<PasskeySignupChallenge> {
    return this.#challenge({ ...options, mode: 'signup' }) as Promise<PasskeySignupChallenge>;
  }

  /**
   * Step 1 of a login you run yourself (see {@link getSignupChallenge}).
   *
   * @example
   * ```ts
   * const { authSession, publicKey } = await auth0.passkey.getLoginChallenge();
   * ```
   */
  getLoginChallenge(options: PasskeyLoginOptions = {}): Promise<PasskeyLoginChallenge> {
    return this.#challenge({ ...options, mode: 'login' }) as Promise<PasskeyLoginChallenge>;
  }

  /**
   * Step 2: hands the worker the credential (as `credential.toJSON()`) for the ceremony
   * `authSession` names; the tokens establish the session.
   *
   * @example
   * ```ts
   * const { authSession, publicKey } = await auth0.passkey.getLoginChallenge();
   * const credential = await navigator.credentials.get({ publicKey });
   * await auth0.passkey.getTokenWithPasskey({ authSession, credential: credential as PublicKeyCredential });
   * ```
   */
  getTokenWithPasskey(options: PasskeyGetTokenOptions): Promise<TokenSummary> {
    return this.#finish(options?.authSession, options?.credential);
  }

  /** Starts the ceremony in the worker; decodes its options with the browser's JSON helpers. */
  async #challenge(
    options: PasskeyStartOptions,
  ): Promise<PasskeySignupChallenge | PasskeyLoginChallenge> {
    const api = globalThis.PublicKeyCredential;
    if (typeof api?.parseRequestOptionsFromJSON !== 'function') {
      throw new PasskeyError('WebAuthn JSON helpers are missing.', {
        error: 'passkey_not_supported',
      });
    }
    const { ceremonyId, publicKey } = await this.#connection.call('passkeyStart', options);
    this.#hold.hold();
    return {
      authSession: ceremonyId,
      publicKey:
        options.mode === 'signup'
          ? api.parseCreationOptionsFromJSON(publicKey as never)
          : api.parseRequestOptionsFromJSON(publicKey as never),
    };
  }

  async #run(options: PasskeyStartOptions): Promise<TokenSummary> {
    const { authSession, publicKey } = await this.#challenge(options);
    const credential = await navigator.credentials[options.mode === 'signup' ? 'create' : 'get']({
      publicKey,
    } as CredentialCreationOptions).catch((cause: unknown) => {
      // A dismissed or timed-out prompt rejects with NotAllowedError (WebAuthn §5.1.3).
      this.#hold.release();
      throw new PasskeyError('The passkey prompt failed.', { cause, error: 'passkey_cancelled' });
    });
    return this.#finish(authSession, credential as PublicKeyCredential | null);
  }

  async #finish(
    ceremonyId: string,
    credential: PublicKeyCredential | null | undefined,
  ): Promise<TokenSummary> {
    try {
      if (typeof credential?.toJSON !== 'function') {
        throw new PasskeyError('No credential to use.', {
          error: credential ? 'passkey_not_supported' : 'passkey_cancelled',
        });
      }
      return await this.#connection.call('passkeyFinish', {
        ceremonyId,
        credential: credential.toJSON() as unknown as PasskeyCredentialJSON,
      });
    } finally {
      this.#hold.release();
    }
  }
}
