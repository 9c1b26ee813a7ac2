import { readAuthorizationResponse } from '../src/core/callback.js';
import { AuthenticationError, InvalidStateError } from '../src/core/errors.js';
import { authorizationCodeGrant } from '../src/core/grants/authorization-code.js';
import { serializeError } from '../src/rpc/errors.js';
import type { WorkerDeps } from './deps.js';
import { featureMissing } from './features.js';
import type { LoginResult, Transaction } from './vault.js';

/**
 * Finishes a login (or a connect flow) from its callback URL: the transaction is taken (single
 * use) by `state`, the code redeemed, the ID token verified, the session stored. Never throws: the
 * outcome, good or bad, is returned for the page to pick up. A callback for an unknown or used
 * state redeems nothing.
 */
export async function completeCallback(
  deps: WorkerDeps,
  callbackUrl: string,
): Promise<LoginResult> {
  let transaction: Transaction | undefined;
  try {
    // A worker the browser stopped while the user was on the login page starts again for this
    // callback: the session key must be read back before it is compared with the transaction's.
    await deps.session.load();
    // A logout while the code is redeemed must win: the login is then void (THREATS 23).
    const endings = deps.session.endings;
    const state = readAuthorizationResponse(callbackUrl).get('state');
    transaction = state ? await deps.vault.takeTransaction(state, deps.now()) : undefined;
    if (!transaction) throw new InvalidStateError();
    // The record came from storage page script can write (THREATS 17): a login for an audience
    // or scope the worker config does not allow is not one this worker started.
    if (
      transaction.kind === 'login' &&
      (!deps.config.allowedAudiences.has(transaction.audience) ||
        !transaction.scope
          .split(/\s+/)
          .filter(Boolean)
          .every((scope) => deps.config.allowedScopes.has(scope)))
    ) {
      throw new InvalidStateError({
        message: 'The login transaction is not one this worker started.',
      });
    }
    // A connect flow continues the session: it must still be the one it started in. A login makes
    // its own key below.
    if (transaction.kind === 'connect' && transaction.jkt !== deps.session.key?.thumbprint) {
      throw new InvalidStateError({
        message:
          'The login was started with a DPoP key that is no longer held (logged out meanwhile).',
      });
    }
    if (transaction.kind === 'connect') {
      // Only the My Account API feature starts connect flows, and finishes them.
      const completeConnect = deps.features.find((each) => each.completeConnect)?.completeConnect;
      if (!completeConnect) throw featureMissing('connectAccountWithRedirect', 'myAccountApi');
      const connected = await completeConnect(deps, transaction, callbackUrl);
      return { ...outcome(deps, transaction), ok: true, connected };
    }
    // A new session: a key generated now, never one found in storage (key-binding.ts).
    const key = await deps.session.newSessionKey();
    const tokens = await authorizationCodeGrant(deps.session.contextFor(key?.handle), {
      callbackUrl,
      codeVerifier: transaction.codeVerifier,
      state: transaction.state,
      nonce: transaction.nonce,
      redirectUri: transaction.redirectUri,
      maxAge: transaction.maxAge,
      organization: transaction.organization,
      appState: transaction.appState,
      resource: deps.config.resourceFor(transaction.audience),
    });
    await deps.session.establish(transaction, tokens, key, { endings });
    return { ...outcome(deps, transaction), ok: true };
  } catch (error) {
    const appState = error instanceof AuthenticationError ? transaction?.appState : undefined;
    return {
      ...(transaction ? outcome(deps, transaction) : { createdAt: deps.now() }),
      ok: false,
      error: serializeError(error),
      appState,
    };
  }
}

function outcome(deps: WorkerDeps, transaction: Transaction): Omit<LoginResult, 'ok'> {
  return {
    appState: transaction.appState,
    mode: transaction.mode,
    loginId: transaction.loginId,
    createdAt: deps.now(),
  };
}

/** Where a popup or silent login's result waits for its page (`takeLoginResult(loginId)`). */
export function resultKey(loginId: string): string {
  return `login:${loginId}`;
}
