import { assertKnownKeys, assertObject } from '../src/core/assert.js';
import { OAuthError, ResponseError } from '../src/core/errors.js';
import { parseJsonObject } from '../src/core/http.js';
import { sendJsonRequest } from '../src/core/json-request.js';
import type { AnonymousSessionOptions, AnonymousTokenSummary } from '../src/rpc/protocol.js';
import type { FeatureParts, WorkerDeps } from './deps.js';
import type { WorkerFeature } from './features.js';
import { anonymousTokenKey, type TokenKey } from './policy.js';
import type { AccessToken } from './session.js';

// auth0-spa-js's `auth0.anonymous.*`, served by the worker. spa-js keeps the session token in
// localStorage; here it lives in worker memory only: it re-mints access tokens without any proof
// of possession, so it is a bearer credential that origin storage would hand to injected script
// (THREATS 1). The cost, stated in MIGRATING.md: the session lasts as long as the worker runs (a
// browser stops an idle worker after ~30 s, unless the memory custody mode keeps it alive), and
// `getTokenSilently` then starts a new anonymous identity, as spa-js does when the session token
// has expired.

/** A token is handed out (or used) only with more than this many seconds left, as spa-js. */
const FRESH_SECONDS = 60;

interface Slot {
  accessToken: string;
  expiresAt: number;
  scope?: string | undefined;
}

interface Held {
  sessionToken: string;
  sessionTokenExpiresAt?: number | undefined;
  /** Access tokens by audience and scope. */
  slots: Map<string, Slot>;
}

interface State {
  held?: Held | undefined;
  /** One create/renew at a time, for every tab: spa-js takes a lock for the same reason. */
  queue: Promise<unknown>;
}

const states = new WeakMap<WorkerDeps, State>();

function stateOf(deps: WorkerDeps): State {
  let state = states.get(deps);
  if (!state) {
    state = { queue: Promise.resolve() };
    states.set(deps, state);
  }
  return state;
}

function slotKey(key: TokenKey): string {
  return `${key.audience ?? ''}\u0000${key.scope}`;
}

function nowSeconds(deps: WorkerDeps): number {
  return Math.floor(deps.now() / 1000);
}

function fresh(deps: WorkerDeps, slot: Slot | undefined): slot is Slot {
  return slot !== undefined && slot.expiresAt - FRESH_SECONDS > nowSeconds(deps);
}

/** Runs `operation` after every earlier create/renew of this worker has settled. */
function queued<T>(state: State, operation: () => Promise<T>): Promise<T> {
  const result = state.queue.then(operation);
  state.queue = result.catch(() => {});
  return result;
}

/** What `/anonymous/token` answered, checked. */
interface AnonymousSession {
  sessionToken: string;
  accessToken: string;
  expiresAt: number;
  sessionTokenExpiresAt?: number | undefined;
  scope?: string | undefined;
}

/**
 * `POST /anonymous/token` (Auth0's anonymous grant, public client): with `session_token` it
 * re-mints that session's access token, without one it creates a session. Written here on
 * `sendJsonRequest` rather than through the core's auth-js-shaped `AnonymousSessionClient`, whose
 * error classes the worker bundle would carry for nothing: a refusal is the core's `OAuthError`
 * with the server's `error` (e.g. `invalid_session_token`), which the page rebuilds.
 */
async function anonymousToken(
  deps: WorkerDeps,
  body: { session_token?: string; audience?: string; scope?: string; metadata?: unknown },
): Promise<AnonymousSession> {
  const context = deps.session.context();
  const what = 'Anonymous session';
  const response = await sendJsonRequest(context, {
    method: 'POST',
    url: 'anonymous/token',
    body: { client_id: context.clientId, ...body },
    what,
  });
  const answer = parseJsonObject(response, what);
  const sessionToken = body.session_token ?? answer.session_token;
  if (
    typeof sessionToken !== 'string' ||
    sessionToken === '' ||
    typeof answer.access_token !== 'string' ||
    answer.access_token === '' ||
    typeof answer.expires_in !== 'number' ||
    answer.expires_in < 0
  ) {
    throw new ResponseError({ message: `${what}: malformed response.`, status: response.status });
  }
  const now = nowSeconds(deps);
  return {
    sessionToken,
    accessToken: answer.access_token,
    expiresAt: now + answer.expires_in,
    sessionTokenExpiresAt:
      typeof answer.session_expires_in === 'number' ? now + answer.session_expires_in : undefined,
    scope: typeof answer.scope === 'string' ? answer.scope : undefined,
  };
}

