// A hostile (or broken) authorization server on a real port: getTokenByCode and
// getTokenByRefreshToken must reject with a typed error, and hand the caller nothing, whatever it
// answers. AuthClient keeps no token store; "stores nothing" here means the promise rejects, so
// no TokenResponse (and no half of one) ever reaches the caller.
import type { ServerResponse } from 'node:http';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  HttpError,
  IdTokenValidationError,
  InvalidConfigurationError,
  ResponseError,
  TimeoutError,
  type TokenResponse,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';
import {
  type HostileHandler,
  type HostileServer,
  sendJson,
  startHostileServer,
} from '../helpers/hostile-server.js';
import { CLIENT_ID, idTokenClaims, nowSeconds, signJwt } from '../helpers/jwt-factory.js';

const REDIRECT_URI = 'https://app.example/callback';
const MIB = 1024 * 1024;

let hostile: HostileServer;
let other: HostileServer;

beforeAll(async () => {
  [hostile, other] = await Promise.all([startHostileServer(), startHostileServer()]);
});
afterAll(() => Promise.all([hostile.close(), other.close()]));
beforeEach(() => {
  hostile.reset();
  other.reset();
});

function client(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: hostile.issuer,
    clientId: CLIENT_ID,
    authorizationParams: { redirect_uri: REDIRECT_URI },
    timeoutMs: 2_000,
    ...options,
  });
}

/** The nonce of the login in progress (the code flow's ID token must echo it). */
let loginNonce: string | undefined;

type Flow = (auth: AuthClient) => Promise<TokenResponse>;
const byCode: Flow = async (auth) => {
  const { codeVerifier, state, nonce } = await auth.buildAuthorizationUrl();
  loginNonce = nonce;
  return auth.getTokenByCode(`${REDIRECT_URI}?code=code-1&state=${state}`, {
    codeVerifier,
    state,
    nonce,
  });
};
const byRefresh: Flow = async (auth) => {
  loginNonce = undefined;
  return auth.getTokenByRefreshToken({ refreshToken: 'rt-1' });
};
const FLOWS: [string, Flow][] = [
  ['getTokenByCode', byCode],
  ['getTokenByRefreshToken', byRefresh],
];

/** Valid ID-token claims for the current flow, with `overrides`. */
function claims(overrides: Record<string, unknown> = {}) {
  return idTokenClaims({ iss: hostile.issuer, nonce: loginNonce, ...overrides });
}

/** The token endpoint answers 200 with tokens around the ID token `make()` returns. */
function answerWithIdToken(make: () => Promise<string>): void {
  hostile.route('/oauth/token', async ({ response }) =>
    sendJson(response, 200, {
      access_token: 'at-1',
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: 'rt-2',
      id_token: await make(),
    }),
  );
}

/** Resolves when `response` can take more data, or is gone. */
function drainedOrClosed(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}

const unsigned = (payload: object) =>
  `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(payload))}.`;

