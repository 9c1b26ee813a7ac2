import type { PasskeyStartOptions, PasskeyTokenParams, TokenSummary } from '../rpc/protocol.js';
import { PAGE_KIT } from './page-kit.js';
import type { PasskeyCeremonies } from './passkey-ceremony.js';
import type { PasskeyLoginChallenge, PasskeySignupChallenge } from './passkey-challenge.js';
import type { WorkerConnection } from './worker-connection.js';

export type { PasskeyLoginChallenge, PasskeySignupChallenge } from './passkey-challenge.js';

/** Options of `auth0.passkey.signup` (auth0-spa-js's): one of `email`, `phoneNumber`, `username`. */
export type PasskeySignupOptions = Omit<PasskeyStartOptions, 'mode'>;

/** Options of `auth0.passkey.login` (auth0-spa-js's). */
export type PasskeyLoginOptions = Pick<
  PasskeyStartOptions,
  'realm' | 'organization' | 'audience' | 'scope'
>;

/** Options of `auth0.passkey.getTokenWithPasskey`: the challenge's id and the browser's credential. */
export interface PasskeyGetTokenOptions extends PasskeyTokenParams {
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
  readonly #connection: Pick<WorkerConnection, 'call' | 'hold'>;
  #ceremonies: Promise<PasskeyCeremonies> | undefined;

  /** @internal Built by `Auth0Client`; use `auth0.passkey`. */
  constructor(connection: Pick<WorkerConnection, 'call' | 'hold'>) {
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
    return (await this.#load()).run({ ...options, mode: 'signup' });
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
    return (await this.#load()).run({ ...options, mode: 'login' });
  }

  /**
   * Step 1 of a signup you run yourself. `audience` and `scope` go here or, as in auth0-spa-js,
   * to `getTokenWithPasskey` (which then wins); either way limited to what the worker allows.
   *
   * @example
   * ```ts
   * const { authSession, publicKey } = await auth0.passkey.getSignupChallenge({ email: 'erin@example.com' });
   * const credential = await navigator.credentials.create({ publicKey });
   * await auth0.passkey.getTokenWithPasskey({ authSession, credential: credential as PublicKeyCredential });
   * ```
   */
  async getSignupChallenge(options: PasskeySignupOptions): Promise<PasskeySignupChallenge> {
    const ceremonies = await this.#load();
    return ceremonies.challenge({ ...options, mode: 'signup' }) as Promise<PasskeySignupChallenge>;
  }

  /**
   * Step 1 of a login you run yourself (see {@link getSignupChallenge}).
   *
   * @example
   * ```ts
   * const { authSession, publicKey } = await auth0.passkey.getLoginChallenge();
   * ```
   */
  async getLoginChallenge(options: PasskeyLoginOptions = {}): Promise<PasskeyLoginChallenge> {
    const ceremonies = await this.#load();
    return ceremonies.challenge({ ...options, mode: 'login' }) as Promise<PasskeyLoginChallenge>;
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
  async getTokenWithPasskey(options: PasskeyGetTokenOptions): Promise<TokenSummary> {
    const { authSession, credential, ...params } = options ?? {};
    return (await this.#load()).finish(authSession, credential, params);
  }

  /**
   * The ceremonies' code, loaded on first use (`import('./on-demand.js')`): a page that
   * never uses passkeys does not download it. A failed load is tried again on the next call.
   */
  #load(): Promise<PasskeyCeremonies> {
    this.#ceremonies ??= import('./on-demand.js').then(
      ({ PasskeyCeremonies }) => new PasskeyCeremonies(PAGE_KIT, this.#connection),
      (error: unknown) => {
        this.#ceremonies = undefined;
        throw error;
      },
    );
    return this.#ceremonies;
  }
}
