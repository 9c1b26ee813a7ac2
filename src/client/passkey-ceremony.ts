import type {
  PasskeyCredentialJSON,
  PasskeyStartOptions,
  PasskeyTokenParams,
  TokenSummary,
} from '../rpc/protocol.js';
import type { PageKit } from './page-kit.js';
import type { PasskeyLoginChallenge, PasskeySignupChallenge } from './passkey-challenge.js';
import type { WorkerConnection } from './worker-connection.js';

// Loaded with ./on-demand.ts by `auth0.passkey` on first use. Nothing may import
// it statically, or bundlers put it back into the first chunk.

/** A passkey ceremony lives 5 minutes in the worker: it is kept up no longer for one. */
const CEREMONY_MS = 5 * 60 * 1000;

/**
 * The WebAuthn side of `auth0.passkey` (see {@link PasskeyApiClient}): the worker starts and
 * finishes each ceremony and keeps its `auth_session`; this runs `navigator.credentials` with
 * the browser's own JSON helpers, and keeps the worker up meanwhile. One per client.
 */
export class PasskeyCeremonies {
  readonly #kit: PageKit;
  readonly #connection: Pick<WorkerConnection, 'call' | 'hold'>;
  /** Ends the current hold on the worker. */
  #release: () => void = () => {};

  constructor(kit: PageKit, connection: Pick<WorkerConnection, 'call' | 'hold'>) {
    this.#kit = kit;
    this.#connection = connection;
  }

  /** Starts the ceremony in the worker; decodes its options with the browser's JSON helpers. */
  async challenge(
    options: PasskeyStartOptions,
  ): Promise<PasskeySignupChallenge | PasskeyLoginChallenge> {
    const api = globalThis.PublicKeyCredential;
    if (typeof api?.parseRequestOptionsFromJSON !== 'function') {
      throw new this.#kit.PasskeyError({
        message: 'WebAuthn JSON helpers are missing.',
        error: 'passkey_not_supported',
      });
    }
    const { ceremonyId, publicKey } = await this.#connection.call('passkeyStart', options);
    this.#release();
    this.#release = this.#connection.hold(CEREMONY_MS);
    return {
      authSession: ceremonyId,
      publicKey:
        options.mode === 'signup'
          ? api.parseCreationOptionsFromJSON(publicKey as never)
          : api.parseRequestOptionsFromJSON(publicKey as never),
    };
  }

  /** A whole ceremony: challenge, the browser's prompt, token. */
  async run(options: PasskeyStartOptions): Promise<TokenSummary> {
    const { authSession, publicKey } = await this.challenge(options);
    const credential = await navigator.credentials[options.mode === 'signup' ? 'create' : 'get']({
      publicKey,
    } as CredentialCreationOptions).catch((cause: unknown) => {
      // A dismissed or timed-out prompt rejects with NotAllowedError (WebAuthn §5.1.3).
      this.#release();
      throw new this.#kit.PasskeyError({
        message: 'The passkey prompt failed.',
        cause,
        error: 'passkey_cancelled',
      });
    });
    return this.finish(authSession, credential as PublicKeyCredential | null);
  }

  /** Hands the worker the credential for ceremony `ceremonyId`; the tokens establish the session. */
  async finish(
    ceremonyId: string,
    credential: PublicKeyCredential | null | undefined,
    params: PasskeyTokenParams = {},
  ): Promise<TokenSummary> {
    try {
      if (typeof credential?.toJSON !== 'function') {
        throw new this.#kit.PasskeyError({
          message: 'No credential to use.',
          error: credential ? 'passkey_not_supported' : 'passkey_cancelled',
        });
      }
      return await this.#connection.call('passkeyFinish', {
        ...params,
        ceremonyId,
        credential: credential.toJSON() as unknown as PasskeyCredentialJSON,
      });
    } finally {
      this.#release();
    }
  }
}
