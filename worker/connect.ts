import { assertObject, assertString } from '../src/core/assert.js';
import { readConnectCallback } from '../src/core/my-account/callback.js';
import { type ConnectedAccount, completeAccount } from '../src/core/my-account/complete.js';
import { connectAccount, connectUrl } from '../src/core/my-account/connect.js';
import { myAccountApiBase } from '../src/core/my-account/request.js';
import { createPkce } from '../src/core/pkce.js';
import { randomString } from '../src/core/random.js';
import type { WorkerDeps } from './deps.js';
import { checkAppState, storeTransaction } from './login.js';
import { myAccountTokenKey } from './policy.js';
import type { AccessToken } from './session.js';
import type { ConnectTransaction } from './vault.js';

/** Options of {@link startConnect}, as auth0-spa-js's `connectAccountWithRedirect` takes them. */
export interface StartConnectOptions {
  connection: string;
  scopes?: string[] | undefined;
  authorization_params?: Record<string, unknown> | undefined;
  appState?: unknown;
}

/** The access token for the My Account API, fetched by the worker for itself. */
async function myAccountToken(deps: WorkerDeps): Promise<AccessToken> {
  const audience = await myAccountApiBase(deps.session.context());
  return deps.session.getAccessToken(myAccountTokenKey(audience));
}

/**
 * Starts the My Account API connect flow: a token for `<issuer>me/`, `POST /connect` with a fresh
 * state and PKCE pair, and a stored transaction. Returns only the provider's consent URL; the
 * callback (`?connect_code=&state=`) comes back through the worker like a login's.
 */
export async function startConnect(
  deps: WorkerDeps,
  options: StartConnectOptions,
): Promise<{ url: string; loginId: string }> {
  assertObject(options, 'options');
  assertString(options.connection, 'options.connection');
  if (options.scopes !== undefined) {
    if (
      !Array.isArray(options.scopes) ||
      options.scopes.some((scope) => typeof scope !== 'string')
    ) {
      throw new TypeError('"options.scopes" must be an array of strings');
    }
  }
  if (options.authorization_params !== undefined) {
    assertObject(options.authorization_params, 'options.authorization_params');
  }
  const appState = checkAppState(options.appState);
  // Continues the session: its key, never a new one.
  await deps.session.load();
  const key = deps.session.key;
  const token = await myAccountToken(deps);
  const pkce = await createPkce();
  const state = randomString(32);
  const redirectUri = deps.config.authorizationParams.redirect_uri;
  const response = await connectAccount(deps.session.context(), {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    connection: options.connection,
    redirectUri,
    state,
    codeChallenge: pkce.codeChallenge,
    scopes: options.scopes,
    authorizationParams: options.authorization_params,
  });
  const transaction: ConnectTransaction = {
    kind: 'connect',
    mode: 'redirect',
    loginId: randomString(16),
    state,
    codeVerifier: pkce.codeVerifier,
    redirectUri,
    connection: options.connection,
    authSession: response.auth_session,
    appState,
    jkt: key?.thumbprint,
    createdAt: deps.now(),
  };
  await storeTransaction(deps, transaction);
  return { url: connectUrl(response).href, loginId: transaction.loginId };
}

/** Finishes a connect flow from its callback: `POST /complete` with the verifier. */
export async function completeConnect(
  deps: WorkerDeps,
  transaction: ConnectTransaction,
  callbackUrl: string,
): Promise<ConnectedAccount> {
  const connectCode = readConnectCallback(callbackUrl, { state: transaction.state });
  const token = await myAccountToken(deps);
  const account = await completeAccount(deps.session.context(), {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    authSession: transaction.authSession,
    connectCode,
    redirectUri: transaction.redirectUri,
    codeVerifier: transaction.codeVerifier,
  });
  return { ...account };
}
