/**
 * A typical `@auth0/auth0-react` 2.x app with only its import changed to `auth0-enclave/react`:
 * the provider with its props, the hook's state and methods, both HOCs, a second context, and the
 * error and option types an app imports. Type-checked against the BUILT package (dist/) and,
 * import swapped back, against auth0-react's own typings (scripts/check-migration.mjs). Never run.
 */
import {
  type AppState,
  Auth0Context,
  type Auth0ContextInterface,
  Auth0Provider,
  type Auth0ProviderOptions,
  type GetTokenSilentlyOptions,
  type LogoutOptions,
  MfaRequiredError,
  OAuthError,
  PopupCancelledError,
  type RedirectLoginOptions,
  type User,
  useAuth0,
  type WithAuth0Props,
  withAuth0,
  withAuthenticationRequired,
} from 'auth0-enclave/react';
import { Component, createContext, type ReactNode, useEffect, useState } from 'react';

/** Stands for what an app does with a value (render it, log it). */
function show(..._values: unknown[]): void {}

// ── The provider, as the auth0-react quick start writes it ──────────────────────────────────
const onRedirectCallback = (appState?: AppState, user?: User): void => {
  window.history.replaceState({}, document.title, appState?.returnTo ?? '/');
  show(user?.sub);
};

export function Root({ children }: { children: ReactNode }) {
  return (
    <Auth0Provider
      domain="example.eu.auth0.com"
      clientId="abc123"
      authorizationParams={{
        redirect_uri: window.location.origin,
        audience: 'https://api.example.com/',
        scope: 'openid profile email read:notes',
      }}
      useRefreshTokens
      cacheLocation="localstorage"
      onRedirectCallback={onRedirectCallback}
      skipRedirectCallback={window.location.pathname === '/other-oauth-callback'}
    >
      {children}
    </Auth0Provider>
  );
}

const props: Auth0ProviderOptions = { domain: 'example.eu.auth0.com', clientId: 'abc123' };
show(props);

// ── The hook: state and methods ─────────────────────────────────────────────────────────────
interface AppUser extends User {
  roles?: string[];
}

export function Profile() {
  const {
    isLoading,
    isAuthenticated,
    error,
    user,
    loginWithRedirect,
    loginWithPopup,
    logout,
    getAccessTokenSilently,
    getAccessTokenWithPopup,
    getIdTokenClaims,
    handleRedirectCallback,
  } = useAuth0<AppUser>();
  const [notes, setNotes] = useState<string[]>([]);

  useEffect(() => {
    if (!isAuthenticated) return;
    const options: GetTokenSilentlyOptions = {
      authorizationParams: { audience: 'https://api.example.com/', scope: 'read:notes' },
    };
    void (async () => {
      const token = await getAccessTokenSilently(options);
      const response = await fetch('https://api.example.com/notes', {
        headers: { Authorization: `Bearer ${token}` },
      });
      setNotes((await response.json()) as string[]);
    })();
  }, [isAuthenticated, getAccessTokenSilently]);

  if (isLoading) return <p>Loading…</p>;
  if (error) return <p>Oops… {error.message}</p>;

  const login = (): Promise<void> => {
    const options: RedirectLoginOptions = {
      appState: { returnTo: '/profile' },
      authorizationParams: { screen_hint: 'signup' },
    };
    return loginWithRedirect(options);
  };
  const popup = async (): Promise<void> => {
    try {
      await loginWithPopup({ authorizationParams: { prompt: 'login' } });
      show(await getAccessTokenWithPopup());
    } catch (caught) {
      if (caught instanceof PopupCancelledError) show('closed');
      if (caught instanceof MfaRequiredError) show(caught.mfa_token);
      if (caught instanceof OAuthError) show(caught.error, caught.error_description);
    }
  };
  const out = (): Promise<void> => {
    const options: LogoutOptions = { logoutParams: { returnTo: window.location.origin } };
    return logout(options);
  };
  const claims = async (): Promise<void> => {
    const idToken = await getIdTokenClaims();
    show(idToken?.sub, idToken?.email);
    show(await handleRedirectCallback(window.location.href));
  };

  return isAuthenticated ? (
    <div>
      <img src={user?.picture} alt={user?.name} />
      <p>{user?.email}</p>
      <p>{user?.roles?.join(', ')}</p>
      <ul>
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      <button type="button" onClick={out}>
        Log out
      </button>
      <button type="button" onClick={claims}>
        Claims
      </button>
    </div>
  ) : (
    <div>
      <button type="button" onClick={login}>
        Log in
      </button>
      <button type="button" onClick={popup}>
        Log in (popup)
      </button>
    </div>
  );
}

// ── The HOCs ─────────────────────────────────────────────────────────────────────────────────
export const ProtectedProfile = withAuthenticationRequired(Profile, {
  returnTo: () => window.location.hash.slice(1),
  onRedirecting: () => <div>Redirecting you to the login page…</div>,
  onBeforeAuthentication: async () => show('login triggered'),
  loginOptions: { appState: { from: 'profile' } },
});

class LegacyProfile extends Component<WithAuth0Props> {
  override render() {
    const { user, isAuthenticated } = this.props.auth0;
    return isAuthenticated ? <p>Hello {user?.name}</p> : null;
  }
}
export const WrappedProfile = withAuth0(LegacyProfile);

// ── A second provider with its own context ───────────────────────────────────────────────────
const OtherContext = createContext<Auth0ContextInterface>(null as unknown as Auth0ContextInterface);

export function TwoProviders({ children }: { children: ReactNode }) {
  return (
    <Auth0Provider clientId="other" domain="example.eu.auth0.com" context={OtherContext}>
      {children}
    </Auth0Provider>
  );
}

export function UsesOther() {
  const { isAuthenticated } = useAuth0(OtherContext);
  const main = useAuth0(Auth0Context);
  return <p>{String(isAuthenticated && main.isAuthenticated)}</p>;
}
