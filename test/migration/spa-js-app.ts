/**
 * A typical `@auth0/auth0-spa-js` 2.27 app with only its import changed to `auth0-enclave`: every
 * public function, class, method, option and error class, used as spa-js's documentation and
 * typings show. Type-checked against the BUILT package (dist/) by `npm test`
 * (test/migration/tsconfig.json, run by scripts/typecheck-migration.mjs after the build). The only
 * lines allowed to fail carry `// @ts-expect-error DELIBERATE:` and are listed in MIGRATING.md.
 * Never run: it is read by the compiler only.
 */
import {
  Auth0Client,
  type Auth0ClientOptions,
  AuthenticationError,
  ConnectError,
  createAuth0Client,
  GenericError,
  type GetTokenSilentlyOptions,
  InvalidConfigurationError,
  type LogoutOptions,
  MfaChallengeError,
  MfaEnrollmentError,
  MfaEnrollmentFactorsError,
  MfaError,
  MfaListAuthenticatorsError,
  MfaRequiredError,
  MfaVerifyError,
  MissingRefreshTokenError,
  MissingScopesError,
  MyAccountApiError,
  PasskeyChallengeError,
  PasskeyError,
  PasskeyGetTokenError,
  PasskeyRegisterError,
  PopupCancelledError,
  PopupOpenError,
  PopupTimeoutError,
  type RedirectLoginOptions,
  TimeoutError,
  UseDpopNonceError,
  type User,
} from 'auth0-enclave';

/** Stands for what an app does with a value (render it, log it). */
function show(..._values: unknown[]): void {}

// ── Setup: the options every spa-js app passes ───────────────────────────────────────────────
const options: Auth0ClientOptions = {
  domain: 'example.eu.auth0.com',
  clientId: 'abc123',
  cacheLocation: 'localstorage',
  useRefreshTokens: true,
  useRefreshTokensFallback: false,
  useMrrt: true,
  useFormData: true,
  authorizeTimeoutInSeconds: 30,
  httpTimeoutInSeconds: 10,
  sessionCheckExpiryDays: 1,
  cookieDomain: '.example.com',
  useCookiesForTransactions: false,
  legacySameSiteCookie: true,
  authorizationParams: {
    redirect_uri: window.location.origin,
    audience: 'https://api.example.com/',
    scope: 'openid profile email offline_access',
  },
};
export const auth0 = await createAuth0Client({ ...options, refreshTokenMode: 'offline' });
export const direct = new Auth0Client({ domain: 'example.eu.auth0.com', clientId: 'abc123' });

// getConfiguration() is synchronous in spa-js.
const { domain, clientId } = auth0.getConfiguration();
show(domain.toUpperCase(), clientId.length);

// ── Redirect login, with appState of any shape (TAppState = any) ────────────────────────────
export async function login(returnTo: string): Promise<void> {
  const redirect: RedirectLoginOptions = {
    appState: { returnTo },
    authorizationParams: { screen_hint: 'signup', prompt: 'login', max_age: 300, ui_locales: 'fr' },
    fragment: 'welcome',
    openUrl: (url) => window.location.replace(url),
  };
  await auth0.loginWithRedirect(redirect);
  await auth0.loginWithRedirect({
    onRedirect: async (url) => {
      window.location.assign(url);
    },
  });
}

export async function onCallback(): Promise<void> {
  if (window.location.search.includes('code=') && window.location.search.includes('state=')) {
    const result = await auth0.handleRedirectCallback();
    // appState is `any` by default, as in spa-js.
    const target: string = result.appState?.returnTo ?? '/';
    window.history.replaceState({}, document.title, target);
    const typed = await auth0.handleRedirectCallback<{ returnTo: string }>();
    if (typed.response_type === 'connect_code') show(typed.connection, typed.id);
  }
}

// ── Session and profile ──────────────────────────────────────────────────────────────────────
export async function profile(): Promise<string | undefined> {
  if (!(await auth0.isAuthenticated())) return undefined;
  const user = await auth0.getUser();
  const custom = await auth0.getUser<User & { 'https://example.com/roles': string[] }>();
  show(custom?.['https://example.com/roles'], user?.sub, user?.email_verified);
  const claims = await auth0.getIdTokenClaims();
  show(claims?.email, claims?.org_id, claims?.exp);
  if (claims) {
    // @ts-expect-error DELIBERATE: the raw ID token stays in the worker — migration: read the claims (getIdTokenClaims) or call your API with fetchWithAuth instead of sending the raw token.
    const rawIdToken: string = claims.__raw;
    show(rawIdToken);
  }
  await auth0.checkSession();
  await auth0.checkSession({
    cacheMode: 'off',
    authorizationParams: { audience: 'https://api.example.com/' },
  });
  return user?.name;
}

