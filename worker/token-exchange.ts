import { assertObject, assertOptionalString, assertString } from '../src/core/assert.js';
import { NotAllowedError } from '../src/core/errors.js';
import { tokenExchangeGrant } from '../src/core/grants/token-exchange.js';
import type { TokenExchangeSummary } from '../src/rpc/protocol.js';
import type { WorkerDeps } from './deps.js';
import { newSessionGrant } from './policy.js';

/** auth0-spa-js's `CustomTokenExchangeOptions`: snake_case, extra string fields passed through. */
export interface CustomTokenExchangeOptions {
  subject_token: string;
  subject_token_type: string;
  audience?: string | undefined;
  scope?: string | undefined;
  organization?: string | undefined;
  actor_token?: string | undefined;
  actor_token_type?: string | undefined;
  [extra: string]: unknown;
}

const KNOWN = new Set([
  'subject_token',
  'subject_token_type',
  'audience',
  'scope',
  'organization',
  'actor_token',
  'actor_token_type',
]);

/**
 * `loginWithCustomTokenExchange`: exchanges the page's subject token (RFC 8693) for the app's
 * tokens, which go into the worker and establish the session exactly like a login (ID token
 * verified, DPoP-bound, refresh token kept). The page gets a summary, never the tokens — unless
 * the worker config sets `exposeAccessTokens`. With `establishSession: false`
 * (`customTokenExchange`) the session is left as it was and the tokens are dropped after the
 * summary: the page has them only through `exposeAccessTokens`, as auth0-spa-js returns them.
 */
export async function exchangeToken(
  deps: WorkerDeps,
  options: CustomTokenExchangeOptions,
  /** `false` for auth0-spa-js's `customTokenExchange`: the tokens do not touch the session. */
  establishSession = true,
): Promise<TokenExchangeSummary> {
  assertObject(options, 'options');
  assertString(options.subject_token, 'options.subject_token');
  assertString(options.subject_token_type, 'options.subject_token_type');
  for (const name of ['audience', 'scope', 'organization', 'actor_token', 'actor_token_type']) {
    assertOptionalString(options[name], `options.${name}`);
  }
  if ((options.actor_token === undefined) !== (options.actor_token_type === undefined)) {
    throw new TypeError('"options.actor_token" and "options.actor_token_type" go together');
  }
  // The same limits as a login: only audiences and scopes the worker config names.
  const { audience, scope } = newSessionGrant(deps.config, options);
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(options)) {
    if (KNOWN.has(name) || value === undefined) continue;
    if (typeof value !== 'string') throw new TypeError(`"options.${name}" must be a string`);
    extra[name] = value;
  }
  // A new session: a key generated now, never one found in storage (key-binding.ts).
  const key = await deps.session.newSessionKey();
  const tokens = await tokenExchangeGrant(deps.session.contextFor(key?.handle), {
    subjectToken: options.subject_token,
    subjectTokenType: options.subject_token_type,
    audience,
    scope,
    organization: options.organization,
    actorToken: options.actor_token,
    actorTokenType: options.actor_token_type,
    extra,
  });
  if (establishSession) {
    if (!tokens.claims) {
      throw new NotAllowedError({
        message: 'The token exchange returned no ID token, so it cannot establish a session.',
      });
    }
    await deps.session.establish({ audience, scope }, tokens, key);
  }
  const summary: TokenExchangeSummary = {
    token_type: tokens.tokenType,
    expires_in: Math.max(0, tokens.expiresAt - Math.floor(deps.now() / 1000)),
    scope: tokens.scope,
    issued_token_type: tokens.issuedTokenType,
  };
  if (deps.config.exposeAccessTokens) summary.access_token = tokens.accessToken;
  return summary;
}
