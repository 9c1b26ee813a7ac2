import { assertObject, assertOptionalString, assertString } from '../assert.js';
import { asServerOperationError, type ServerOperationErrorOptions } from '../auth-js-errors.js';
import type { ClientContext } from '../context.js';
import {
  PasskeyChallengeError,
  PasskeyError,
  PasskeyGetTokenError,
  PasskeyRegisterError,
} from '../errors.js';
import { webauthnGrant } from '../grants/webauthn.js';
import { assertRequestOptions, callContext, type RequestOptions } from '../request-options.js';
import type { TokenResponse } from '../token-response.js';
import { passkeyChallenge, passkeyRegister } from './ceremony-start.js';
import type {
  GetTokenByPasskeyOptions,
  PasskeyLoginChallengeOptions,
  PasskeyLoginChallengeResponse,
  PasskeySignupChallengeOptions,
  PasskeySignupChallengeResponse,
} from './types.js';

const PROFILE_OPTIONS = ['name', 'givenName', 'familyName', 'nickname', 'picture'] as const;

/**
 * The passkey API (`authClient.passkey`), with the surface of @auth0/auth0-auth-js's
 * `PasskeyClient`: start a signup or a login, run the WebAuthn ceremony in the browser, then
 * exchange the credential for tokens. Server refusals are {@link PasskeyError}s. Unlike
 * auth-js, public clients may call {@link getTokenByPasskey} too (the tenant decides).
 *
 * @example
 * ```ts
 * import type { PasskeyCredentialResponse } from 'auth0-enclave/core';
 *
 * const { authSession, authnParamsPublicKey } = await auth.passkey.challenge();
 * // send authnParamsPublicKey to the browser: navigator.credentials.get(), then credential.toJSON()
 * declare const credential: PasskeyCredentialResponse; // what the browser sent back
 * const tokens = await auth.passkey.getTokenByPasskey({ authSession, credential });
 * ```
 */
export class PasskeyClient {
  readonly #context: ClientContext;

  /** @internal Built by `AuthClient`; the worker calls the protocol functions directly. */
  constructor(context: ClientContext) {
    this.#context = context;
  }

  /** Runs one call with its per-call options; a server's refusal becomes the method's class. */
  async #call<T>(
    requestOptions: RequestOptions | undefined,
    Class: new (options: ServerOperationErrorOptions) => PasskeyError,
    run: (context: ClientContext) => Promise<T>,
  ): Promise<T> {
    assertRequestOptions(requestOptions);
    try {
      return await run(callContext(this.#context, requestOptions).context);
    } catch (error) {
      throw asServerOperationError(error, PasskeyError, Class);
    }
  }

  /** Starts a passkey signup for a new user (`email`, `phoneNumber` or `username` required). */
  register(
    options: PasskeySignupChallengeOptions,
    requestOptions?: RequestOptions,
  ): Promise<PasskeySignupChallengeResponse> {
    assertObject(options, 'options');
    for (const name of ['email', 'phoneNumber', 'username'] as const) {
      assertOptionalString(options[name], `options.${name}`);
    }
    if (!options.email && !options.phoneNumber && !options.username) {
      throw new TypeError(
        'one of "options.email", "options.phoneNumber", "options.username" is required',
      );
    }
    for (const name of [...PROFILE_OPTIONS, 'realm', 'organization'] as const) {
      assertOptionalString(options[name], `options.${name}`);
    }
    if (options.userMetadata !== undefined) {
      assertObject(options.userMetadata, 'options.userMetadata');
      for (const [key, value] of Object.entries(options.userMetadata)) {
        if (typeof value !== 'string') {
          throw new TypeError(`"options.userMetadata.${key}" must be a string`);
        }
      }
    }
    return this.#call(requestOptions, PasskeyRegisterError, (context) =>
      passkeyRegister(context, options),
    );
  }

  /** Starts a passkey login with a discoverable credential. */
  challenge(
    options: PasskeyLoginChallengeOptions = {},
    requestOptions?: RequestOptions,
  ): Promise<PasskeyLoginChallengeResponse> {
    assertObject(options, 'options');
    assertOptionalString(options.realm, 'options.realm');
    assertOptionalString(options.organization, 'options.organization');
    return this.#call(requestOptions, PasskeyChallengeError, (context) =>
      passkeyChallenge(context, options),
    );
  }

  /** Exchanges the browser's credential for tokens (the webauthn grant; DPoP when configured). */
  getTokenByPasskey(
    options: GetTokenByPasskeyOptions,
    requestOptions?: RequestOptions,
  ): Promise<TokenResponse> {
    assertObject(options, 'options');
    assertString(options.authSession, 'options.authSession');
    assertObject(options.credential, 'options.credential');
    assertString(options.credential.id, 'options.credential.id');
    assertString(options.credential.rawId, 'options.credential.rawId');
    assertString(options.credential.type, 'options.credential.type');
    assertObject(options.credential.response, 'options.credential.response');
    assertString(
      options.credential.response.clientDataJSON,
      'options.credential.response.clientDataJSON',
    );
    for (const name of ['realm', 'scope', 'audience', 'organization'] as const) {
      assertOptionalString(options[name], `options.${name}`);
    }
    return this.#call(requestOptions, PasskeyGetTokenError, (context) =>
      webauthnGrant(context, options),
    );
  }
}