// ── Tokens ───────────────────────────────────────────────────────────────────────────────────
export async function tokens(): Promise<void> {
  const silent: GetTokenSilentlyOptions = {
    cacheMode: 'off',
    timeoutInSeconds: 10,
    authorizationParams: { audience: 'https://api.example.com/', scope: 'read:notes' },
  };
  const token = await auth0.getTokenSilently(silent);
  const cached = await auth0.getTokenSilently({ cacheMode: 'cache-only' });
  if (cached === undefined) show('nothing cached');
  const verbose = await auth0.getTokenSilently({ detailedResponse: true });
  show(token, verbose?.access_token, verbose?.expires_in, verbose?.scope);
  // @ts-expect-error DELIBERATE: the ID token is never handed to the page — migration: read getIdTokenClaims() instead.
  show(verbose?.id_token);
  const popupToken = await auth0.getTokenWithPopup(
    {
      authorizationParams: { audience: 'https://other.example.com/', scope: 'write:notes' },
      cacheMode: 'on',
    },
    { timeoutInSeconds: 60 },
  );
  show(popupToken);
  await auth0.revokeRefreshToken();
  await auth0.revokeRefreshToken({ audience: 'https://api.example.com/' });
}

// ── Popup login ──────────────────────────────────────────────────────────────────────────────
export async function popupLogin(): Promise<void> {
  const popup = window.open('', 'auth0:authorize:popup', 'width=400,height=600');
  try {
    await auth0.loginWithPopup(
      { authorizationParams: { connection: 'github' } },
      { popup, timeoutInSeconds: 120, closePopup: true },
    );
  } catch (err) {
    if (err instanceof PopupTimeoutError) err.popup.close();
    else if (err instanceof PopupCancelledError) show('closed', err.popup);
    else if (err instanceof PopupOpenError) show('blocked');
    else if (err instanceof TimeoutError) show('timeout', err.error);
    else throw err;
  }
}

// ── Logout ───────────────────────────────────────────────────────────────────────────────────
export async function logout(): Promise<void> {
  const out: LogoutOptions = {
    clientId: 'abc123',
    logoutParams: { returnTo: window.location.origin, federated: true, ui_locales: 'fr' },
  };
  await auth0.logout(out);
  await auth0.logout({ openUrl: false });
  await auth0.logout({ openUrl: (url) => window.location.replace(url) });
  await auth0.logout({ clientId: null });
}

// ── Calling an API ───────────────────────────────────────────────────────────────────────────
export async function callApi(): Promise<unknown> {
  const fetcher = auth0.createFetcher({ baseUrl: 'https://api.example.com/', dpopNonceId: 'api' });
  const response = await fetcher.fetchWithAuth(
    '/notes',
    { method: 'GET' },
    { audience: 'https://api.example.com/', scope: ['read:notes'] },
  );
  const custom = auth0.createFetcher({
    fetch: (request) => fetch(request),
    getAccessToken: () =>
      auth0.getTokenSilently({ authorizationParams: { audience: 'https://api.example.com/' } }),
  });
  await custom.fetchWithAuth('https://api.example.com/me');
  return response.json();
}

// ── DPoP helpers ─────────────────────────────────────────────────────────────────────────────
export async function dpop(accessToken: string): Promise<string> {
  const nonce = await auth0.getDpopNonce();
  await auth0.setDpopNonce(nonce ?? 'n', 'api');
  return auth0.generateDpopProof({
    url: 'https://api.example.com/',
    method: 'POST',
    nonce,
    accessToken,
  });
}

// ── Custom Token Exchange and My Account ─────────────────────────────────────────────────────
export async function exchange(externalToken: string): Promise<void> {
  const exchanged = await auth0.customTokenExchange({
    subject_token: externalToken,
    subject_token_type: 'urn:example:external-token',
    audience: 'https://api.example.com/',
    scope: 'read:notes',
  });
  show(exchanged.token_type, exchanged.expires_in);
  const login = await auth0.loginWithCustomTokenExchange({
    subject_token: externalToken,
    subject_token_type: 'urn:example:external-token',
  });
  show(login.scope);
  // @ts-expect-error DELIBERATE: the exchange's tokens stay in the worker — migration: call your API with fetchWithAuth (or set exposeAccessTokens in the worker and read access_token, which may be undefined).
  const raw: string = exchanged.access_token;
  show(raw);
}

export async function myAccount(): Promise<void> {
  await auth0.connectAccountWithRedirect({
    connection: 'google-oauth2',
    scopes: ['https://www.googleapis.com/auth/calendar'],
    authorization_params: { login_hint: 'erin@example.com' },
    redirectUri: `${window.location.origin}/connected`,
    appState: { from: 'settings' },
  });
}

// ── My Account API: factors and authentication methods ──────────────────────────────────────
export async function accountSecurity(): Promise<void> {
  const factors = await auth0.myAccount.getFactors();
  const methods = await auth0.myAccount.getAuthenticationMethods('totp');
  const method = await auth0.myAccount.getAuthenticationMethod(methods[0]?.id ?? 'x');
  await auth0.myAccount.updateAuthenticationMethod(method.id, { name: 'Phone' });
  await auth0.myAccount.deleteAuthenticationMethod(method.id);
  show(factors.map((f) => f.type));
  try {
    const challenge = await auth0.myAccount.enrollmentChallenge({ type: 'totp' });
    if (challenge.type === 'totp') show(challenge.barcode_uri);
    await auth0.myAccount.enrollmentVerify({
      type: 'totp',
      location: challenge.location,
      auth_session: challenge.auth_session,
      otp_code: '123456',
    });
  } catch (err) {
    if (err instanceof MyAccountApiError)
      show(err.status, err.title, err.detail, err.validation_errors);
  }
}