/** The request's audience and scope, as `/anonymous/token` takes them. */
function grantOf(key: TokenKey): { audience?: string; scope?: string } {
  return {
    ...(key.audience === undefined ? {} : { audience: key.audience }),
    ...(key.scope === '' ? {} : { scope: key.scope }),
  };
}

function summary(deps: WorkerDeps, slot: Slot, held: Held): AnonymousTokenSummary {
  const result: AnonymousTokenSummary = { expiresAt: slot.expiresAt };
  if (slot.scope !== undefined) result.scope = slot.scope;
  if (held.sessionTokenExpiresAt !== undefined)
    result.sessionTokenExpiresAt = held.sessionTokenExpiresAt;
  if (deps.config.exposeAccessTokens) result.accessToken = slot.accessToken;
  return result;
}

function keep(state: State, key: TokenKey, session: AnonymousSession, replace: boolean): Held {
  if (replace || !state.held || state.held.sessionToken !== session.sessionToken) {
    state.held = {
      sessionToken: session.sessionToken,
      sessionTokenExpiresAt: session.sessionTokenExpiresAt,
      slots: new Map(),
    };
  }
  state.held.slots.set(slotKey(key), {
    accessToken: session.accessToken,
    expiresAt: session.expiresAt,
    scope: session.scope,
  });
  return state.held;
}

/** `createSession`: always a new anonymous identity (the old one is forgotten), as spa-js. */
export function anonymousCreateSession(
  deps: WorkerDeps,
  options: unknown = {},
): Promise<AnonymousTokenSummary> {
  assertObject(options, 'options');
  assertKnownKeys(options, ['audience', 'scope', 'metadata'], 'options');
  const given = options as AnonymousSessionOptions;
  const key = anonymousTokenKey(deps.config, { audience: given.audience, scope: given.scope });
  const state = stateOf(deps);
  const metadata = given.metadata;
  if (metadata !== undefined) {
    assertObject(metadata, 'options.metadata');
    for (const [name, value] of Object.entries(metadata)) {
      if (typeof value !== 'string')
        throw new TypeError(`"options.metadata.${name}" must be a string`);
    }
  }
  return queued(state, async () => {
    const session = await anonymousToken(deps, {
      ...grantOf(key),
      ...(metadata === undefined ? {} : { metadata }),
    });
    const held = keep(state, key, session, true);
    return summary(deps, held.slots.get(slotKey(key)) as Slot, held);
  });
}

/**
 * An access token for `key`: the held one while fresh, else renewed with the session token, else
 * (no session, or the server no longer knows it) a new session — spa-js's `getTokenSilently`.
 */
async function slotFor(deps: WorkerDeps, key: TokenKey): Promise<{ slot: Slot; held: Held }> {
  const state = stateOf(deps);
  const cached = state.held?.slots.get(slotKey(key));
  if (state.held && fresh(deps, cached)) return { slot: cached, held: state.held };
  return queued(state, async () => {
    const again = state.held?.slots.get(slotKey(key));
    if (state.held && fresh(deps, again)) return { slot: again, held: state.held };
    let session: AnonymousSession | undefined;
    if (state.held) {
      try {
        session = await anonymousToken(deps, {
          ...grantOf(key),
          session_token: state.held.sessionToken,
        });
      } catch (error) {
        // The server ended the session (expired, logged out elsewhere): start a new identity.
        if (!(error instanceof OAuthError) || error.status !== 401) throw error;
        state.held = undefined;
      }
    }
    session ??= await anonymousToken(deps, grantOf(key));
    const held = keep(state, key, session, false);
    return { slot: held.slots.get(slotKey(key)) as Slot, held };
  });
}

