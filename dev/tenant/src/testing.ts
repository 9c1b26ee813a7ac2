/**
 * `auth0-enclave-tenant/testing`: helpers for talking to the local tenant over real HTTP from
 * Node tests, the way a browser or an SDK would — start a tenant on a free port with a test SPA
 * client, build PKCE pairs and DPoP proofs, log in through the login form, call the admin
 * surface. Proofs and client assertions are built here with jose, not with any SDK code, so tests
 * that use these helpers stand on their own.
 *
 * @example
 * ```ts
 * import { afterAll, beforeEach, expect, it } from 'vitest';
 * import { codeFlow, useTenant } from 'auth0-enclave-tenant/testing';
 *
 * // Started for this file, reset before each test, closed after the last one.
 * const { issuer } = await useTenant({ afterAll, beforeEach });
 *
 * it('logs alice in', async () => {
 *   const { tokens } = await codeFlow(issuer); // as TEST_SPA, logged in as ALICE
 *   expect(tokens.status).toBe(200);
 * });
 * ```
 *
 * @packageDocumentation
 * @module auth0-enclave-tenant/testing
 */
import type { webcrypto } from 'node:crypto';
import {
  base64url,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  type JWK,
  SignJWT,
} from 'jose';
import {
  type ClientConfig,
  defaultTenantOptions,
  type StartedTenant,
  startTenant,
  type TenantOptions,
} from './index.js';

/** The sample app's origin, which {@link TEST_SPA} and the demo setup allow. */
export const APP_ORIGIN = 'http://localhost:3000';
/** {@link TEST_SPA}'s redirect URI. */
export const REDIRECT_URI = `${APP_ORIGIN}/callback`;
/** The demo setup's API audience. */
export const API = 'https://api.example.com/';
/** The demo setup's user: credentials and `sub`. */
export const ALICE = { email: 'alice@example.com', password: 'wonderland', sub: 'auth0|alice' };

/** A public SPA client like sample-spa, but with DPoP optional and no nonce: most tests want that. */
export const TEST_SPA: ClientConfig = {
  clientId: 'test-spa',
  tokenEndpointAuthMethod: 'none',
  redirectUris: [REDIRECT_URI],
  allowedOrigins: [APP_ORIGIN],
  allowedLogoutUrls: [APP_ORIGIN, `${APP_ORIGIN}/logged-out`],
  grantTypes: ['authorization_code', 'refresh_token'],
  dpop: 'allowed',
  dpopNonce: false,
  refreshTokenRotation: true,
  refreshTokenReuseIntervalSeconds: 0,
};

/**
 * A public SPA client of an app served at `origin`, registered as the SDK's apps are: the code
 * flow with refresh tokens back to `<origin>/callback`, logout back to `origin`, DPoP required
 * with the tenant's nonces. `overrides` win (a name, DPoP optional, more grant types …).
 *
 * @example
 * ```ts
 * import { adminPost, spaClientAt } from 'auth0-enclave-tenant/testing';
 *
 * declare const issuer: string;
 * await adminPost(issuer, 'clients', spaClientAt('http://localhost:4460', 'packed-app'));
 * ```
 */
export function spaClientAt(
  origin: string,
  clientId: string,
  overrides: Partial<ClientConfig> = {},
): ClientConfig {
  return {
    clientId,
    tokenEndpointAuthMethod: 'none',
    redirectUris: [`${origin}/callback`],
    allowedOrigins: [origin],
    allowedLogoutUrls: [origin],
    grantTypes: ['authorization_code', 'refresh_token'],
    dpop: 'required',
    dpopNonce: true,
    ...overrides,
  };
}

/** The default setup plus {@link TEST_SPA}, admin on, on a free port. */
export async function startTestTenant(options: TenantOptions = {}): Promise<StartedTenant> {
  const defaults = defaultTenantOptions();
  return startTenant({
    port: 0,
    admin: true,
    ...defaults,
    clients: [...defaults.clients, TEST_SPA],
    ...options,
  });
}

/**
 * The hooks of the test runner that {@link useTenant} registers. Vitest's (and Jest's or
 * Mocha's) `afterAll` and `beforeEach` fit; they are passed in so this module does not depend on
 * a test runner.
 */
export interface TenantHooks {
  /** Closes the tenant after the file's (or the `describe` block's) last test. */
  afterAll(fn: () => Promise<void>): void;
  /** If given: resets the tenant's state before each test (see {@link useTenant}). */
  beforeEach?(fn: () => void): void;
}