// ── Anonymous sessions ───────────────────────────────────────────────────────────────────────
export async function anonymous(): Promise<void> {
  await auth0.anonymous.createSession({ audience: 'https://api.example.com/' });
  if (auth0.anonymous.hasSession()) {
    const { expiresAt, scope } = await auth0.anonymous.getTokenSilently({
      audience: 'https://api.example.com/',
    });
    show(expiresAt, scope);
  }
  show(auth0.anonymous.getClaims());
  await auth0.anonymous.logout();
}

// ── MFA step-up ──────────────────────────────────────────────────────────────────────────────
export async function stepUp(): Promise<void> {
  try {
    await auth0.getTokenSilently({
      authorizationParams: { audience: 'https://stepup.example.com/' },
    });
  } catch (err) {
    if (!(err instanceof MfaRequiredError)) throw err;
    auth0.mfa.setMFAAuthDetails(
      err.mfa_token,
      'openid',
      'https://stepup.example.com/',
      err.mfa_requirements,
    );
    const factors = await auth0.mfa.getEnrollmentFactors(err.mfa_token);
    if (factors.length > 0) {
      const enrolled = await auth0.mfa.enroll({ mfaToken: err.mfa_token, factorType: 'otp' });
      if ('barcodeUri' in enrolled) show(enrolled.barcodeUri);
      await auth0.mfa.enroll({
        mfaToken: err.mfa_token,
        factorType: 'sms',
        phoneNumber: '+15555550100',
      });
    }
    const authenticators = await auth0.mfa.getAuthenticators(err.mfa_token);
    const challenge = await auth0.mfa.challenge({
      mfaToken: err.mfa_token,
      challengeType: 'oob',
      authenticatorId: authenticators[0]?.id ?? '',
    });
    try {
      const verified = await auth0.mfa.verify({
        mfaToken: err.mfa_token,
        oobCode: challenge.oobCode ?? '',
        bindingCode: '123456',
      });
      show(verified.expires_in);
    } catch (verifyErr) {
      if (verifyErr instanceof MfaVerifyError) show(verifyErr.error, verifyErr.error_description);
      else if (verifyErr instanceof MfaChallengeError || verifyErr instanceof MfaEnrollmentError)
        throw verifyErr;
      else if (
        verifyErr instanceof MfaListAuthenticatorsError ||
        verifyErr instanceof MfaEnrollmentFactorsError
      )
        throw verifyErr;
      else if (verifyErr instanceof MfaError) show(verifyErr.error);
    }
  }
}

// ── Passkeys ─────────────────────────────────────────────────────────────────────────────────
export async function passkeys(): Promise<void> {
  try {
    await auth0.passkey.signup({
      email: 'erin@example.com',
      name: 'Erin',
      audience: 'https://api.example.com/',
      scope: 'openid',
    });
    await auth0.passkey.login({ realm: 'Username-Password-Authentication', organization: 'org_1' });
    const { authSession, publicKey } = await auth0.passkey.getLoginChallenge();
    const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
    await auth0.passkey.getTokenWithPasskey({
      authSession,
      credential,
      audience: 'https://api.example.com/',
      scope: 'openid profile',
      realm: 'Username-Password-Authentication',
      organization: 'org_1',
    });
    const signup = await auth0.passkey.getSignupChallenge({ email: 'erin@example.com' });
    show(signup.publicKey.challenge);
  } catch (err) {
    if (
      err instanceof PasskeyRegisterError ||
      err instanceof PasskeyChallengeError ||
      err instanceof PasskeyGetTokenError
    )
      show(err.code);
    else if (err instanceof PasskeyError) show(err.message);
  }
}

// ── Error handling, as spa-js apps write it ──────────────────────────────────────────────────
export function describe(err: unknown): string {
  if (err instanceof MissingRefreshTokenError) return `${err.audience} ${err.scope}`;
  if (err instanceof MissingScopesError) return `${err.audience} ${err.scope}`;
  if (err instanceof UseDpopNonceError) return err.newDpopNonce ?? '';
  if (err instanceof AuthenticationError) return `${err.state} ${err.appState?.returnTo}`;
  if (err instanceof ConnectError) return `${err.connection} ${err.state} ${err.appState}`;
  if (err instanceof InvalidConfigurationError) return err.suggestion;
  if (err instanceof MyAccountApiError)
    return `${err.status} ${err.title} ${err.detail} ${err.validation_errors?.length}`;
  if (err instanceof GenericError) return `${err.error}: ${err.error_description}`;
  return String(err);
}