/** `getTokenSilently`: the summary of a fresh anonymous access token. */
export async function anonymousGetTokenSilently(
  deps: WorkerDeps,
  options: unknown = {},
): Promise<AnonymousTokenSummary> {
  assertObject(options, 'options');
  assertKnownKeys(options, ['audience', 'scope'], 'options');
  const key = anonymousTokenKey(deps.config, options as { audience?: unknown; scope?: unknown });
  const { slot, held } = await slotFor(deps, key);
  return summary(deps, slot, held);
}

/**
 * The anonymous access token for an allow-listed request while no user is logged in, or
 * `undefined` when there is no anonymous session (none is created for a request).
 */
export async function anonymousAccessToken(
  deps: WorkerDeps,
  key: TokenKey,
  failed: string | undefined,
): Promise<AccessToken | undefined> {
  const state = stateOf(deps);
  if (!state.held) return undefined;
  // The token the app asked for this API (`getTokenSilently({ audience })`), whatever its scope;
  // the API decides what an anonymous caller may do. None asked yet: one without a scope.
  const audience = key.audience ?? '';
  const asked = [...state.held.slots.keys()].find((id) => id.split('\u0000')[0] === audience);
  const anonymousKey = { audience: key.audience, scope: asked?.split('\u0000')[1] ?? '' };
  const held = state.held.slots.get(slotKey(anonymousKey));
  if (held && held.accessToken === failed) state.held.slots.delete(slotKey(anonymousKey));
  const { slot } = await slotFor(deps, anonymousKey);
  return {
    accessToken: slot.accessToken,
    tokenType: 'Bearer',
    expiresAt: slot.expiresAt,
    lifetime: Math.max(0, slot.expiresAt - nowSeconds(deps)),
    scope: slot.scope,
  };
}

/** `logout`: ends the session at the server (`/anonymous/logout`) and forgets it here. */
export function anonymousLogout(deps: WorkerDeps): Promise<void> {
  const state = stateOf(deps);
  return queued(state, async () => {
    const held = state.held;
    state.held = undefined;
    if (!held) return;
    const context = deps.session.context();
    // The session token names the session (Auth0's browser flow uses its cookie instead).
    await sendJsonRequest(context, {
      method: 'POST',
      url: 'anonymous/logout',
      body: { client_id: context.clientId, session_token: held.sessionToken },
      what: 'Anonymous logout',
    });
  });
}

/** `hasSession`: whether this worker holds an anonymous session. */
export function anonymousHasSession(deps: WorkerDeps): boolean {
  const held = stateOf(deps).held;
  if (!held) return false;
  const ends = held.sessionTokenExpiresAt;
  return ends === undefined || ends > nowSeconds(deps);
}

/** @internal For tests: the session token stays here, never in an answer. */
export function heldSessionToken(deps: WorkerDeps): string | undefined {
  return stateOf(deps).held?.sessionToken;
}

/** What anonymousSessions installs: the facade methods and the fetch router's hook. */
const anonymousParts: FeatureParts = {
  name: 'anonymousSessions',
  // Each validates its arguments (above).
  methods: {
    anonymousCreateSession,
    anonymousGetTokenSilently,
    anonymousLogout,
    anonymousHasSession,
  },
  anonymousAccessToken,
};

/**
 * The worker feature that serves `auth0.anonymous.*` (anonymous sessions, their token held in
 * worker memory) and gives allow-listed requests that token while no user is logged in: pass it
 * to `installAuthWorker`. Without it, those methods reject with `NotSupportedError`, such
 * requests go out without credentials, and the worker script carries none of this file.
 *
 * @example
 * ```ts
 * import { anonymousSessions, installAuthWorker } from 'auth0-enclave/worker';
 *
 * installAuthWorker(
 *   {
 *     domain: 'example.eu.auth0.com',
 *     clientId: 'abc',
 *     authorizationParams: { redirect_uri: 'https://app.example/callback' },
 *   },
 *   { features: [anonymousSessions] },
 * );
 * ```
 */
export const anonymousSessions: WorkerFeature = anonymousParts;
