// The interop scenarios, written once and run against every server in servers.ts. Each one uses
// only the public AuthClient API (src/core) plus what any RP can observe on the wire: the
// callback URL, the requests it sent and the answers it got, and the tokens' JWT payloads.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { expect } from 'vitest';
import {
  AuthClient,
  type AuthorizationParams,
  type DpopKeyPair,
  generateDpopKeyPair,
  type TokenResponse,
} from '../../src/core/index.js';
import type { Browser } from './browser.js';
import { APP_ORIGIN, type InteropServer, newBrowser } from './servers.js';

/** One request the SDK sent, and what came back. */
export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  status: number;
  responseHeaders: Headers;
  body: string;
}

export interface ScenarioContext {
  server: InteropServer;
  /** The user's browser: its cookies are the server session. */
  browser: Browser;
  /** An AuthClient for the server's SPA client whose every request is recorded in `exchanges`. */
  createClient(options?: { dpop?: DpopKeyPair }): { client: AuthClient; exchanges: Exchange[] };
}

export interface Scenario {
  name: string;
  run(context: ScenarioContext): Promise<void>;
}

export function scenarioContext(server: InteropServer): ScenarioContext {
  return {
    server,
    browser: newBrowser(),
    createClient(options = {}) {
      const exchanges: Exchange[] = [];
      const client = new AuthClient({
        domain: server.domain,
        clientId: server.clientId,
        authorizationParams: { redirect_uri: server.redirectUri },
        ...(options.dpop ? { dpop: options.dpop } : {}),
        customFetch: async (input, init) => {
          const response = await fetch(input, init);
          exchanges.push({
            method: init?.method ?? 'GET',
            url: String(input instanceof Request ? input.url : input),
            requestHeaders: new Headers(init?.headers),
            status: response.status,
            responseHeaders: response.headers,
            body: await response.clone().text(),
          });
          return response;
        },
      });
      return { client, exchanges };
    },
  };
}

/** Logs in through the server's UI with the SDK's authorize URL and redeems the code. */
async function login(
  context: ScenarioContext,
  client: AuthClient,
  authorizationParams: AuthorizationParams = context.server.apiAuthorizationParams,
): Promise<{ tokens: TokenResponse; callbackUrl: string; request: AuthorizationRequest }> {
  const request = await client.buildAuthorizationUrl({ authorizationParams });
  const callbackUrl = await context.server.login(context.browser, request.authorizationUrl);
  const tokens = await client.getTokenByCode(callbackUrl, {
    codeVerifier: request.codeVerifier,
    state: request.state,
    nonce: request.nonce,
    // RFC 8707: the API's resource again at the token endpoint, for servers that do not reuse
    // the granted one (oidc-provider's default).
    ...(authorizationParams === context.server.apiAuthorizationParams
      ? context.server.apiTokenParams
      : {}),
  });
  return { tokens, callbackUrl, request };
}

type AuthorizationRequest = Awaited<ReturnType<AuthClient['buildAuthorizationUrl']>>;

/** Verifies an access token as the API would: signature (server JWKS), issuer, audience, expiry. */
async function verifyApiToken(context: ScenarioContext, client: AuthClient, token: string) {
  const { jwks_uri } = await client.getServerMetadata();
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwks_uri)), {
    issuer: context.server.issuer,
    audience: context.server.apiIdentifier,
    algorithms: ['RS256'],
  });
  return payload;
}

function tokenRequests(exchanges: Exchange[], tokenEndpoint: string): Exchange[] {
  return exchanges.filter(
    (exchange) => exchange.method === 'POST' && exchange.url === tokenEndpoint,
  );
}

function errorOf(exchange: Exchange | undefined): unknown {
  try {
    return (JSON.parse(exchange?.body ?? '') as { error?: unknown }).error;
  } catch {
    return undefined;
  }
}

