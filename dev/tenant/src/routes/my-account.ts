import type { Context, Hono } from 'hono';
import { isRecord } from '../config-validation.js';
import type { ConnectedAccount } from '../connections.js';
import { endpoint, type TenantEnv, type TenantRuntime } from '../context.js';
import { summarizeDpopProof } from '../dpop-proof-summary.js';
import { verifyOwnAccessToken } from '../own-access-token.js';
import {
  INVALID_TOKEN_PROBLEM,
  ProblemError,
  type ProblemValidationError,
  problemRoute,
  problemType,
  validationProblem,
} from '../problem-details.js';
import { randomToken } from '../random-token.js';
import {
  authenticateResourceRequest,
  ResourceAccessError,
  requireScope,
} from '../resource-access.js';
import { CONNECT_PATH } from './connect-page.js';

/** Where the My Account API lives, below the issuer (its audience is `<issuer>me/`). */
export const MY_ACCOUNT_PATH = '/me/';
/** How long a connect ticket (and its whole flow) stays usable, in seconds. */
const CONNECT_TICKET_LIFETIME_SECONDS = 300;
// RFC 7636 §4.1 verifier; a challenge is base64url(SHA-256), 43 characters, but Auth0 accepts 43-128.
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/;

/** Who is calling: the user and the client of a valid My Account API token. */
export interface Caller {
  userId: string;
  clientId: string;
}

/**
 * Authenticates a My Account API request (Bearer or DPoP, like `/userinfo`): a token of this
 * tenant for `<issuer>me/`, not revoked, of a known user, carrying `scope`. Refusals are problem
 * details with the resource server's `WWW-Authenticate` challenge.
 */
export async function authenticate(
  c: Context<TenantEnv>,
  runtime: TenantRuntime,
  scope: string,
): Promise<Caller> {
  Object.assign(c.var.log, await summarizeDpopProof(c.req.header('dpop')));
  const audience = endpoint(runtime, MY_ACCOUNT_PATH);
  try {
    const access = await authenticateResourceRequest(
      {
        method: c.req.method,
        // The path as sent (`totp%7Cdev_…`), not decoded: the DPoP proof's htu is the sent URL.
        url: endpoint(runtime, new URL(c.req.url).pathname),
        headers: c.req.raw.headers,
      },
      {
        dpop: 'allowed',
        dpopVerifier: runtime.dpop,
        realm: audience,
        verifyAccessToken: async (token) =>
          (await verifyOwnAccessToken(runtime, token, { audience })).claims,
      },
    );
    requireScope(access, scope);
    const userId = String(access.claims.sub);
    const clientId = String(access.claims.azp);
    if (!runtime.directory.user(userId) || !runtime.directory.client(clientId)) {
      throw new ProblemError({
        status: 401,
        type: INVALID_TOKEN_PROBLEM,
        title: 'Invalid Token',
        detail: 'The token does not stand for a user of a known client',
      });
    }
    return { userId, clientId };
  } catch (error) {
    if (!(error instanceof ResourceAccessError)) throw error;
    throw new ProblemError(
      error.status === 403
        ? {
            status: 403,
            type: problemType('insufficient-scope'),
            title: 'Forbidden',
            detail: error.message,
            headers: error.headers,
          }
        : {
            status: 401,
            type: INVALID_TOKEN_PROBLEM,
            title: 'Invalid Token',
            detail: error.message,
            headers: error.headers,
          },
    );
  }
}

export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    body = undefined;
  }
  if (!isRecord(body)) {
    throw validationProblem([{ detail: 'The body must be a JSON object', source: 'body' }]);
  }
  return body;
}

/** Collects field errors of one body, so that a 400 lists all of them at once. */
export class BodyCheck {
  readonly errors: ProblemValidationError[] = [];
  constructor(readonly body: Record<string, unknown>) {}

  fail(field: string, detail: string): void {
    this.errors.push({ detail, field, pointer: `/${field}`, source: 'body' });
  }

  /** The field's value, or `''` with an error recorded ({@link done} then throws). */
  string(field: string, options: { min?: number; max: number; pattern?: RegExp }): string {
    const value = this.body[field];
    const min = options.min ?? 1;
    if (value === undefined) this.fail(field, `${field} is required`);
    else if (typeof value !== 'string') this.fail(field, `${field} must be a string`);
    else if (value.length < min || value.length > options.max) {
      this.fail(field, `${field} must be ${min} to ${options.max} characters`);
    } else if (options.pattern && !options.pattern.test(value)) {
      this.fail(field, `${field} is malformed`);
    } else return value;
    return '';
  }

  done(): void {
    if (this.errors.length > 0) throw validationProblem(this.errors);
  }
}

function accountJson(account: ConnectedAccount) {
  return {
    id: account.id,
    connection: account.connection,
    access_type: 'offline' as const,
    scopes: account.scopes,
    created_at: new Date(account.createdAt * 1000).toISOString(),
  };
}

function badRequest(slug: string, detail: string): ProblemError {
  return new ProblemError({ status: 400, type: problemType(slug), title: 'Bad Request', detail });
}

/**
 * The My Account API's connected-accounts endpoints (the `connectAccountWithRedirect` flow):
 * `POST /me/v1/connected-accounts/connect` starts a flow and answers the consent page's URL
 * and ticket; `POST …/complete` redeems the `connect_code` the page redirected back with (PKCE
 * bound) and creates the connected account Token Vault then serves. Also `GET …/accounts` and
 * `DELETE …/accounts/:id`. Errors are RFC 9457 problem details.
 */
