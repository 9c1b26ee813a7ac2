import { assertObject, assertOptionalString, assertString } from '../src/core/assert.js';
import {
  InvalidStateError,
  LoginRequiredError,
  NotAllowedError,
  TokenNotExposedError,
} from '../src/core/errors.js';
import { VERSION } from '../src/core/version.js';
import { deserializeError } from '../src/rpc/errors.js';
import type { LoginOutcome, PublicConfiguration, WorkerApi } from '../src/rpc/protocol.js';
import { completeCallback, resultKey } from './callback.js';
import type { ResolvedConfig } from './config.js';
import type { WorkerDeps } from './deps.js';
import { featureMethods } from './features.js';
import { startLogin } from './login.js';
import {
  mfaChallenge,
  mfaEnroll,
  mfaGetAuthenticators,
  mfaGetEnrollmentFactors,
  mfaVerify,
} from './mfa.js';
import { passkeyFinish, passkeyStart } from './passkey.js';
import { isRedirectUri, tokenAudience, tokenKey } from './policy.js';
import { type CustomTokenExchangeOptions, exchangeToken } from './token-exchange.js';
import type { LoginResult } from './vault.js';

/**
 * The RPC facade one page connection gets: a frozen, null-prototype object of single-name
 * methods (nothing to walk: no prototype, no getters, no nested objects). Every argument is
 * validated here, whatever the page's types claimed; what the page may ask for, the policy
 * (policy.ts) decides. `windowId` is the browser's id of the connected page (`Client.id`), under
 * which a redirect login's outcome waits for it.
 */