export const scenarios: Scenario[] = [
  {
    name: '(a) code flow with PKCE through the login page, ID token verified',
    async run(context) {
      const { server } = context;
      const { client } = context.createClient();
      const metadata = await client.getServerMetadata();
      expect(metadata.issuer).toBe(server.issuer);
      const { tokens, callbackUrl, request } = await login(context, client);
      const { authorizationUrl, state } = request;

      expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizationUrl.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      const callback = new URL(callbackUrl);
      expect(callback.origin + callback.pathname).toBe(server.redirectUri);
      expect(callback.searchParams.get('state')).toBe(state);
      // RFC 9207: a server that promises `iss` in the response must send its exact issuer.
      if (metadata.authorization_response_iss_parameter_supported) {
        expect(callback.searchParams.get('iss')).toBe(server.issuer);
      }

      expect(tokens.tokenType).toBe('Bearer');
      expect(tokens.refreshToken).toEqual(expect.any(String));
      expect(tokens.expiresAt).toBeGreaterThan(Date.now() / 1000);
      expect(tokens.claims).toMatchObject({
        iss: server.issuer,
        sub: server.user.sub,
        email: server.user.email,
        name: server.user.name,
      });
      expect([tokens.claims?.aud].flat()).toContain(server.clientId);
      const access = await verifyApiToken(context, client, tokens.accessToken);
      expect(access.sub).toBe(server.user.sub);
      expect(String(access.scope).split(' ')).toEqual(
        expect.arrayContaining(['read:notes', 'write:notes']),
      );
      expect(access.cnf).toBeUndefined();

      // A code is single-use: the same callback redeemed again is refused by the server.
      await expect(
        client.getTokenByCode(callbackUrl, {
          codeVerifier: request.codeVerifier,
          state: request.state,
          nonce: request.nonce,
        }),
      ).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });
    },
  },
  {
    name: '(a) code flow: a wrong PKCE verifier is refused',
    async run(context) {
      const { client } = context.createClient();
      const request = await client.buildAuthorizationUrl({
        authorizationParams: context.server.apiAuthorizationParams,
      });
      const callbackUrl = await context.server.login(context.browser, request.authorizationUrl);
      const other = await client.buildAuthorizationUrl();
      await expect(
        client.getTokenByCode(callbackUrl, {
          codeVerifier: other.codeVerifier,
          state: request.state,
          nonce: request.nonce,
        }),
      ).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });
    },
  },
  {
    name: '(b) refresh with rotation: a new refresh token, the old one refused',
    async run(context) {
      const { client } = context.createClient();
      const { tokens } = await login(context, client);
      const first = tokens.refreshToken as string;

      const refreshed = await client.getTokenByRefreshToken({
        refreshToken: first,
        ...context.server.apiTokenParams,
      });
      expect(refreshed.tokenType).toBe('Bearer');
      expect(refreshed.refreshToken).toEqual(expect.any(String));
      expect(refreshed.refreshToken).not.toBe(first);
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      expect((await verifyApiToken(context, client, refreshed.accessToken)).sub).toBe(
        context.server.user.sub,
      );
      if (refreshed.claims) expect(refreshed.claims.sub).toBe(context.server.user.sub);

      // The rotated-out token is refused, and its reuse ends the whole family (reuse detection).
      await expect(
        client.getTokenByRefreshToken({
          refreshToken: first,
          ...context.server.apiTokenParams,
        }),
      ).rejects.toMatchObject({
        code: 'oauth_error',
        error: 'invalid_grant',
      });
      await expect(
        client.getTokenByRefreshToken({
          refreshToken: refreshed.refreshToken as string,
          ...context.server.apiTokenParams,
        }),
      ).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });
    },
  },
  {
    name: '(c) DPoP with required nonces: bound tokens, cnf.jkt, the use_dpop_nonce retry',
    async run(context) {
      const dpop = await generateDpopKeyPair();
      const { client, exchanges } = context.createClient({ dpop });
      const { token_endpoint } = await client.getServerMetadata();
      const { tokens, request } = await login(context, client);
      expect(request.authorizationUrl.searchParams.get('dpop_jkt')).toBe(dpop.thumbprint);

      // The first proof had no nonce: the server asked for one, the SDK retried once, with it.
      const [refused, accepted, ...rest] = tokenRequests(exchanges, token_endpoint);
      expect(rest).toEqual([]);
      expect(refused?.status).toBe(400);
      expect(errorOf(refused)).toBe('use_dpop_nonce');
      const nonce = refused?.responseHeaders.get('dpop-nonce');
      expect(nonce).toEqual(expect.any(String));
      expect(decodeJwt(refused?.requestHeaders.get('dpop') ?? '').nonce).toBeUndefined();
      expect(accepted?.status).toBe(200);
      const retryProof = decodeJwt(accepted?.requestHeaders.get('dpop') ?? '');
      expect(retryProof.nonce).toBe(nonce);
      expect(retryProof.jti).not.toBe(decodeJwt(refused?.requestHeaders.get('dpop') ?? '').jti);

      expect(tokens.tokenType).toBe('DPoP');
      const access = await verifyApiToken(context, client, tokens.accessToken);
      expect(access.cnf).toEqual({ jkt: dpop.thumbprint });

      // Refresh with the same key: rotated, still bound to it.
      const refreshed = await client.getTokenByRefreshToken({
        refreshToken: tokens.refreshToken as string,
        ...context.server.apiTokenParams,
      });
      expect(refreshed.tokenType).toBe('DPoP');
      expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
      expect((await verifyApiToken(context, client, refreshed.accessToken)).cnf).toEqual({
        jkt: dpop.thumbprint,
      });

      // The refresh token is bound to the key: another key cannot redeem it.
      const thief = context.createClient({ dpop: await generateDpopKeyPair() }).client;
      await expect(
        thief.getTokenByRefreshToken({
          refreshToken: refreshed.refreshToken as string,
          ...context.server.apiTokenParams,
        }),
      ).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });
    },
  },
  {
    name: '(d) userinfo with a DPoP-bound access token',
    async run(context) {
      const { server } = context;
      const dpop = await generateDpopKeyPair();
      const { client, exchanges } = context.createClient({ dpop });
      const { userinfo_endpoint } = await client.getServerMetadata();
      // A login for OIDC scopes only: its access token is for userinfo on every server (an API
      // token is not, at oidc-provider: see the harness's defaultResource).
      const { tokens } = await login(context, client, { scope: 'openid profile email' });
      expect(tokens.tokenType).toBe('DPoP');

      const claims = await client.getUserInfo({
        accessToken: tokens.accessToken,
        tokenType: tokens.tokenType,
        expectedSubject: server.user.sub,
      });
      expect(claims).toMatchObject({ sub: server.user.sub, email: server.user.email });
      const calls = exchanges.filter((exchange) => exchange.url === userinfo_endpoint);
      const last = calls.at(-1);
      expect(last?.status).toBe(200);
      expect(last?.requestHeaders.get('authorization')).toBe(`DPoP ${tokens.accessToken}`);
      const proof = decodeJwt(last?.requestHeaders.get('dpop') ?? '');
      expect(proof).toMatchObject({ htm: 'GET', htu: userinfo_endpoint, ath: expect.any(String) });

      // A client that holds no nonce for the server yet (a restarted worker reads its nonces
      // back, but a new one has none) answers the server's use_dpop_nonce challenge once.
      const fresh = context.createClient({ dpop });
      await expect(
        fresh.client.getUserInfo({ accessToken: tokens.accessToken, tokenType: 'DPoP' }),
      ).resolves.toMatchObject({ sub: server.user.sub });
      const [first, second, ...more] = fresh.exchanges.filter(
        (exchange) => exchange.url === userinfo_endpoint,
      );
      expect(decodeJwt(first?.requestHeaders.get('dpop') ?? '').nonce).toBeUndefined();
      if (server.resourceNonces) {
        expect(first?.status).toBe(401);
        expect(first?.responseHeaders.get('www-authenticate')).toMatch(/use_dpop_nonce/);
        expect(second?.status).toBe(200);
        expect(decodeJwt(second?.requestHeaders.get('dpop') ?? '').nonce).toBe(
          first?.responseHeaders.get('dpop-nonce'),
        );
        expect(more).toEqual([]);
      } else {
        expect(first?.status).toBe(200);
        expect(second).toBeUndefined();
      }

      // Sender-constrained: the same token without its proof is refused.
      await expect(
        client.getUserInfo({ accessToken: tokens.accessToken, tokenType: 'Bearer' }),
      ).rejects.toMatchObject({ status: 401 });
    },
  },
  {
    name: '(e) revocation: a revoked refresh token no longer refreshes',
    async run(context) {
      const dpop = await generateDpopKeyPair();
      const { client, exchanges } = context.createClient({ dpop });
      const { revocation_endpoint } = await client.getServerMetadata();
      expect(revocation_endpoint).toEqual(expect.any(String));
      const { tokens } = await login(context, client);

      await client.revokeToken({
        token: tokens.refreshToken as string,
        tokenTypeHint: 'refresh_token',
      });
      expect(exchanges.find((exchange) => exchange.url === revocation_endpoint)?.status).toBe(200);
      await expect(
        client.getTokenByRefreshToken({
          refreshToken: tokens.refreshToken as string,
          ...context.server.apiTokenParams,
        }),
      ).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_grant' });
    },
  },
  {
    name: '(f) logout URL: RP-initiated logout ends the server session',
    async run(context) {
      const { server } = context;
      const { client } = context.createClient();
      const metadata = await client.getServerMetadata();
      expect(metadata.end_session_endpoint).toEqual(expect.any(String));
      const { tokens } = await login(context, client);

      // While the session lasts, a silent login (prompt=none) works.
      const silent = await client.buildAuthorizationUrl({
        authorizationParams: { prompt: 'none' },
      });
      const silentCallback = await server.login(context.browser, silent.authorizationUrl);
      await expect(
        client.getTokenByCode(silentCallback, {
          codeVerifier: silent.codeVerifier,
          state: silent.state,
          nonce: silent.nonce,
        }),
      ).resolves.toMatchObject({ claims: { sub: server.user.sub } });

      const logoutUrl = await client.buildLogoutUrl({
        // A normalised URL, the one spelling registered at the server (which matches exactly).
        returnTo: `${APP_ORIGIN}/`,
        idTokenHint: tokens.idToken,
        state: 'bye',
      });
      expect(`${logoutUrl.origin}${logoutUrl.pathname}`).toBe(metadata.end_session_endpoint);
      expect(logoutUrl.searchParams.get('client_id')).toBe(server.clientId);
      expect(logoutUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${APP_ORIGIN}/`);
      const back = new URL(await server.logout(context.browser, logoutUrl));
      expect(back.origin).toBe(APP_ORIGIN);
      expect(back.searchParams.get('state')).toBe('bye');

      // The session is gone: a silent login now fails with login_required.
      const after = await client.buildAuthorizationUrl({ authorizationParams: { prompt: 'none' } });
      const afterCallback = await context.browser.navigate(after.authorizationUrl);
      expect(afterCallback.kind).toBe('app');
      await expect(
        client.getTokenByCode(afterCallback.url, {
          codeVerifier: after.codeVerifier,
          state: after.state,
          nonce: after.nonce,
        }),
      ).rejects.toMatchObject({ name: 'AuthenticationError', error: 'login_required' });
    },
  },
];
