import { buildAuthorizationUrl } from '../src/core/authorize-url.js';
import { NotAllowedError } from '../src/core/errors.js';
import { randomString } from '../src/core/random.js';
import type { PageAuthorizationParams } from '../src/rpc/protocol.js';
import type { WorkerDeps } from './deps.js';
import { checkPageAuthorizationParams, newSessionGrant } from './policy.js';
import type { LoginMode, LoginTransaction, Transaction } from './vault.js';

/** appState is kept with the transaction; this bounds what a page can make the worker store. */
const MAX_APP_STATE_BYTES = 16 * 1024;

export function checkAppState(appState: unknown): unknown {
  if (appState === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(appState);
  } catch {
    throw new TypeError('"appState" must be JSON-serialisable');
  }
  // Functions and symbols stringify to undefined rather than throwing.
  if (json === undefined) throw new TypeError('"appState" must be JSON-serialisable');
  if (json.length > MAX_APP_STATE_BYTES)
    throw new TypeError(`"appState" must be under ${MAX_APP_STATE_BYTES} bytes`);
  return JSON.parse(json) as unknown;
}

/**
 * Starts a login: creates `state`, `nonce` and the PKCE verifier, stores the transaction in the worker's vault, and returns only the `/authorize` URL and the
 * login's id (for a popup or iframe to be waited on).
 */
export async function startLogin(
  deps: WorkerDeps,
  options: {
    authorizationParams?: PageAuthorizationParams | undefined;
    appState?: unknown;
    mode?: LoginMode | undefined;
  },
): Promise<{ url: string; loginId: string }> {
  const mode = options.mode ?? 'redirect';
  if (!['redirect', 'popup', 'silent'].includes(mode)) {
    throw new TypeError('"mode" must be "redirect", "popup" or "silent"');
  }
  const params = checkPageAuthorizationParams(deps.config, options.authorizationParams);
  // A hidden iframe can show no login page: it either has a session at the server or fails.
  if (mode === 'silent') params.prompt = 'none';
  const appState = checkAppState(options.appState);
  const grant = newSessionGrant(deps.config, params);
  // RFC 8707: the login asks for the resource of the audience it is for, when the config names one.
  const resource = deps.config.resourceFor(grant.audience);
  if (resource !== undefined) params.resource = resource;
  // No DPoP key yet, so no `dpop_jkt`: the session's key is generated when the code is redeemed
  // (key-binding.ts says why), and this URL goes through the page.
  const request = await buildAuthorizationUrl(deps.session.contextFor(undefined), {
    defaults: deps.config.authorizationParams,
    // The policy's audience and scope, so /authorize and the transaction cannot disagree.
    authorizationParams: { ...params, ...grant },
  });
  // What /authorize got, defaults merged in.
  const sent = request.params;
  const maxAge = sent.max_age === undefined ? undefined : Number(sent.max_age);
  const transaction: LoginTransaction = {
    kind: 'login',
    mode,
    loginId: randomString(16),
    state: request.state,
    nonce: request.nonce,
    codeVerifier: request.codeVerifier,
    // Exactly what /authorize got: the code exchange must send the identical string (RFC 6749
    // §4.1.3), and `URL.href` may differ from the configured spelling (`https://app` → `https://app/`).
    redirectUri: String(sent.redirect_uri),
    audience: grant.audience,
    scope: grant.scope,
    maxAge: Number.isFinite(maxAge) ? maxAge : undefined,
    organization: typeof sent.organization === 'string' ? sent.organization : undefined,
    appState,
    jkt: undefined,
    createdAt: deps.now(),
  };
  await storeTransaction(deps, transaction);
  return { url: request.authorizationUrl.href, loginId: transaction.loginId };
}

/** Stores a transaction, refusing past the vault's bound on pending flows. */
export async function storeTransaction(deps: WorkerDeps, transaction: Transaction): Promise<void> {
  if (!(await deps.vault.putTransaction(transaction, deps.now()))) {
    throw new NotAllowedError({
      message: 'Too many logins in progress; finish or abandon one first.',
    });
  }
}
