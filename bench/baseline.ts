// The baseline that isolates the SDKs' own cost: the same `GET /api/me` sent by plain `fetch`
// from a page with no SDK and no service worker, with credentials made ahead of time in Node —
// an access token obtained out of band from the tenant (same client, audience and scopes as our
// SDK, DPoP-bound to a key held here) and, per request, a fresh DPoP proof signed with jose for
// that request, carrying the API's current nonce (fetched first). The API verifies token and
// proof exactly as for the SDKs' requests, so its own cost is in both figures.
import {
  codeFlow,
  type DpopKey,
  dpopKey,
  dpopProof,
  nowSeconds,
} from 'auth0-enclave-tenant/testing';
import { API_URL, APP_URL, AUDIENCE, CLIENT_IDS, SCOPE, TENANT_URL } from './config.js';
import type { PremadeCredentials } from './page-driver.js';

/** Where pre-made credentials are sent: the endpoint the SDKs call. */
export const BASELINE_URL = `${API_URL}/api/me`;

/** Whom the out-of-band login is for and where the requests go (default: the bench's own). */
export interface BaselineOptions {
  /** The tenant's issuer, trailing slash. */
  issuer: string;
  clientId: string;
  /** A redirect URI registered for `clientId` (never followed: the code is read from it). */
  redirectUri: string;
  audience: string;
  scope: string;
  /** The API endpoint the proofs are signed for (`htu`). */
  url: string;
}

const BENCH_BASELINE: BaselineOptions = {
  issuer: `${TENANT_URL}/`,
  clientId: CLIENT_IDS.enclave,
  redirectUri: `${APP_URL}/callback`,
  audience: AUDIENCE,
  scope: SCOPE,
  url: BASELINE_URL,
};

/** Signs pre-made requests for one API endpoint. */
export interface BaselineSigner {
  /** The access token's client, audience and lifetime, for the report (never the token). */
  describe: string;
  /**
   * `count` request headers, each with its own fresh proof (new `jti`, `iat` now, `ath` of the
   * token, the API's current nonce). Signed just before use: the API accepts an `iat` within 60 s.
   */
  sign(count: number): Promise<PremadeCredentials[]>;
}

/** Asks the API for its current DPoP nonce, as a client does: one request answered 401 with it. */
async function apiNonce(url: string, key: DpopKey, token: string): Promise<string> {
  const response = await fetch(url, {
    headers: {
      Authorization: `DPoP ${token}`,
      DPoP: await dpopProof(key, { htm: 'GET', htu: url, accessToken: token }),
    },
  });
  await response.arrayBuffer();
  const nonce = response.headers.get('dpop-nonce');
  if (response.status !== 401 || !nonce) {
    throw new Error(
      `the API did not ask for a DPoP nonce (HTTP ${response.status}); the baseline needs its nonce`,
    );
  }
  return nonce;
}

/**
 * Logs alice in from Node (the tenant's login form over HTTP, PKCE, DPoP at the token endpoint)
 * for our client, with no `offline_access`, so no refresh-token family is added to the client
 * whose families the concurrency section counts.
 */
export async function createBaselineSigner(
  options: BaselineOptions = BENCH_BASELINE,
): Promise<BaselineSigner> {
  const { clientId, audience, scope, url } = options;
  const key = await dpopKey('ES256');
  const { tokens } = await codeFlow(options.issuer, {
    key,
    overrides: {
      client_id: clientId,
      redirect_uri: options.redirectUri,
      audience,
      scope,
    },
  });
  const token: unknown = tokens.body?.access_token;
  if (tokens.status !== 200 || typeof token !== 'string' || tokens.body?.token_type !== 'DPoP') {
    throw new Error(
      `the out-of-band login for the baseline failed: HTTP ${tokens.status} ${String(tokens.body?.error ?? '')}`,
    );
  }
  const expiresIn = Number(tokens.body?.expires_in);
  return {
    describe: `client ${clientId}, audience ${audience}, scope "${scope}", DPoP-bound (ES256), issued at ${new Date(nowSeconds() * 1000).toISOString()} for ${expiresIn} s`,
    async sign(count) {
      const nonce = await apiNonce(url, key, token);
      const authorization = `DPoP ${token}`;
      const credentials: PremadeCredentials[] = [];
      for (let i = 0; i < count; i++) {
        const dpop = await dpopProof(key, {
          htm: 'GET',
          htu: url,
          accessToken: token,
          nonce,
        });
        credentials.push({ authorization, dpop });
      }
      return credentials;
    },
  };
}
