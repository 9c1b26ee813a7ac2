// Typical @auth0/auth0-auth-js 1.16 server code, written against auth0-enclave/core's AuthClient
// with the same call shapes. Never run: `npm run typecheck` (the root tsconfig includes test/)
// compiles it, so a method or option shape that drifts from auth-js fails the build. Where this
// SDK deliberately differs (state at getTokenByCode, expectedState at getTokenByMagicLinkCode),
// the corpus passes what ours requires and says so.

import {
  type ApiResponse,
  AuthClient,
  BackchannelAuthenticationError,
  isFederatedDomain,
  isMfaRequiredError,
  MissingClientAuthError,
  NotSupportedError,
  type RequestOptions,
  TokenByCodeError,
  type TokenResponse,
} from 'auth0-enclave/core';

declare const session: { codeVerifier: string; state: string; nonce: string };
declare const callbackUrl: URL;
declare const signal: AbortSignal;

export async function corpus(): Promise<void> {
  const authClient = new AuthClient({
    domain: 'example.auth0.com',
    clientId: 'abc',
    clientSecret: 'secret',
    authorizationParams: { redirect_uri: 'https://app.example/callback', audience: 'https://api' },
    telemetry: { name: 'my-server-sdk', version: '1.0.0' },
    discoveryCache: { ttl: 1800, maxEntries: 200 },
  });
  new AuthClient({ domain: 'd', clientId: 'c', telemetry: { enabled: false } });
  new AuthClient({ domain: 'd', clientId: 'c', useMtls: true, customFetch: fetch });

  const requestOptions: RequestOptions = { signal, headers: { 'x-request-id': '1' } };

  // Authorization code flow, with PAR.
  const { authorizationUrl, codeVerifier } = await authClient.buildAuthorizationUrl({
    pushedAuthorizationRequests: true,
    authorizationParams: { scope: 'openid profile', prompt: 'login' },
  });
  authorizationUrl.searchParams.get('request_uri');
  void codeVerifier;
  // Deliberate difference: `state` (and `nonce`) from buildAuthorizationUrl are required here.
  const tokens: TokenResponse = await authClient.getTokenByCode(
    callbackUrl,
    { codeVerifier: session.codeVerifier, state: session.state, nonce: session.nonce },
    requestOptions,
  );
  const full: ApiResponse<TokenResponse> = await authClient.getTokenByCode(callbackUrl, {
    ...session,
    fullResponse: true,
  });
  full.response.headers.get('x-ratelimit-remaining');
  await authClient.getTokenByMagicLinkCode(callbackUrl, { expectedState: 'state' });

  await authClient.getTokenByRefreshToken({ refreshToken: tokens.refreshToken ?? '' });
  await authClient.getTokenByRefreshToken(
    { refreshToken: 'rt', audience: 'https://api', scope: 'read:data', fullResponse: true },
    requestOptions,
  );
  await authClient.getTokenByClientCredentials({ audience: 'https://api', organization: 'org_1' });
  await authClient.getTokenByPassword({
    username: 'u',
    password: 'p',
    realm: 'Username-Password-Authentication',
    auth0ForwardedFor: '203.0.113.42',
  });
  await authClient.exchangeToken({
    subjectTokenType: 'urn:acme:legacy-token',
    subjectToken: 'token',
    audience: 'https://api',
    extra: { device_id: 'd' },
  });
  await authClient.exchangeToken({ connection: 'google-oauth2', subjectToken: 'at' });
  await authClient.getTokenForConnection({ connection: 'google-oauth2', refreshToken: 'rt' });
  await authClient.revokeToken({ token: 'rt', tokenTypeHint: 'refresh_token' }, requestOptions);
  const user = await authClient.getUserInfo({ accessToken: 'at', expectedSubject: 'auth0|1' });
  void user.email;
  const logoutUrl: URL = await authClient.buildLogoutUrl({ returnTo: 'https://app.example/' });
  void logoutUrl;
  const { sid, sub } = await authClient.verifyLogoutToken({ logoutToken: 'jwt' });
  void [sid, sub];
  await authClient.getServerMetadata();

  // Account linking.
  const { linkUserUrl } = await authClient.buildLinkUserUrl({
    connection: 'google-oauth2',
    connectionScope: 'https://www.googleapis.com/auth/calendar',
    idToken: 'id',
  });
  const { unlinkUserUrl } = await authClient.buildUnlinkUserUrl({ connection: 'c', idToken: 'id' });
  void [linkUserUrl, unlinkUserUrl];

  // CIBA.
  await authClient.backchannelAuthentication({
    bindingMessage: 'Approve',
    loginHint: { sub: 'auth0|1' },
    requestedExpiry: 120,
    authorizationDetails: [{ type: 'payment', amount: 1 }],
  });
  const { authReqId, expiresIn, interval } = await authClient.initiateBackchannelAuthentication({
    bindingMessage: 'Approve',
    loginHint: { sub: 'auth0|1' },
  });
  void [expiresIn, interval];
  await authClient.backchannelAuthenticationGrant({ authReqId });

  // Passwordless.
  await authClient.passwordless.sendEmail({ email: 'a@example.com' });
  await authClient.passwordless.sendEmail({
    email: 'a@example.com',
    send: 'link',
    authParams: { redirect_uri: 'https://app.example/callback', state: 's' },
  });
  await authClient.passwordless.sendSms({ phoneNumber: '+14155550100', language: 'fr-CA' });
  await authClient.getTokenByPasswordlessEmail({ email: 'a@example.com', code: '123456' });
  await authClient.getTokenByPasswordlessSms({ phoneNumber: '+14155550100', code: '123456' });
  const { authSession } = await authClient.passwordless.challengeWithEmail({
    email: 'a@example.com',
    connection: 'db',
    allowSignup: true,
  });
  await authClient.passwordless.challengeWithPhoneNumber({
    phoneNumber: '+14155550100',
    connection: 'db',
    deliveryMethod: 'voice',
  });
  await authClient.passwordless.getTokenByPasswordlessDbConnection({ authSession, otp: '1' });

  // Database connections.
  const created = await authClient.database.signUp({
    email: 'a@example.com',
    password: 'p',
    connection: 'Username-Password-Authentication',
    userMetadata: { plan: 'free' },
  });
  void created.id;
  const confirmation: string = await authClient.database.changePassword({
    email: 'a@example.com',
    connection: 'Username-Password-Authentication',
  });
  void confirmation;

  // Anonymous sessions.
  const anon = await authClient.anonymous.createSession({ audience: 'https://api' });
  await authClient.anonymous.getAccessToken({ sessionToken: anon.sessionToken });
  const transfer: string | null = await authClient.anonymous.mintTransferToken(anon.sessionToken);
  void transfer;
  await authClient.anonymous.logout();

  // MFA and passkeys, with per-call options.
  try {
    await authClient.getTokenByPassword({ username: 'u', password: 'p' });
  } catch (error) {
    if (isMfaRequiredError(error)) {
      const [authenticator] = await authClient.mfa.listAuthenticators(
        { mfaToken: error.mfa_token },
        requestOptions,
      );
      void authenticator;
      await authClient.mfa.verify({ mfaToken: error.mfa_token, factorType: 'otp', otp: '1' });
    }
  }
  await authClient.passkey.challenge({}, requestOptions);

  await isFederatedDomain('example.auth0.com', 'corp.example.com', {
    telemetry: { enabled: false },
  });

  // Error handling, auth-js style.
  try {
    await authClient.getTokenByCode(callbackUrl, session);
  } catch (error) {
    if (error instanceof TokenByCodeError) void [error.cause?.error, error.statusCode];
    if (error instanceof BackchannelAuthenticationError) void error.cause.error_description;
    if (error instanceof MissingClientAuthError || error instanceof NotSupportedError) throw error;
  }
}