describe.each(FLOWS)('%s against a hostile server', (_, flow) => {
  it('(control) accepts a well-formed, well-signed answer', async () => {
    answerWithIdToken(() => signJwt(hostile.signer, claims()));
    const tokens = await flow(client());
    expect(tokens).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-2' });
    expect(tokens.claims?.sub).toBe('auth0|user-1');
  });

  const idTokens: [string, () => Promise<string>, { codeOnly?: boolean }?][] = [
    [
      // The other server's key, passed off under this server's kid.
      'a bad signature (another key under the same kid)',
      () => signJwt({ ...other.signer, kid: hostile.signer.kid }, claims()),
    ],
    ['alg none', async () => unsigned(claims())],
    [
      'HS256 signed with the RSA public key',
      () =>
        new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: hostile.signer.kid })
          .sign(new TextEncoder().encode(hostile.signer.publicPem)),
    ],
    ['a wrong iss', () => signJwt(hostile.signer, claims({ iss: other.issuer }))],
    ['a wrong aud', () => signJwt(hostile.signer, claims({ aud: 'another-client' }))],
    [
      'a wrong azp',
      () =>
        signJwt(
          hostile.signer,
          claims({ aud: [CLIENT_ID, 'another-client'], azp: 'another-client' }),
        ),
    ],
    [
      'an expiry long past (beyond the leeway)',
      () => signJwt(hostile.signer, claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })),
    ],
    [
      'a wrong nonce',
      () => signJwt(hostile.signer, claims({ nonce: 'another-nonce' })),
      { codeOnly: true },
    ],
    ['no nonce', () => signJwt(hostile.signer, claims({ nonce: undefined })), { codeOnly: true }],
  ];
  const applicable = idTokens.filter(([, , only]) => !only?.codeOnly || flow === byCode);

  it.each(applicable)('rejects an ID token with %s: IdTokenValidationError', async (__, make) => {
    answerWithIdToken(make);
    await expectError(flow(client()), IdTokenValidationError, {
      code: 'invalid_id_token',
      error: 'invalid_id_token',
    });
    expect(hostile.requestsTo('/oauth/token')).toHaveLength(1);
  });

  const bodies: [string, HostileHandler][] = [
    [
      'a body that is not JSON',
      ({ response }) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('access_token=at-1&token_type=Bearer');
      },
    ],
    ['a JSON array', ({ response }) => sendJson(response, 200, [{ access_token: 'at-1' }])],
    [
      'a token response without access_token',
      ({ response }) => sendJson(response, 200, { token_type: 'Bearer', expires_in: 60 }),
    ],
    [
      'token_type DPoP although no proof was sent',
      ({ response }) =>
        sendJson(response, 200, { access_token: 'at-1', token_type: 'DPoP', expires_in: 60 }),
    ],
    [
      'a truncated body (Content-Length larger than what arrives, then the socket dies)',
      ({ response }) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        response.write('{"access_token":"at-1","token_type":"Bearer",');
        setTimeout(() => response.destroy(), 30);
      },
    ],
    [
      'an oversized body announced by Content-Length',
      ({ response }) => {
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(2 * MIB),
        });
        response.write('{"access_token":"');
        setTimeout(() => response.destroy(), 30);
      },
    ],
    [
      'an oversized body streamed without Content-Length',
      async ({ response }) => {
        response.on('error', () => {});
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        response.write('{"access_token":"');
        for (let sent = 0; sent < 1.5 * MIB && !response.destroyed; sent += chunk.length) {
          if (!response.write(chunk)) await drainedOrClosed(response);
        }
        if (!response.destroyed) response.end('"}');
      },
    ],
  ];

  it.each(bodies)('rejects %s: ResponseError', async (__, handler) => {
    hostile.route('/oauth/token', handler);
    await expectError(flow(client()), ResponseError, {
      code: 'invalid_response',
      error: 'invalid_response',
    });
  });

  it('rejects a 500 HTML page: HttpError with the status', async () => {
    hostile.route('/oauth/token', ({ response }) => {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<html><body><h1>Internal Server Error</h1></body></html>');
    });
    await expectError(flow(client()), HttpError, { code: 'http_error', status: 500 });
  });

  it.each([302, 307, 308])(
    'does not follow a %i redirect: HttpError, the target never hears of it',
    async (status) => {
      hostile.route('/oauth/token', ({ response }) => {
        response.writeHead(status, { location: `${other.issuer}oauth/token` });
        response.end();
      });
      await expectError(flow(client()), HttpError, { code: 'http_error', status });
      expect(other.requests).toEqual([]);
    },
  );

  it('gives up on a response that never comes: TimeoutError after timeoutMs', async () => {
    hostile.route('/oauth/token', () => {});
    const started = Date.now();
    await expectError(flow(client({ timeoutMs: 300 })), TimeoutError, {
      code: 'timeout',
      error: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(hostile.requestsTo('/oauth/token')).toHaveLength(1);
  });

  it('refuses a discovery document whose issuer names another server: nothing is sent', async () => {
    hostile.discovery = { issuer: other.issuer, token_endpoint: `${other.issuer}oauth/token` };
    await expectError(flow(client()), InvalidConfigurationError, {
      code: 'invalid_configuration',
    });
    expect(hostile.requestsTo('/oauth/token')).toEqual([]);
    expect(other.requests).toEqual([]);
  });

  it('refuses a discovery document with a plain-http token endpoint off loopback', async () => {
    hostile.discovery = { token_endpoint: 'http://attacker.example/oauth/token' };
    await expectError(flow(client()), InvalidConfigurationError, {
      code: 'invalid_configuration',
    });
  });
});

describe('the JWKS of a hostile server', () => {
  it('is bounded in size like every other response: a 1.5 MiB key set is refused', async () => {
    answerWithIdToken(() => signJwt(hostile.signer, claims()));
    hostile.route('/.well-known/jwks.json', ({ response }) =>
      sendJson(response, 200, { ...hostile.signer.jwks, padding: 'x'.repeat(1.5 * MIB) }),
    );
    // An outage of the key set surfaces as the transport error it is, not as a forged token.
    await expectError(byCode(client()), ResponseError, { code: 'invalid_response' });
  });

  it('that answers 500 is an HttpError, not an invalid token', async () => {
    answerWithIdToken(() => signJwt(hostile.signer, claims()));
    hostile.route('/.well-known/jwks.json', ({ response }) => sendJson(response, 500, {}));
    await expectError(byCode(client()), HttpError, { code: 'http_error', status: 500 });
  });

  it('is not followed through a redirect', async () => {
    answerWithIdToken(() => signJwt(hostile.signer, claims()));
    hostile.route('/.well-known/jwks.json', ({ response }) => {
      response.writeHead(302, { location: `${other.issuer}.well-known/jwks.json` });
      response.end();
    });
    await expectError(byCode(client()), HttpError, { code: 'http_error', status: 302 });
    expect(other.requests).toEqual([]);
  });

  it('that never comes does not outlive timeoutMs', async () => {
    answerWithIdToken(() => signJwt(hostile.signer, claims()));
    hostile.route('/.well-known/jwks.json', () => {});
    const started = Date.now();
    await expectError(byCode(client({ timeoutMs: 300 })), TimeoutError, { code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
