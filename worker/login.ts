import { assertObject } from '../src/core/assert.js';
import { mergeAuthorizationParams } from '../src/core/authorization-params.js';
import { buildAuthorizationUrl } from '../src/core/authorize-url.js';
import { NotAllowedError } from '../src/core/errors.js';
import { randomString } from '../src/core/random.js';
import type { PageAuthorizationParams } from '../src/rpc/protocol.js';
import type { ResolvedConfig } from './config.js';
import type { Session } from './session.js';
import type { LoginMode, LoginTransaction, Transaction, Vault } from './vault.js';

/** appState is kept with the transaction; this bounds what a page can make the worker store. */
const MAX_APP_STATE_BYTES = 16 * 1024;

/** What login needs from the rest of the worker. */
export interface LoginDeps {
  config: ResolvedConfig;
  vault: Vault;
  session: Session;
  now: () => number;
}

/**
 * Checks `/authorize` parameters from the page against the worker's config: the page may choose
 * among what the config allows (an audience of the allow-list, configured scopes, prompt, hints,
 * organization …) but never a redirect_uri, a response mode the worker cannot intercept, or an
 * audience or scope the config does not name.
 */
export function checkPageAuthorizationParams(
  config: ResolvedConfig,
  params: PageAuthorizationParams | undefined,
): PageAuthorizationParams {
  if (params === undefined) return {};
  assertObject(params, 'authorizationParams');
  const checked: PageAuthorizationParams = { ...params };
  if (params.redirect_uri !== undefined && params.redirect_uri !== config.redirectUri.href) {
    throw new NotAllowedError({
      message: '"authorizationParams.redirect_uri" is fixed by the worker config.',
    });
  }
  if (params.response_mode !== undefined && params.response_mode !== 'query') {
    throw new NotAllowedError({
      message:
        '"authorizationParams.response_mode" must be "query": the worker intercepts the callback.',
    });
  }
  const audience = params.audience;
  if (
    audience !== undefined &&
    (typeof audience !== 'string' || !config.allowedAudiences.has(audience))
  ) {
    throw new NotAllowedError({
      message: `Audience "${String(audience)}" is not in the worker config.`,
    });
  }
  if (params.scope !== undefined) {
    if (typeof params.scope !== 'string')
      throw new TypeError('"authorizationParams.scope" must be a string');
    for (const scope of params.scope.split(/\s+/).filter(Boolean)) {
      if (!config.allowedScopes.has(scope))
        throw new NotAllowedError({ message: `Scope "${scope}" is not in the worker config.` });
    }
  }
  return checked;
}

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
 * Starts a login: creates `state`, `nonce`, the PKCE verifier and (with DPoP) the session key,
 * stores the transaction in the worker's vault, and returns only the `/authorize` URL and the
 * login's id (for a popup or iframe to be waited on).
 */
export async function startLogin(
  deps: LoginDeps,
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
  // RFC 8707: the login asks for the resource of the audience it is for, when the config names one.
  const resource = deps.config.resourceFor(
    typeof params.audience === 'string'
      ? params.audience
      : deps.config.authorizationParams.audience,
  );
  if (resource !== undefined) params.resource = resource;
  const key = await deps.session.ensureKey();
  const request = await buildAuthorizationUrl(deps.session.context(), {
    defaults: deps.config.authorizationParams,
    authorizationParams: params,
  });
  const merged = mergeAuthorizationParams(
    deps.config.authorizationParams,
    params,
    'authorizationParams',
  );
  const maxAge = merged.max_age === undefined ? undefined : Number(merged.max_age);
  const transaction: LoginTransaction = {
    kind: 'login',
    mode,
    loginId: randomString(16),
    state: request.state,
    nonce: request.nonce,
    codeVerifier: request.codeVerifier,
    // Exactly what /authorize got: the code exchange must send the identical string (RFC 6749
    // §4.1.3), and `URL.href` may differ from the configured spelling (`https://app` → `https://app/`).
    redirectUri: String(merged.redirect_uri),
    audience: typeof merged.audience === 'string' ? merged.audience : undefined,
    scope: String(merged.scope),
    maxAge: Number.isFinite(maxAge) ? maxAge : undefined,
    organization: typeof merged.organization === 'string' ? merged.organization : undefined,
    appState,
    jkt: key?.thumbprint,
    createdAt: deps.now(),
  };
  await storeTransaction(deps, transaction);
  return { url: request.authorizationUrl.href, loginId: transaction.loginId };
}

/** Stores a transaction, refusing past the vault's bound on pending flows. */
export async function storeTransaction(deps: LoginDeps, transaction: Transaction): Promise<void> {
  if (!(await deps.vault.putTransaction(transaction, deps.now()))) {
    throw new NotAllowedError({
      message: 'Too many logins in progress; finish or abandon one first.',
    });
  }
}