export function createFacade(deps: WorkerDeps, windowId: string): WorkerApi {
  const { config, session, vault, now } = deps;

  const outcome = (result: LoginResult | undefined): LoginOutcome => {
    if (!result)
      throw new InvalidStateError({ message: 'There is no login result for this page.' });
    if (!result.ok && result.error) throw deserializeError(result.error);
    return result.connected
      ? { appState: result.appState, connected: result.connected }
      : { appState: result.appState };
  };

  const api: WorkerApi = {
    async getConfiguration() {
      return publicConfiguration(config);
    },
    async startLogin(options = {}) {
      assertObject(options, 'options');
      return startLogin(deps, options);
    },
    async takeLoginResult(loginId) {
      assertOptionalString(loginId, 'loginId');
      if (loginId !== undefined) return outcome(await vault.takeResult(resultKey(loginId), now()));
      return outcome(
        (await vault.takeResult(windowId, now())) ?? (await vault.takeResult('latest', now())),
      );
    },
    async abandonLogin(loginId) {
      assertString(loginId, 'loginId');
      await vault.abandonTransaction(loginId);
    },
    async exchangeToken(options, mode = 'login') {
      if (mode !== 'login' && mode !== 'exchange')
        throw new TypeError('"mode" must be "login" or "exchange"');
      return exchangeToken(deps, options as CustomTokenExchangeOptions, mode === 'login');
    },
    async revokeRefreshToken(options = {}) {
      assertObject(options, 'options');
      await session.revokeRefreshToken(tokenAudience(config, options.audience));
    },
    // MFA and passkeys: each validates its arguments (see mfa.ts, passkey.ts).
    async mfaGetAuthenticators(mfaToken) {
      return mfaGetAuthenticators(deps, mfaToken);
    },
    async mfaEnroll(params) {
      return mfaEnroll(deps, params);
    },
    async mfaChallenge(params) {
      return mfaChallenge(deps, params);
    },
    async mfaVerify(params) {
      return mfaVerify(deps, params);
    },
    async mfaGetEnrollmentFactors(mfaToken) {
      return mfaGetEnrollmentFactors(deps, mfaToken);
    },
    async passkeyStart(options) {
      return passkeyStart(deps, options);
    },
    async passkeyFinish(options) {
      return passkeyFinish(deps, options);
    },
    // auth0.myAccount.* and auth0.anonymous.*: optional features (features.ts), served by the
    // features the worker script installed, NotSupportedError otherwise.
    ...featureMethods(deps),
    async redeemCallback(url) {
      assertString(url, 'url');
      if (!isRedirectUri(config, new URL(url))) {
        throw new NotAllowedError({ message: "The URL is not this app's redirect_uri." });
      }
      return outcome(await completeCallback(deps, url));
    },
    async getSession() {
      return session.state();
    },
    async getIdTokenClaims() {
      return session.idTokenClaims();
    },
    async checkSession(options) {
      await session.getAccessToken(tokenKey(config, options));
      return session.state();
    },
    async getTokenSilently(options = {}) {
      if (!config.exposeAccessTokens) {
        throw new TokenNotExposedError({
          message:
            'The worker holds the access token and does not give it to page script. Call the API with fetchWithAuth(), ' +
            'or set exposeAccessTokens: true in the worker config if a third-party SDK must have the token.',
        });
      }
      const key = tokenKey(config, options);
      const mode = options.cacheMode ?? 'on';
      if (!['on', 'off', 'cache-only'].includes(mode))
        throw new TypeError('"cacheMode" must be "on", "off" or "cache-only"');
      const token =
        mode === 'cache-only'
          ? await session.cachedAccessToken(key)
          : await session.getAccessToken(key, { force: mode === 'off' });
      if (!token) throw new LoginRequiredError({ message: 'No access token in the cache.' });
      return {
        access_token: token.accessToken,
        token_type: token.tokenType,
        expires_in: Math.max(0, token.expiresAt - Math.floor(now() / 1000)),
        scope: token.scope,
      };
    },
    async logout(options = {}) {
      assertObject(options, 'options');
      assertOptionalString(options.returnTo, 'options.returnTo');
      const url = await session.logout({
        returnTo: options.returnTo,
        federated: options.federated === true,
      });
      return options.localOnly ? undefined : url.href;
    },
    async getDpopNonce(origin) {
      return session.nonces.get(nonceOrigin(config, origin));
    },
    async setDpopNonce(nonce, origin) {
      requireProofExposure(config, 'setDpopNonce');
      assertString(nonce, 'nonce');
      if (!/^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/.test(nonce))
        throw new TypeError('"nonce" is not a valid DPoP nonce');
      await session.nonces.set(nonceOrigin(config, origin), nonce);
    },
    async generateDpopProof(options) {
      requireProofExposure(config, 'generateDpopProof');
      assertObject(options, 'options');
      assertString(options.url, 'options.url');
      assertString(options.method, 'options.method');
      assertOptionalString(options.nonce, 'options.nonce');
      assertOptionalString(options.accessToken, 'options.accessToken');
      const key = session.key;
      if (!key) throw new LoginRequiredError({ message: 'There is no DPoP key: log in first.' });
      return key.createProof({
        url: new URL(options.url),
        method: options.method,
        nonce: options.nonce,
        accessToken: options.accessToken,
      });
    },
  };
  return Object.freeze(Object.assign(Object.create(null) as WorkerApi, api));
}

/** What the page may know of the config: served by `getConfiguration` and sent in the connect handshake. */
export function publicConfiguration(config: ResolvedConfig): PublicConfiguration {
  return {
    domain: config.domain,
    clientId: config.clientId,
    issuer: config.base.href,
    leeway: config.leeway,
    authorizationParams: { ...config.authorizationParams },
    apis: config.routes.map((route) => ({
      url: route.url,
      audience: route.audience,
      scope: route.scope,
    })),
    useDpop: config.useDpop,
    persistence: config.persistence,
    exposeAccessTokens: config.exposeAccessTokens,
    exposeDpopProofs: config.exposeDpopProofs,
    fetchWithAuthOnly: config.fetchWithAuthOnly,
    version: VERSION,
  };
}

/** The origin a nonce belongs to: the given server's, or the authorization server's. */
function nonceOrigin(config: ResolvedConfig, origin: string | undefined): string {
  assertOptionalString(origin, 'origin');
  if (origin === undefined) return config.base.origin;
  try {
    return new URL(origin).origin;
  } catch {
    throw new TypeError('"origin" must be a URL');
  }
}

function requireProofExposure(config: ResolvedConfig, method: string): void {
  if (!config.exposeDpopProofs) {
    throw new NotAllowedError({
      message: `${method}() lets page script steer or sign DPoP proofs; the worker config does not allow it (exposeDpopProofs).`,
    });
  }
}