/**
 * The shared fixture of the tenant's tests and the SDK's: starts {@link startTestTenant} with
 * `options` (the default setup plus TEST_SPA, admin on, a free port), waits for its signing key,
 * closes it in `afterAll` and, when `beforeEach` is passed, resets it before each test with `tenant.admin.reset()`
 * (tokens, codes, sessions, MFA and passkey state, faults, the request log and the clock go;
 * configuration — clients, users, APIs — stays, also what a test upserted).
 *
 * Awaited at the top of a test file (or in a `describe` body), so `issuer` is a plain constant
 * for every test and helper below it. Whatever else a file needs before each test (upsert a
 * client, clear a receiver) stays in its own `beforeEach`, which runs after this reset.
 *
 * @example
 * ```ts
 * import { afterAll, beforeEach, it } from 'vitest';
 * import { useTenant } from 'auth0-enclave-tenant/testing';
 *
 * const server = await useTenant({ afterAll, beforeEach }, { organizations: [] });
 * const { issuer } = server;
 * ```
 */
export async function useTenant(
  hooks: TenantHooks,
  options: TenantOptions = {},
): Promise<StartedTenant> {
  const server = await startTestTenant(options);
  hooks.afterAll(() => server.close());
  // The RSA signing key is generated at start; the JWKS answers once it exists. Waiting here
  // keeps its cost (seconds on a loaded machine) out of the first test's time limit.
  await fetch(new URL('.well-known/jwks.json', server.issuer));
  hooks.beforeEach?.(() => server.tenant.admin.reset());
  return server;
}

/** Real time in epoch seconds, as a client signs with. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The base64url SHA-256 of a string (a PKCE challenge, a DPoP `ath`). */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return base64url.encode(new Uint8Array(digest));
}

/** A fresh PKCE pair (S256). */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await sha256(verifier) };
}

/** A client's DPoP key pair, made with {@link dpopKey}: extractable, for tests only. */
export interface DpopKey {
  alg: string;
  privateKey: webcrypto.CryptoKey;
  jwk: JWK;
  jkt: string;
}

/** Generates a DPoP key pair and its public JWK and thumbprint (`jkt`). */
export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { alg, privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
}

/** What {@link dpopProof} signs; anything left out gets a valid default. */
export interface ProofOptions {
  htm?: string;
  htu: string;
  nonce?: string;
  accessToken?: string;
  iat?: number;
  jti?: string;
  /** Replaces members of the protected header (e.g. a private `jwk`). */
  header?: Record<string, unknown>;
}

/** Signs a DPoP proof (RFC 9449) with `key`; set fields in `options` to make it invalid on purpose. */
export async function dpopProof(key: DpopKey, options: ProofOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    htm: options.htm ?? 'POST',
    htu: options.htu,
    jti: options.jti ?? crypto.randomUUID(),
    iat: options.iat ?? nowSeconds(),
  };
  if (options.nonce !== undefined) payload.nonce = options.nonce;
  if (options.accessToken !== undefined) payload.ath = await sha256(options.accessToken);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.jwk, ...options.header })
    .sign(key.privateKey);
}

/** A response read by {@link readJson}: status, headers and the parsed body. */
export interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response fields
  body: any;
}

/** Reads a response's body as JSON (`undefined` when empty). */
export async function readJson(response: Response): Promise<JsonResponse> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** POSTs a form (`application/x-www-form-urlencoded`) and reads the JSON answer. */
export async function postForm(
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
  return readJson(response);
}

/** Posts to the token endpoint with a DPoP proof, answering one `use_dpop_nonce` like an SDK. */
export async function tokenRequestWithDpop(
  issuer: string,
  params: Record<string, string>,
  key: DpopKey,
  nonce?: string,
): Promise<JsonResponse> {
  const htu = `${issuer}oauth/token`;
  const first = await postForm(htu, params, {
    DPoP: await dpopProof(key, { htu, ...(nonce ? { nonce } : {}) }),
  });
  const serverNonce = first.headers.get('dpop-nonce');
  if (first.body?.error !== 'use_dpop_nonce' || !serverNonce) return first;
  return postForm(htu, params, { DPoP: await dpopProof(key, { htu, nonce: serverNonce }) });
}

/** The tenant's `/authorize` URL with `params`. */
export function authorizeUrl(issuer: string, params: Record<string, string>): string {
  const url = new URL('authorize', issuer);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

/** The tenant's login-session cookie (`name=value`) set by a response, if any. */
export function sessionCookieOf(response: Response): string | undefined {
  return response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('enclave_tenant_session='))
    ?.split(';')[0];
}

