import { assertObject, assertString } from '../src/core/assert.js';
import { readConnectCallback } from '../src/core/my-account/callback.js';
import { type ConnectedAccount, completeAccount } from '../src/core/my-account/complete.js';
import { connectAccount, connectUrl } from '../src/core/my-account/connect.js';
import { myAccountApiBase } from '../src/core/my-account/request.js';
import { createPkce } from '../src/core/pkce.js';
import { randomString } from '../src/core/random.js';
import { checkAppState, type LoginDeps, storeTransaction } from './login.js';
import type { AccessToken, TokenKey } from './session.js';
import type { ConnectTransaction } from './vault.js';

/** The My Account API scope that links an account (Auth0's name). */
const CONNECT_SCOPE = 'create:me:connected_accounts';

/** Options of {@link startConnect}, as auth0-spa-js's `connectAccountWithRedirect` takes them. */
export interface StartConnectOptions {
  connection: string;
  scopes?: string[] | undefined;
  authorization_params?: Record<string, unknown> | undefined;
  appState?: unknown;
}

/**
 * The access token for the My Account API, fetched by the worker for itself: it never reaches
 * the page, and this audience need not be on the allow-list (page requests cannot use it).
 */
async function myAccountToken(deps: LoginDeps): Promise<AccessToken> {
  const key: TokenKey = {
    audience: await myAccountApiBase(deps.session.context()),
    scope: CONNECT_SCOPE,
  };
  return deps.session.getAccessToken(key);
}

/**
 * Starts the My Account API connect flow: a token for `<issuer>me/`, `POST /connect` with a fresh
 * state and PKCE pair, and a stored transaction. Returns only the provider's consent URL; the
 * callback (`?connect_code=&state=`) comes back through the worker like a login's.
 */
export async function startConnect(
  deps: LoginDeps,
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
  const key = await deps.session.ensureKey();
  const token = await myAccountToken(deps);
  const pkce = await createPkce();
  const state = randomString(32);
  const redirectUri = String(deps.config.authorizationParams.redirect_uri);
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
  deps: LoginDeps,
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