export function registerMyAccountRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  const route = problemRoute<TenantEnv>;
  const { connections } = runtime;

  app.post(
    '/me/v1/connected-accounts/connect',
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'create:me:connected_accounts');
      const check = new BodyCheck(await jsonBody(c));
      const connectionName = check.string('connection', { max: 128 });
      const connection = connections.connection(connectionName);
      if (connectionName !== '' && !connection) {
        check.fail('connection', `Unknown connection: ${connectionName}`);
      }
      const redirectUri = check.string('redirect_uri', { max: 2048 });
      const client = runtime.directory.client(caller.clientId);
      if (redirectUri !== '' && !client?.redirectUris.includes(redirectUri)) {
        check.fail('redirect_uri', 'redirect_uri is not an allowed callback URL of the client');
      }
      const state = check.string('state', { max: 4096 });
      const codeChallenge = check.string('code_challenge', {
        min: 43,
        max: 128,
        pattern: CODE_CHALLENGE,
      });
      if (check.body.code_challenge_method !== 'S256') {
        check.fail('code_challenge_method', 'code_challenge_method must be S256');
      }
      const scopes = check.body.scopes;
      const validScopes =
        scopes === undefined ||
        (Array.isArray(scopes) &&
          scopes.length >= 1 &&
          scopes.length <= 100 &&
          scopes.every((s) => typeof s === 'string' && /^\S{1,255}$/.test(s)));
      if (!validScopes) check.fail('scopes', 'scopes must be 1 to 100 scopes without spaces');
      // Accepted, as the provider would get them; the simulated provider has no use for them.
      if (
        check.body.authorization_params !== undefined &&
        !isRecord(check.body.authorization_params)
      ) {
        check.fail('authorization_params', 'authorization_params must be an object');
      }
      check.done();
      if (!connection) throw new Error('unreachable: the connection was checked');

      const session = connections.startSession(
        {
          userId: caller.userId,
          clientId: caller.clientId,
          connection: connection.name,
          redirectUri,
          state,
          codeChallenge,
          scopes: scopes === undefined ? connection.scopes : [...new Set(scopes as string[])],
        },
        CONNECT_TICKET_LIFETIME_SECONDS,
      );
      return c.json(
        {
          connect_uri: endpoint(runtime, CONNECT_PATH),
          auth_session: session.authSession,
          connect_params: { ticket: session.ticket },
          expires_in: CONNECT_TICKET_LIFETIME_SECONDS,
        },
        201,
        { 'Cache-Control': 'no-store' },
      );
    }),
  );

  app.post(
    '/me/v1/connected-accounts/complete',
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'create:me:connected_accounts');
      const check = new BodyCheck(await jsonBody(c));
      const authSession = check.string('auth_session', { max: 64 });
      const connectCode = check.string('connect_code', { max: 46 });
      const redirectUri = check.string('redirect_uri', { max: 2048 });
      const verifier = check.string('code_verifier', { min: 43, max: 128, pattern: CODE_VERIFIER });
      check.done();

      const session = connections.session(authSession);
      if (!session || session.userId !== caller.userId || session.clientId !== caller.clientId) {
        throw badRequest('invalid-auth-session', 'auth_session is unknown or not yours');
      }
      const now = runtime.clock.now();
      if (session.stage === 'spent') {
        throw badRequest('invalid-connect-code', 'The connect_code has already been used');
      }
      if (session.stage === 'denied') {
        throw badRequest('invalid-connect-code', 'The user denied the connection');
      }
      if (session.stage === 'pending' || session.connectCode === undefined) {
        throw badRequest('invalid-connect-code', 'The connection was not consented to yet');
      }
      // Spent by the first attempt, even a failing one: a stolen code gets one guess at the verifier.
      session.stage = 'spent';
      if (connectCode !== session.connectCode) {
        throw badRequest('invalid-connect-code', 'The connect_code does not match auth_session');
      }
      if ((session.connectCodeExpiresAt ?? 0) <= now || session.expiresAt <= now) {
        throw badRequest('invalid-connect-code', 'The connect_code has expired');
      }
      if (redirectUri !== session.redirectUri) {
        throw badRequest('invalid-redirect-uri', 'redirect_uri does not match the connect request');
      }
      if ((await s256(verifier)) !== session.codeChallenge) {
        throw badRequest(
          'invalid-code-verifier',
          'code_verifier does not match the code_challenge',
        );
      }
      const account = connections.setAccount({
        connection: session.connection,
        user_id: session.userId,
        access_token: `${session.connection}.${randomToken(24)}`,
        scope: session.scopes.join(' '),
        expires_in: 3600,
      });
      return c.json(accountJson(account), 201, { 'Cache-Control': 'no-store' });
    }),
  );

  app.get(
    '/me/v1/connected-accounts/accounts',
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'read:me:connected_accounts');
      const connection = c.req.query('connection');
      const accounts = connections.accounts({
        userId: caller.userId,
        ...(connection === undefined ? {} : { connection }),
      });
      return c.json({ accounts: accounts.map((account) => accountJson(account)) }, 200, {
        'Cache-Control': 'no-store',
      });
    }),
  );

  app.delete(
    '/me/v1/connected-accounts/accounts/:id',
    route(async (c) => {
      const caller = await authenticate(c, runtime, 'delete:me:connected_accounts');
      const cleared = connections.clearAccounts({
        userId: caller.userId,
        id: c.req.param('id') ?? '',
      });
      if (cleared === 0) {
        throw new ProblemError({
          status: 404,
          type: problemType('not-found'),
          title: 'Not Found',
          detail: 'No such connected account',
        });
      }
      return c.body(null, 204);
    }),
  );
}

async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return Buffer.from(digest).toString('base64url');
}