/** The transaction id in the tenant's login page; throws when the page has no login form. */
export function transactionIdOf(html: string): string {
  const match = /name="tx" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no login form in: ${html.slice(0, 300)}`);
  return match[1];
}

/** GETs `/authorize` without following the redirect, with a session cookie if given. */
export async function getAuthorize(
  issuer: string,
  params: Record<string, string>,
  cookie?: string,
): Promise<Response> {
  return fetch(authorizeUrl(issuer, params), {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
}

/** Submits the login form of transaction `tx` (default: {@link ALICE}); the redirect is not followed. */
export async function submitLogin(
  issuer: string,
  tx: string,
  credentials: { email: string; password: string } = ALICE,
): Promise<Response> {
  return fetch(new URL('u/login', issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ tx, email: credentials.email, password: credentials.password }),
  });
}

/** Standard /authorize parameters for {@link TEST_SPA}, with PKCE. */
export async function authorizeParams(
  overrides: Record<string, string> = {},
): Promise<{ params: Record<string, string>; verifier: string }> {
  const { verifier, challenge } = await pkce();
  return {
    verifier,
    params: {
      client_id: 'test-spa',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile email offline_access',
      state: `state-${crypto.randomUUID()}`,
      nonce: `nonce-${crypto.randomUUID()}`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...overrides,
    },
  };
}

/** Runs /authorize and the login form; returns the final response and the session cookie. */
export async function loginThroughForm(
  issuer: string,
  params: Record<string, string>,
  credentials = ALICE,
): Promise<{ response: Response; cookie: string | undefined }> {
  const page = await getAuthorize(issuer, params);
  if (page.status !== 200) throw new Error(`/authorize answered ${page.status}`);
  const response = await submitLogin(issuer, transactionIdOf(await page.text()), credentials);
  return { response, cookie: sessionCookieOf(response) };
}

/** The code of a query-mode redirect (asserting the state came back). */
export function codeOf(response: Response, state: string | undefined): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  const url = new URL(location);
  if (url.searchParams.get('state') !== (state ?? null)) throw new Error('state mismatch');
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

/** What {@link codeFlow} returns: the token response, the PKCE verifier, the code and the session cookie. */
export interface CodeFlowResult {
  tokens: JsonResponse;
  verifier: string;
  code: string;
  cookie: string | undefined;
}

/** Logs alice in with {@link TEST_SPA} (or overrides) and redeems the code. */
export async function codeFlow(
  issuer: string,
  options: { overrides?: Record<string, string>; key?: DpopKey } = {},
): Promise<CodeFlowResult> {
  const { params, verifier } = await authorizeParams(options.overrides);
  const { response, cookie } = await loginThroughForm(issuer, params);
  const code = codeOf(response, params.state);
  const tokenParams = {
    grant_type: 'authorization_code',
    client_id: params.client_id ?? 'test-spa',
    code,
    redirect_uri: params.redirect_uri ?? REDIRECT_URI,
    code_verifier: verifier,
  };
  const tokens = options.key
    ? await tokenRequestWithDpop(issuer, tokenParams, options.key)
    : await postForm(`${issuer}oauth/token`, tokenParams);
  return { tokens, verifier, code, cookie };
}

/** A JWT's payload, decoded without verifying it (for assertions on tokens a test received). */
export function decodePayload(jwt: string): Record<string, unknown> {
  const [, payload] = jwt.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
}

/** POSTs JSON to the admin surface (`/__admin/<path>`; the tenant must run with `admin: true`). */
export async function adminPost(
  issuer: string,
  path: string,
  body: unknown = {},
): Promise<JsonResponse> {
  const response = await fetch(new URL(`__admin/${path}`, issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return readJson(response);
}

/** GETs `/__admin/<path>`. */
export async function adminGet(issuer: string, path: string): Promise<JsonResponse> {
  return readJson(await fetch(new URL(`__admin/${path}`, issuer)));
}

/** DELETEs `/__admin/<path>`. */
export async function adminDelete(issuer: string, path: string): Promise<JsonResponse> {
  return readJson(await fetch(new URL(`__admin/${path}`, issuer), { method: 'DELETE' }));
}

export {
  type AuthenticationCredential,
  type CeremonyOverrides,
  type RegistrationCredential,
  SoftAuthenticator,
} from './webauthn-authenticator.js';
