// A harness that serves panva's oidc-provider (a certified OpenID Provider) on localhost, set up
// the way an SPA using auth0-enclave needs a standards-only server to be: public clients with
// PKCE S256, rotating refresh tokens for offline_access, DPoP with required nonces, JWT access
// tokens for one API through resource indicators, revocation, RP-initiated logout, CORS for the
// app origins, and a scriptable login page. Used by the vitest interop suite and by the
// Playwright global setup (e2e/support/global-setup.ts).
//
// Every option below was taken from oidc-provider 9's own defaults and sources
// (node_modules/oidc-provider/lib/helpers/defaults.js, lib/actions/*): where a default would
// print a "you SHOULD change it" notice, it is set here, so the server stays quiet.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { GrantInstance, Provider } from 'oidc-provider';

/** A client registered at the provider: a public SPA, or a server app with a secret. */
export interface OidcClient {
  clientId: string;
  redirectUris: string[];
  /**
   * Where RP-initiated logout may return to. Default: each redirect URI's origin as a normalised
   * URL (`origin + '/'`), exactly one spelling: oidc-provider matches exactly, and so must the SDK.
   */
  postLogoutRedirectUris?: string[];
  /** A confidential server app (`client_secret_post`). Default: a public client. */
  clientSecret?: string;
  /** Default `['authorization_code', 'refresh_token']`. */
  grantTypes?: string[];
  /** Origins allowed to call the token, userinfo and revocation endpoints. Default: the redirect URIs' origins. */
  allowedOrigins?: string[];
}

/** A user of the in-memory account store. */
export interface OidcAccount {
  sub: string;
  email: string;
  password: string;
  claims: Record<string, unknown>;
}

/** The user every test logs in as. */
export const OIDC_ALICE: OidcAccount = {
  sub: 'alice',
  email: 'alice@example.com',
  password: 'wonderland',
  claims: {
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    nickname: 'alice',
  },
};

/** The scopes of the API the access tokens are for. */
export const API_SCOPES = 'read:notes write:notes';

export interface OidcProviderOptions {
  /** Default 0 (a free port). Avoid Fetch's "bad ports" (4190 and others): browsers refuse them. */
  port?: number;
  clients: OidcClient[];
  /** The resource indicator (RFC 8707) of the sample API: the `aud` of its JWT access tokens. */
  apiIdentifier: string;
  /** Default {@link API_SCOPES}. */
  apiScopes?: string;
  /** Default: [{@link OIDC_ALICE}]. */
  accounts?: OidcAccount[];
  /**
   * oidc-provider's issuers are usually a bare origin (`http://localhost:4402`), the default
   * here; with this option the issuer takes Auth0's form (`http://localhost:4402/`). The SDK
   * must accept both.
   */
  issuerTrailingSlash?: boolean;
  /** Access-token lifetime in seconds. Default 3600. */
  accessTokenTtlSeconds?: number;
  /**
   * CIBA (poll mode; a feature flag). The login hint is auth-js's `{ format: 'iss_sub', sub }`;
   * each request is handed to this callback, which stands in for the user's device.
   */
  onBackchannelRequest?: (request: {
    id: string;
    accountId: string;
    bindingMessage?: string;
  }) => void;
}

export interface RunningOidcProvider {
  /** The issuer identifier, exactly as in discovery and tokens. */
  issuer: string;
  /** The origin (no trailing slash). */
  url: string;
  port: number;
  /** Errors oidc-provider reported as `server_error` (kept for assertions, never printed). */
  serverErrors: unknown[];
  /** Approves (or denies) a CIBA request, as the user's device would. */
  decideBackchannel(requestId: string, approve: boolean): Promise<void>;
  close(): Promise<void>;
}

// The few members of oidc-provider's Koa context the configuration functions read.
interface OidcCtx {
  oidc: {
    params: Record<string, unknown>;
    client?: { clientId: string };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: Provider;
  };
}
interface OidcClientModel {
  clientId: string;
  applicationType: string;
  clientAuthMethod: string;
  grantTypeAllowed(type: string): boolean;
}
interface RefreshTokenLike {
  clientId: string;
}

