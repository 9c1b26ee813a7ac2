import { publicClient } from '../src/core/client-auth.js';
import { type ClientContext, createClientContext } from '../src/core/context.js';
import { DpopKeyPair } from '../src/core/dpop-key.js';
import type { DpopNonceStore } from '../src/core/dpop-nonces.js';
import {
  HttpError,
  IdTokenValidationError,
  LoginRequiredError,
  MfaRequiredError,
  MissingRefreshTokenError,
  OAuthError,
} from '../src/core/errors.js';
import { refreshTokenGrant } from '../src/core/grants/refresh-token.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../src/core/http.js';
import { buildLogoutUrl } from '../src/core/logout-url.js';
import { revokeToken } from '../src/core/revoke.js';
import type { TokenResponse } from '../src/core/token-response.js';
import { telemetryHeader } from '../src/core/version.js';
import type { IdTokenClaims, SessionState } from '../src/rpc/protocol.js';
import type { ResolvedConfig } from './config.js';
import { checkBinding, freshSessionKey, type SessionKey } from './key-binding.js';
import { PersistedNonces } from './persisted-nonces.js';
import type { TokenKey } from './policy.js';
import { scopeKey } from './scope.js';
import { SingleFlight } from './single-flight.js';
import type { StepUps } from './step-ups.js';
import { toUser } from './user.js';
import type { StoredRefreshToken, Vault } from './vault.js';

/** An access token held in worker memory. */
export interface AccessToken {
  accessToken: string;
  tokenType: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** Lifetime when issued, seconds: bounds the refresh leeway for short-lived tokens. */
  lifetime: number;
  scope: string | undefined;
}

interface LiveSession {
  claims: IdTokenClaims;
  /**
   * Whether `claims` come from an ID token this worker verified. Claims read back from IndexedDB
   * are not (page script can write them): they are re-derived from the ID token of a refresh
   * before anyone is shown them (see `#reprove`).
   */
  verified: boolean;
  /** By audience (`''` for none). Bearer tokens live only here unless the config opts in. */
  refreshTokens: Map<string, StoredRefreshToken>;
}

/** 5xx and 429 are retried this many times, each with a fresh proof; network failures are not. */
const REFRESH_RETRIES = [250, 1000];

/** The dependencies of a {@link Session}. */
export interface SessionDeps {
  config: ResolvedConfig;
  vault: Vault;
  /** Tells every tab about a session change. */
  broadcast: (state: SessionState) => void;
  /** Where a refresh that meets `mfa_required` leaves the server's mfa_token (see step-ups.ts). */
  stepUps: StepUps;
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * The session as the worker holds it: the DPoP key, the refresh tokens, the in-memory access
 * tokens, and every rule about when they are refreshed, persisted and wiped. What lives only as
 * long as the session but is not it (step-ups, passkey ceremonies) is held elsewhere and told
 * when the session changes.
 */
export class Session {
  readonly #config: ResolvedConfig;
  readonly #vault: Vault;
  readonly #broadcast: (state: SessionState) => void;
  readonly #now: () => number;
  readonly #base: ClientContext;
  readonly #nonces: PersistedNonces;
  readonly #flights = new SingleFlight<AccessToken>();
  /** The tail of the refreshes queued per refresh-token slot (see `#refresh`). */
  readonly #slotQueues = new Map<string, Promise<void>>();
  readonly #accessTokens = new Map<string, AccessToken>();
  #key: DpopKeyPair | undefined;
  #live: LiveSession | undefined;
  /** Bumped on login and logout, so a refresh that started before one cannot resurrect a session. */
  #generation = 0;
  /** The tail of the queue of vault writes (see `#write`). */
  #writes: Promise<void> = Promise.resolve();
  /** Bumped by every logout and expiry (see `endings`). */
  #endings = 0;
  #loaded: Promise<void> | undefined;
  readonly #stepUps: StepUps;
  readonly #endListeners: (() => void)[] = [];

