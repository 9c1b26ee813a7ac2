import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';
import type { ClientAuthenticator } from './client-auth.js';
import { discover, type ServerMetadata } from './discovery.js';
import type { DpopKeyPair } from './dpop-key.js';
import { type DpopNonceStore, MemoryDpopNonceStore } from './dpop-nonces.js';
import type { IdTokenValidationError } from './errors.js';
import { errorFromResponse, type HttpConfig, isOk, send } from './http.js';
import { idTokenAlgorithms } from './id-token.js';
import type { TokenEndpointResponse, TokenResponse } from './token-types.js';

/**
 * Everything a protocol function needs to talk to one authorization server as one client.
 * `AuthClient` builds one for servers; the service worker builds its own. The protocol functions
 * (grants, URLs, userinfo, revocation) take it as their first argument, so a bundle contains only
 * the functions it calls.
 */
export interface ClientContext {
  /** The client ID this context requests tokens as. */
  readonly clientId: string;
  /** The configured domain as a base URL (always ends with `/`). */
  readonly base: URL;
  /** How requests are sent: the fetch, time limit and response size cap. */
  readonly http: HttpConfig;
  /** Clock tolerance for token checks, in seconds. */
  readonly leeway: number;
  /**
   * Returns the client-authentication fields of a token-endpoint request (`client_id`, secret or
   * assertion).
   */
  readonly authenticate: ClientAuthenticator;
  /** Whether the client authenticates (secret, key or mTLS): public clients cannot use every grant. */
  readonly confidential?: boolean | undefined;
  /** When set, every token request carries a proof from this key and `/authorize` gets `dpop_jkt`. */
  readonly dpop: DpopKeyPair | undefined;
  /** Where the DPoP nonces of the servers this client talks to are kept. */
  readonly nonces: DpopNonceStore;
  /** The class of an ID token's organization mismatch; `IdTokenValidationError` when unset. */
  readonly organizationError?: typeof IdTokenValidationError | undefined;
  /** The class grants return their tokens as (AuthClient: `TokenResponse`); plain objects when unset. */
  readonly tokenResponse?:
    | ((raw: TokenEndpointResponse, now: () => number) => TokenResponse)
    | undefined;
  /** The server's metadata, discovered once and cached; a failed discovery is retried next time. */
  metadata(): Promise<ServerMetadata>;
  /** The server's signing keys (jose remote JWKS: cached, refetched on an unknown `kid`). */
  jwks(): Promise<JWTVerifyGetKey>;
  /** The ID-token algorithm allow-list for this server. */
  algorithms(): Promise<string[]>;
}

/** Options of {@link createClientContext}. */
export interface ClientContextOptions {
  /** The client ID to request tokens as. */
  clientId: string;
  /** The authorization server's base URL (ends with `/`). */
  base: URL;
  /** How requests are sent: the fetch, time limit and response size cap. */
  http: HttpConfig;
  /**
   * Returns the client-authentication fields of a token-endpoint request (see `publicClient`,
   * `clientSecretPost`).
   */
  authenticate: ClientAuthenticator;
  /** Clock tolerance for token checks, in seconds; default 60. */
  leeway?: number | undefined;
  /** A DPoP key pair: token requests then carry proofs and tokens come back bound to it. */
  dpop?: DpopKeyPair | undefined;
  /** Where DPoP nonces are kept; a new in-memory store by default. */
  nonces?: DpopNonceStore | undefined;
  /** Known metadata, to skip discovery (tests, or a server whose document is pinned). */
  metadata?: ServerMetadata;
}

/** Default clock tolerance: 60 s, as auth0-spa-js. */
export const DEFAULT_LEEWAY_SECONDS = 60;

/** Builds a {@link ClientContext} with lazily discovered, cached metadata and JWKS. */
export function createClientContext(options: ClientContextOptions): ClientContext {
  let metadata: Promise<ServerMetadata> | undefined = options.metadata
    ? Promise.resolve(options.metadata)
    : undefined;
  let jwks: Promise<JWTVerifyGetKey> | undefined;
  const context: ClientContext = {
    clientId: options.clientId,
    base: options.base,
    http: options.http,
    leeway: options.leeway ?? DEFAULT_LEEWAY_SECONDS,
    authenticate: options.authenticate,
    dpop: options.dpop,
    nonces: options.nonces ?? new MemoryDpopNonceStore(),
    metadata() {
      metadata ??= discover(options.http, options.base).catch((error: unknown) => {
        metadata = undefined;
        throw error;
      });
      return metadata;
    },
    jwks() {
      jwks ??= context
        .metadata()
        .then((server) =>
          createRemoteJWKSet(new URL(server.jwks_uri), {
            // A second later than send()'s own limit, so the typed TimeoutError is what surfaces.
            timeoutDuration: options.http.timeoutMs + 1000,
            cacheMaxAge: 10 * 60 * 1000,
            [customFetch]: (url, init) => fetchJwks(options.http, url, init),
          }),
        )
        .catch((error: unknown) => {
          // As for metadata: a failed discovery must not poison the key set for good.
          jwks = undefined;
          throw error;
        });
      return jwks;
    },
    async algorithms() {
      return idTokenAlgorithms((await context.metadata()).id_token_signing_alg_values_supported);
    },
  };
  return context;
}

/**
 * jose's JWKS fetch, sent through {@link send}: the key set is a server response like any other,
 * so it gets the same size limit (jose's own fetch reads any length), time limit and no-redirect
 * rule. A key set that cannot be fetched is an outage, not a forgery: its typed error (HttpError,
 * ResponseError, TimeoutError, NetworkError) surfaces as itself, never as a token validation error.
 */
async function fetchJwks(http: HttpConfig, url: string, init: RequestInit): Promise<Response> {
  const response = await send(http, url, {
    method: 'GET',
    headers: Object.fromEntries(new Headers(init.headers)),
    signal: init.signal ?? null,
    what: 'JWKS',
  });
  if (!isOk(response)) throw errorFromResponse(response, 'JWKS');
  return new Response(response.text === '' ? null : response.text, {
    status: response.status,
    headers: response.headers,
  });
}