type OidcProviderModule = typeof import('oidc-provider');

let providerModule: Promise<OidcProviderModule> | undefined;

/**
 * oidc-provider 9 prints "Unsupported runtime" once, on import, under Node 20 (it wants Node 22
 * LTS; everything the harness uses works on 20.19+). That one line is dropped, nothing else.
 */
function loadProvider(): Promise<OidcProviderModule> {
  providerModule ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (String(args[0]).includes('oidc-provider WARNING: Unsupported runtime')) return;
      warn.apply(console, args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = warn;
    }
  })();
  return providerModule;
}

/**
 * A per-provider in-memory adapter (oidc-provider's own one is a module-wide store and announces
 * itself on stderr). Models are kept by id; grant members are indexed so that revoking a grant
 * removes every token issued under it, and `consume` marks rotated refresh tokens for reuse
 * detection.
 */
function memoryAdapter() {
  const store = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const uids = new Map<string, string>();
  const userCodes = new Map<string, string>();
  const read = (key: string) => {
    const entry = store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return (model: string) => {
    const key = (id: string) => `${model}:${id}`;
    return {
      async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
        const expiresAt =
          typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        store.set(key(id), { payload, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string') uids.set(payload.uid, id);
        if (typeof payload.userCode === 'string') userCodes.set(payload.userCode, id);
        if (typeof payload.grantId === 'string') {
          const members = grants.get(payload.grantId) ?? new Set<string>();
          members.add(key(id));
          grants.set(payload.grantId, members);
        }
      },
      async find(id: string) {
        return read(key(id));
      },
      async findByUid(uid: string) {
        const id = uids.get(uid);
        return id === undefined ? undefined : read(key(id));
      },
      async findByUserCode(userCode: string) {
        const id = userCodes.get(userCode);
        return id === undefined ? undefined : read(key(id));
      },
      async consume(id: string) {
        const payload = read(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id: string) {
        store.delete(key(id));
      },
      async revokeByGrantId(grantId: string) {
        for (const member of grants.get(grantId) ?? []) store.delete(member);
        grants.delete(grantId);
      },
    };
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function loginPage(uid: string, error?: string, email = ''): string {
  return page(
    'Sign in',
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}" autocomplete="off">
<label for="email">Email</label>
<input id="email" name="email" type="email" required value="${escapeHtml(email)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(html);
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 16 * 1024) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/**
 * The login step oidc-provider delegates to the host application ("interactions"). Consent is
 * never asked for: `loadExistingGrant` grants every client what it may have (first-party apps),
 * so a prompt other than `login` means the configuration is wrong and is answered with a 500.
 */
async function handleInteraction(
  provider: Provider,
  accounts: OidcAccount[],
  request: IncomingMessage,
  response: ServerResponse,
  uid: string,
): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  if (details.uid !== uid) return send(response, 400, page('Error', '<p>Stale login.</p>'));
  if (details.prompt.name !== 'login') {
    return send(
      response,
      500,
      page('Error', `<p>Unexpected prompt "${escapeHtml(details.prompt.name)}".</p>`),
    );
  }
  if (request.method === 'GET') return send(response, 200, loginPage(uid));
  const form = await readForm(request);
  const email = form.get('email') ?? '';
  const account = accounts.find(
    (candidate) => candidate.email === email && candidate.password === form.get('password'),
  );
  if (!account) return send(response, 401, loginPage(uid, 'Wrong email or password.', email));
  await provider.interactionFinished(
    request,
    response,
    { login: { accountId: account.sub } },
    { mergeWithLastSubmission: false },
  );
}

/** Starts oidc-provider on localhost (see the file comment for what it is configured to do). */
export async function startOidcProvider(
  options: OidcProviderOptions,
): Promise<RunningOidcProvider> {
  const { Provider, errors } = await loadProvider();
  const apiScopes = options.apiScopes ?? API_SCOPES;
  const apiScopeSet = new Set(apiScopes.split(' '));
  const accounts = options.accounts ?? [OIDC_ALICE];
  const serverErrors: unknown[] = [];

  let handler: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
  const server = createServer((request, response) => {
    if (!handler) {
      response.statusCode = 503;
      response.end();
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, 'localhost', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  const issuer = options.issuerTrailingSlash ? `${url}/` : url;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: randomUUID(),
    alg: 'RS256',
    use: 'sig',
  };

  const origins = new Map<string, Set<string>>();
  const clients = options.clients.map((client) => {
    const appOrigins = [...new Set(client.redirectUris.map((uri) => new URL(uri).origin))];
    origins.set(client.clientId, new Set(client.allowedOrigins ?? appOrigins));
    return {
      client_id: client.clientId,
      application_type: 'web',
      token_endpoint_auth_method: client.clientSecret ? 'client_secret_post' : 'none',
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      grant_types: client.grantTypes ?? ['authorization_code', 'refresh_token'],
      ...(client.grantTypes?.includes('urn:openid:params:grant-type:ciba')
        ? { backchannel_token_delivery_mode: 'poll' }
        : {}),
      response_types: ['code'],
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris:
        client.postLogoutRedirectUris ?? appOrigins.map((origin) => new URL(origin).href),
    };
  });

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    adapter: memoryAdapter(),
    async findAccount(_ctx: OidcCtx, sub: string) {
      const account = accounts.find((candidate) => candidate.sub === sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
    },
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'nickname'],
    },
    // OIDC Core lets a provider put scope-requested claims only at userinfo when an access token
    // is issued (oidc-provider's default). The SDK, like auth0-spa-js, builds the user profile from
    // the ID token, and an API-bound access token cannot call userinfo, so the ID token carries them.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    // OIDC Core §11, which oidc-provider follows, ignores offline_access unless the request says
    // prompt=consent, so a plain login (no prompt, as the SDK and auth0-spa-js send it) would get
    // no refresh token. This is oidc-provider's documented override for public browser clients:
    // they get one whenever they may use the refresh_token grant. It is rotated on every use; a
    // rotated-out token is "consumed", and presenting it again revokes the whole grant. Without
    // offline_access these tokens are session-bound (expiresWithSession's default): they end
    // with the provider's session, at the latest on RP-initiated logout.
    issueRefreshToken: async (
      _ctx: OidcCtx,
      client: OidcClientModel,
      code: { scopes: Set<string> },
    ) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') ||
        (client.applicationType === 'web' && client.clientAuthMethod === 'none') ||
        // First-party server apps (auth-js asks offline_access by default) likewise.
        client.clientAuthMethod === 'client_secret_post'),
    rotateRefreshToken: true,
    // First-party apps: no consent screen. The login's grant gets every scope the client may ask
    // for, so the code flow needs a login only.
    async loadExistingGrant(ctx: OidcCtx) {
      const { oidc } = ctx;
      const accountId = oidc.session?.accountId;
      const clientId = oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const existing: GrantInstance | undefined = grantId
        ? await oidc.provider.Grant.find(grantId)
        : undefined;
      // A revoked grant (logout, refresh-token revocation) is gone: start a new one.
      const grant = existing ?? new oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope('openid profile email offline_access');
      grant.addResourceScope(options.apiIdentifier, apiScopes);
      await grant.save();
      return grant;
    },
    clientBasedCORS: (_ctx: OidcCtx, origin: string, client: { clientId: string }) =>
      origins.get(client.clientId)?.has(origin) ?? false,
    features: {
      devInteractions: { enabled: false },
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: () => true,
      },
      resourceIndicators: {
        enabled: true,
        // The API is the default resource of a request that asks for one of its scopes. A login
        // for OIDC scopes only gets an opaque token for userinfo: oidc-provider (RFC 8707 read
        // strictly) refuses tokens with an audience there, unlike Auth0, whose API tokens name
        // /userinfo as a second audience.
        defaultResource: async (ctx: OidcCtx, _client: unknown, oneOf?: string[]) => {
          if (oneOf) return oneOf;
          const scope = typeof ctx.oidc.params.scope === 'string' ? ctx.oidc.params.scope : '';
          return scope.split(' ').some((part) => apiScopeSet.has(part))
            ? options.apiIdentifier
            : undefined;
        },
        // useGrantedResource is left at oidc-provider's default (false): a token request gets an
        // API token only when it names the resource (RFC 8707), as the SDK must then do.
        getResourceServerInfo: async (_ctx: OidcCtx, resourceIndicator: string) => {
          if (resourceIndicator !== options.apiIdentifier) throw new errors.InvalidTarget();
          return {
            scope: apiScopes,
            audience: options.apiIdentifier,
            accessTokenFormat: 'jwt',
            accessTokenTTL: options.accessTokenTtlSeconds ?? 3600,
          };
        },
      },
      clientCredentials: { enabled: true },
      ciba: {
        enabled: options.onBackchannelRequest !== undefined,
        deliveryModes: ['poll'],
        processLoginHint: async (_ctx: OidcCtx, loginHint: string) => {
          const hint = JSON.parse(loginHint) as { format?: string; sub?: string };
          return hint.format === 'iss_sub' ? hint.sub : undefined;
        },
        verifyUserCode: async () => undefined,
        validateBindingMessage: async () => undefined,
        validateRequestContext: async () => undefined,
        triggerAuthenticationDevice: async (
          _ctx: OidcCtx,
          request: { jti: string; accountId: string; params: { binding_message?: string } },
        ) => {
          options.onBackchannelRequest?.({
            id: request.jti,
            accountId: request.accountId,
            ...(request.params.binding_message
              ? { bindingMessage: request.params.binding_message }
              : {}),
          });
        },
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (
          _ctx: OidcCtx,
          client: { clientId: string },
          token: RefreshTokenLike,
        ) => token.clientId === client.clientId,
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: { body: string; host: string }, form: string) {
          ctx.body = page(
            `Sign out of ${ctx.host}?`,
            `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
        async postLogoutSuccessSource(ctx: { body: string }) {
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
    },
    async renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = page(
        'Error',
        Object.entries(out)
          .map(
            ([key, value]) =>
              `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</p>`,
          )
          .join(''),
      );
    },
    interactions: {
      url: async (_ctx: OidcCtx, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? options.accessTokenTtlSeconds ?? 3600,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
      PreAuthorizedCode: 600,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
  });
  // Koa would print every unexpected error; they are kept for the tests instead.
  (provider as unknown as { silent: boolean }).silent = true;
  provider.on('server_error', (_ctx, error) => serverErrors.push(error));

  const callback = provider.callback();
  handler = (request, response) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(new URL(request.url ?? '/', url).pathname);
    if (match?.[1] && (request.method === 'GET' || request.method === 'POST')) {
      handleInteraction(provider, accounts, request, response, match[1]).catch((error: unknown) => {
        serverErrors.push(error);
        if (!response.headersSent) send(response, 400, page('Error', '<p>Login failed.</p>'));
        else response.end();
      });
      return;
    }
    callback(request, response);
  };

  return {
    issuer,
    url,
    port,
    serverErrors,
    async decideBackchannel(requestId, approve) {
      const request = await provider.BackchannelAuthenticationRequest.find(requestId);
      if (!request) throw new Error('no such backchannel request');
      if (!approve) {
        await provider.backchannelResult(request, new errors.AccessDenied('denied by the user'));
        return;
      }
      const grant = new provider.Grant({
        clientId: request.clientId,
        accountId: request.accountId,
      });
      grant.addOIDCScope(String(request.scope ?? 'openid'));
      await grant.save();
      await provider.backchannelResult(request, grant);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