  constructor(deps: SessionDeps) {
    this.#config = deps.config;
    this.#vault = deps.vault;
    this.#broadcast = deps.broadcast;
    this.#now = deps.now ?? (() => Date.now());
    this.#nonces = new PersistedNonces(deps.vault);
    this.#stepUps = deps.stepUps;
    const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
    this.#base = createClientContext({
      clientId: deps.config.clientId,
      base: deps.config.base,
      http: {
        fetch: fetchImpl,
        timeoutMs: deps.config.httpTimeoutMs,
        maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
        headers: deps.config.telemetry ? telemetryHeader() : {},
      },
      authenticate: publicClient(),
      leeway: deps.config.leeway,
      nonces: this.#nonces,
    });
  }

  /**
   * Restores the persisted session and its key once per worker lifetime. In the memory custody
   * mode nothing is read back (page script could have planted it). A stored key is loaded only
   * with the session it was stored for — a key found without one is never used: a new session
   * makes its own (key-binding.ts).
   */
  load(): Promise<void> {
    this.#loaded ??= (async () => {
      await this.#nonces.load();
      if (this.#config.persistence === 'memory') {
        // Nothing is read back; what a persisted-mode worker (or page script) left is removed,
        // so a switch to memory custody leaves no key or refresh token readable.
        await this.#vault.putSession(undefined);
        await this.#vault.deleteKeyPair();
        return;
      }
      const stored = await this.#vault.getSession();
      if (!stored) return;
      const keys = stored.jkt === undefined ? undefined : await this.#vault.getKeyPair();
      const key = keys
        ? await DpopKeyPair.fromCryptoKeyPair(keys).catch(() => undefined)
        : undefined;
      // The key must be the one the session was stored with (a page-swapped key alone, or a write
      // interrupted between key and session, fails here rather than at the server). A DPoP-bound
      // refresh token is useless without its key (deleted from storage, or DPoP turned off since):
      // keeping it would leave a session that can only fail, never "log in".
      const keyMatches = stored.jkt === undefined || key?.thumbprint === stored.jkt;
      const usable = Object.values(stored.refreshTokens).every(
        (token) => !token.dpopBound || (this.#config.useDpop && key && stored.jkt !== undefined),
      );
      if (
        stored.configKey !== this.#configKey() ||
        Object.keys(stored.refreshTokens).length === 0 ||
        !keyMatches ||
        !usable
      ) {
        await this.#vault.putSession(undefined);
        return;
      }
      this.#key = this.#config.useDpop ? key : undefined;
      this.#live = {
        claims: stored.claims,
        verified: false,
        refreshTokens: new Map(Object.entries(stored.refreshTokens)),
      };
    })().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  /**
   * The protocol context, bound to the session's DPoP key when there is one. Its nonce store
   * drops what a response delivers after a login or logout since: a request in flight during
   * logout must not write a nonce back into the wiped vault.
   */
  context(): ClientContext {
    return this.contextFor(this.#key);
  }

  /** The protocol context signing with `key` (a new session's, before it is established). */
  contextFor(key: DpopKeyPair | undefined): ClientContext {
    const generation = this.#generation;
    const nonces: DpopNonceStore = {
      get: (origin) => this.#nonces.get(origin),
      set: (origin, nonce) =>
        generation === this.#generation ? this.#nonces.set(origin, nonce) : undefined,
    };
    const base = { ...this.#base, nonces };
    return this.#config.useDpop && key ? { ...base, dpop: key } : base;
  }

  /** The nonce store (shared with the API proxy: nonces are per server origin). */
  get nonces(): PersistedNonces {
    return this.#nonces;
  }

  /**
   * The key a new session signs its grant with: generated now, in the worker (key-binding.ts);
   * `undefined` without DPoP. Nothing is stored until the session is established with it.
   */
  async newSessionKey(): Promise<SessionKey | undefined> {
    await this.load();
    return this.#config.useDpop ? freshSessionKey() : undefined;
  }

  /** The current key, if any (for resource requests). */
  get key(): DpopKeyPair | undefined {
    return this.#key;
  }

  async state(): Promise<SessionState> {
    const live = await this.#proven();
    if (!live) return { authenticated: false };
    return { authenticated: true, user: toUser(live.claims) };
  }

  async idTokenClaims(): Promise<IdTokenClaims | undefined> {
    const live = await this.#proven();
    return live ? { ...live.claims } : undefined;
  }

  /**
   * How many times the session ended (logout, or a refused refresh token). A login captures it
   * before redeeming its code: one that ended meanwhile voids the login (see `establish`).
   */
  get endings(): number {
    return this.#endings;
  }

  /**
   * The live session with claims a signed ID token vouched for. Claims read back from IndexedDB
   * could have been written by page script, so before they are shown they are re-derived: the
   * login's token is refreshed (single flight with every other refresh; the access token is
   * cached, so the app's first API call costs nothing more) and the refresh's verified ID token
   * replaces them. A refused refresh ends the session (logged out is the safe outcome). A server
   * that returns no ID token on refresh leaves the stored claims, checked for shape only.
   */
  async #proven(): Promise<LiveSession | undefined> {
    await this.load();
    const live = this.#live;
    if (!live || live.verified) return live;
    // The login's own slot when there is one, as it was granted: the refresh then asks for
    // nothing the token was not issued for.
    const audience = this.#config.authorizationParams.audience;
    const stored = live.refreshTokens.get(audience ?? '') ?? [...live.refreshTokens.values()][0];
    try {
      await this.getAccessToken(
        stored
          ? { audience: stored.audience, scope: stored.scope }
          : { audience, scope: this.#config.authorizationParams.scope },
      );
    } catch (error) {
      if (error instanceof LoginRequiredError) return undefined;
      throw error;
    }
    if (this.#live !== live) return this.#live?.verified ? this.#live : undefined;
    // The server sent no ID token to re-derive from: nothing better to show.
    live.verified = true;
    return live;
  }

  /**
   * Stores a completed login, whose grant `key` signed (from {@link newSessionKey}). Called only
   * after the ID token verified, so a failed login writes nothing. Replaces any previous session,
   * and its key: the stored key is overwritten with this one.
   */
  async establish(
    grant: TokenKey,
    tokens: TokenResponse,
    key: SessionKey | undefined,
    options: { endings?: number | undefined } = {},
  ): Promise<void> {
    await this.load();
    // A logout since the flow began (see `endings`) voids it: nothing of it is kept.
    if (options.endings !== undefined && options.endings !== this.#endings) {
      throw new LoginRequiredError({
        message: 'The session changed (logged out) while logging in.',
      });
    }
    const dpopBound = checkBinding(tokens, key?.handle, { expectBound: false });
    this.#generation++;
    const generation = this.#generation;
    this.#key = key?.handle;
    this.#accessTokens.clear();
    this.#stepUps.clear();
    const claims = tokens.claims as IdTokenClaims | undefined;
    if (!claims) throw new LoginRequiredError({ message: 'The login returned no ID token.' });
    const live: LiveSession = { claims, verified: true, refreshTokens: new Map() };
    if (tokens.refreshToken) {
      live.refreshTokens.set(audienceKey(grant.audience), {
        token: tokens.refreshToken,
        scope: grant.scope,
        audience: grant.audience,
        dpopBound,
      });
    }
    this.#live = live;
    // Key first, then the session naming it: a write interrupted between the two leaves a
    // session whose `jkt` does not match, which `load` discards.
    if (key && this.#config.persistence === 'indexeddb') await this.#vault.putKeyPair(key.keys);
    await this.#persist();
    // A logout that landed while the session was being written has wiped it: no access token
    // cached after it, no "logged in" told after its "logged out".
    if (generation !== this.#generation || this.#live !== live) {
      throw new LoginRequiredError({
        message: 'The session changed (logged out) while logging in.',
      });
    }
    this.#cache({ audience: grant.audience, scope: grant.scope }, tokens);
    this.#broadcast({ authenticated: true, user: toUser(claims), reason: 'login' });
  }

  /**
   * An access token for `key`: from memory while it is fresh, otherwise from one refresh shared by
   * every caller (every tab). `failed` names a token the resource server just rejected: it is not
   * handed out again, but a newer one that another caller already fetched is.
   */
  async getAccessToken(
    key: TokenKey,
    options: { failed?: string | undefined; force?: boolean } = {},
  ): Promise<AccessToken> {
    await this.load();
    const id = cacheKey(key);
    const cached = this.#accessTokens.get(id);
    if (cached && !options.force && this.#fresh(cached) && cached.accessToken !== options.failed)
      return cached;
    return this.#flights.run(id, () => this.#refresh(key));
  }

  /** Cached token only (`cacheMode: 'cache-only'`). */
  async cachedAccessToken(key: TokenKey): Promise<AccessToken | undefined> {
    await this.load();
    const cached = this.#accessTokens.get(cacheKey(key));
    return cached && this.#fresh(cached) ? cached : undefined;
  }

  async #refresh(key: TokenKey): Promise<AccessToken> {
    const live = this.#live;
    if (!live) throw new LoginRequiredError();
    const exact = live.refreshTokens.get(audienceKey(key.audience));
    const slot = exact
      ? audienceKey(key.audience)
      : ([...live.refreshTokens.keys()][0] as string | undefined);
    // The slot of a login without an audience is '' (falsy, but a slot).
    if (slot === undefined) {
      throw new MissingRefreshTokenError({ audience: key.audience, scope: key.scope });
    }
    // Single-flight is per (audience, scope), but the refresh token is per audience: two scopes
    // refreshed at once would both present it, and with rotation the second presentation is a
    // reuse that makes the server revoke the whole family (found by the e2e attacker suite, item
    // 12). Refreshes of one slot therefore run one after another, each with the newest token.
    return this.#queued(slot, () => this.#refreshSlot(key, live, slot));
  }

  /** Runs `operation` after every earlier one queued for `slot` has settled. */
  #queued<T>(slot: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#slotQueues.get(slot) ?? Promise.resolve();
    const result = previous.then(operation);
    const settled = result.then(
      () => {},
      () => {},
    );
    this.#slotQueues.set(slot, settled);
    void settled.then(() => {
      if (this.#slotQueues.get(slot) === settled) this.#slotQueues.delete(slot);
    });
    return result;
  }

  async #refreshSlot(key: TokenKey, live: LiveSession, slot: string): Promise<AccessToken> {
    if (this.#live !== live)
      throw new LoginRequiredError({ message: 'The session changed while refreshing.' });
    const stored = live.refreshTokens.get(slot);
    if (!stored) throw new MissingRefreshTokenError({ audience: key.audience, scope: key.scope });
    const generation = this.#generation;
    let tokens: TokenResponse;
    for (let attempt = 0; ; attempt++) {
      try {
        tokens = await refreshTokenGrant(this.context(), {
          refreshToken: stored.token,
          // Only what differs from the grant is sent: some servers refuse a repeated scope.
          audience: key.audience !== stored.audience ? key.audience : undefined,
          scope: sameScopes(key.scope, stored.scope) ? undefined : key.scope,
          resource: this.#config.resourceFor(key.audience),
        });
        break;
      } catch (error) {
        if (error instanceof MfaRequiredError) throw this.#stepUp(error, key, generation);
        if (error instanceof OAuthError && error.error === 'invalid_grant') {
          if (generation === this.#generation) await this.#end('expired');
          throw new LoginRequiredError({
            message: 'The session has ended: the refresh token was refused.',
            cause: error,
          });
        }
        // A 5xx or 429 with an OAuth body (`temporarily_unavailable`, `too_many_requests`) is
        // the same transient failure as a bare one.
        const status = error instanceof HttpError || error instanceof OAuthError ? error.status : 0;
        const retryable = status >= 500 || status === 429;
        const delay = REFRESH_RETRIES[attempt];
        if (!retryable || delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
        // A logout, a new login or a revocation of this token during the backoff: the retry
        // would present a token that is no longer the session's.
        if (!this.#still(live, generation, slot, stored)) {
          throw new LoginRequiredError({ message: 'The session changed while refreshing.' });
        }
      }
    }
    if (!this.#still(live, generation, slot, stored)) {
      throw new LoginRequiredError({ message: 'The session changed while refreshing.' });
    }
    // The server's word on the key (key-binding.ts): a session continued from storage is used only
    // while the authorization server vouches that its refresh token is bound to the key we hold.
    // Refused like any other bad answer (THREATS 15): typed, and nothing of it is kept.
    const dpopBound = checkBinding(tokens, this.#key, { expectBound: stored.dpopBound });
    // OIDC Core §12.2: a refreshed ID token is about the same user. verifyIdToken checks it
    // against the server, not against the session; without this, a refresh answer for another
    // `sub` replaced the signed-in user (found by the e2e attacker suite, item 15). Nothing of
    // the answer is kept. Claims read back from storage are not compared: they are what this
    // refresh re-derives (page script may have written them).
    if (tokens.claims && live.verified && tokens.claims.sub !== live.claims.sub) {
      throw new IdTokenValidationError({
        message:
          'ID token rejected: the refreshed ID token is for another user ("sub") than the session.',
      });
    }
    if (tokens.refreshToken) {
      // Rotation: the new token replaces the old one before the access token is used, so the
      // old one is never presented again (that would trip the server's reuse detection).
      live.refreshTokens.set(slot, { ...stored, token: tokens.refreshToken, dpopBound });
    }
    if (tokens.claims) {
      live.claims = tokens.claims as IdTokenClaims;
      live.verified = true;
    }
    await this.#persist();
    // A logout that landed while the rotated token was being written has wiped everything: the
    // access token must not be cached (or used) after it.
    if (generation !== this.#generation || this.#live !== live) {
      throw new LoginRequiredError({ message: 'The session changed while refreshing.' });
    }
    return this.#cache(key, tokens);
  }

  /** True while `live` is still the session of `generation` and `slot` still holds `stored`. */
  #still(live: LiveSession, generation: number, slot: string, stored: StoredRefreshToken): boolean {
    return (
      generation === this.#generation &&
      this.#live === live &&
      live.refreshTokens.get(slot) === stored
    );
  }

  /**
   * The server wants a second factor for `key` (a step-up API). Auth0's mfa_token stays in the
   * worker (step-ups.ts); the page gets the same error with an opaque handle in its place, which
   * the MFA methods of the facade redeem. Nothing of the session changed: the refresh token was
   * not rotated.
   */
  #stepUp(error: MfaRequiredError, key: TokenKey, generation: number): Error {
    if (generation !== this.#generation) {
      return new LoginRequiredError({ message: 'The session changed while refreshing.' });
    }
    return this.#stepUps.open(error, key, generation);
  }

  /**
   * Calls `listener` whenever the session ends (logout, or a refresh token the server refused):
   * for what must not outlive it (passkey ceremonies).
   */
  onEnd(listener: () => void): void {
    this.#endListeners.push(listener);
  }

  /**
   * Adds the tokens of a grant made inside the session — the MFA grant of a step-up — for `key`:
   * the refresh token takes that audience's slot and the access token is cached. Refused when the
   * session changed since `generation` or the ID token names another user; nothing is kept then.
   */
  async join(key: TokenKey, tokens: TokenResponse, generation: number): Promise<AccessToken> {
    await this.load();
    const live = this.#live;
    if (!live || generation !== this.#generation) {
      throw new LoginRequiredError({ message: 'The session changed during the step-up.' });
    }
    if (tokens.claims && tokens.claims.sub !== live.claims.sub) {
      throw new IdTokenValidationError({
        message:
          'ID token rejected: the step-up ID token is for another user ("sub") than the session.',
      });
    }
    if (tokens.refreshToken) {
      live.refreshTokens.set(audienceKey(key.audience), {
        token: tokens.refreshToken,
        scope: key.scope,
        audience: key.audience,
        dpopBound: checkBinding(tokens, this.#key, { expectBound: false }),
      });
    }
    if (tokens.claims) {
      live.claims = tokens.claims as IdTokenClaims;
      live.verified = true;
    }
    await this.#persist();
    if (generation !== this.#generation || this.#live !== live) {
      throw new LoginRequiredError({ message: 'The session changed during the step-up.' });
    }
    return this.#cache(key, tokens);
  }

  #cache(key: TokenKey, tokens: TokenResponse): AccessToken {
    const token: AccessToken = {
      accessToken: tokens.accessToken,
      tokenType: tokens.tokenType,
      expiresAt: tokens.expiresAt,
      lifetime: Math.max(0, tokens.expiresAt - Math.floor(this.#now() / 1000)),
      scope: tokens.scope,
    };
    this.#accessTokens.set(cacheKey(key), token);
    return token;
  }

  /** Fresh = not within the refresh leeway of its expiry (at most half its lifetime). */
  #fresh(token: AccessToken): boolean {
    const leeway = Math.min(this.#config.leeway, token.lifetime / 2);
    return token.expiresAt - leeway > this.#now() / 1000;
  }

  /**
   * Writes what may be persisted: DPoP-bound refresh tokens, or all when the config opts in;
   * nothing in the memory custody mode.
   */
  #persist(): Promise<void> {
    // What is written is read when the write runs, in the queue: a write that waited behind a
    // logout's wipe writes the logged-out state, not the session it was asked for.
    return this.#write(async () => {
      const live = this.#live;
      const policy = this.#config.refreshTokenStorage;
      const persisted: Record<string, StoredRefreshToken> = {};
      const tokens = this.#config.persistence === 'memory' ? [] : (live?.refreshTokens ?? []);
      for (const [slot, token] of tokens) {
        if (policy === 'indexeddb' || (policy === 'auto' && token.dpopBound))
          persisted[slot] = token;
      }
      if (!live || Object.keys(persisted).length === 0) {
        await this.#vault.putSession(undefined);
        return;
      }
      await this.#vault.putSession({
        configKey: this.#configKey(),
        jkt: this.#key?.thumbprint,
        claims: live.claims,
        refreshTokens: persisted,
      });
    });
  }

  /**
   * Runs session writes one after another, in the order they were asked for. Without it a
   * rotated refresh token being written while a logout wiped the vault could land after the
   * wipe (found by the THREATS 23 tests): the session came back from storage after the logout.
   */
  #write(operation: () => Promise<void>): Promise<void> {
    const result = this.#writes.then(operation);
    this.#writes = result.catch(() => {});
    return result;
  }

  /**
   * Logout: revoke the refresh tokens (when the server offers revocation), wipe keys, tokens,
   * nonces and transactions, and tell every tab. Returns the server's logout URL.
   */
  async logout(options: {
    returnTo?: string | undefined;
    federated?: boolean | undefined;
  }): Promise<URL> {
    await this.load();
    const live = this.#live;
    const context = this.context();
    // `client_id` + `logout_hint` (the session's `sid`), never `id_token_hint`: the page navigates
    // to this URL, and a raw ID token in it would land in history, logs and Referer headers.
    const sid = live?.claims.sid;
    let logoutUrl: URL | undefined;
    try {
      logoutUrl = await buildLogoutUrl(context, {
        returnTo: options.returnTo ?? this.#config.returnTo,
        federated: options.federated,
        logoutHint: typeof sid === 'string' && sid !== '' ? sid : undefined,
      });
    } catch {
      logoutUrl = undefined;
    }
    const revocations = [...(live?.refreshTokens.values() ?? [])].map((stored) =>
      revokeToken(context, { token: stored.token, tokenTypeHint: 'refresh_token' }).catch(() => {}),
    );
    await this.#end('logout');
    await Promise.all(revocations);
    if (!logoutUrl) {
      logoutUrl = await buildLogoutUrl(this.#base, {
        returnTo: options.returnTo ?? this.#config.returnTo,
      });
    }
    return logoutUrl;
  }

  /**
   * Revokes the refresh token kept for `audience` (as auth0-spa-js's `revokeRefreshToken`) and
   * forgets it and the access tokens it produced; the session's other refresh tokens stay.
   * Revocation failures surface: the caller asked for the token to be dead at the server.
   */
  async revokeRefreshToken(audience: string | undefined): Promise<void> {
    await this.load();
    const live = this.#live;
    const slot = audienceKey(audience);
    const stored = live?.refreshTokens.get(slot);
    if (!live || !stored) throw new MissingRefreshTokenError({ audience, scope: undefined });
    const generation = this.#generation;
    // In the slot's queue: a refresh of this slot finishes (rotating the token) before, or starts
    // after — it never rotates a token into the slot after the revocation emptied it.
    await this.#queued(slot, async () => {
      const current = live.refreshTokens.get(slot);
      if (!current || generation !== this.#generation || this.#live !== live) return;
      await revokeToken(this.context(), { token: current.token, tokenTypeHint: 'refresh_token' });
      // A logout or another login since: it wiped (or replaced) everything; nothing to forget.
      if (generation !== this.#generation || this.#live !== live) return;
      live.refreshTokens.delete(slot);
      for (const id of [...this.#accessTokens.keys()]) {
        if (id.startsWith(`${slot}\u0000`)) this.#accessTokens.delete(id);
      }
      await this.#persist();
    });
  }

  /** Forgets everything, persistent and in memory, and tells every tab. */
  async #end(reason: 'logout' | 'expired'): Promise<void> {
    this.#generation++;
    this.#endings++;
    this.#live = undefined;
    this.#key = undefined;
    this.#accessTokens.clear();
    this.#stepUps.clear();
    for (const listener of this.#endListeners) listener();
    this.#nonces.clear();
    await this.#write(() => this.#vault.wipe());
    this.#broadcast({ authenticated: false, reason });
  }

  #configKey(): string {
    return `${this.#config.base.href}|${this.#config.clientId}`;
  }
}

function audienceKey(audience: string | undefined): string {
  return audience ?? '';
}

function sameScopes(a: string, b: string): boolean {
  return scopeKey(a) === scopeKey(b);
}

function cacheKey(key: TokenKey): string {
  return `${audienceKey(key.audience)}\u0000${scopeKey(key.scope)}`;
}
