// An auth0-react app, on auth0-enclave: the same provider, hook and HOC; the API is called
// with useFetchWithAuth(), so the access token never reaches this page.
import {
  Auth0Provider,
  useAuth0,
  useFetchWithAuth,
  withAuthenticationRequired,
} from 'auth0-enclave/react';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

/** The API's base URL (on the worker's allow-list). Not a secret: the token is. */
const API = import.meta.env.VITE_API_URL;

function Notes() {
  const fetchWithAuth = useFetchWithAuth();
  const [me, setMe] = useState<string>('…');
  useEffect(() => {
    fetchWithAuth(`${API}/me`)
      .then((response) => response.json() as Promise<{ sub: string; tokenType: string }>)
      .then((body) => setMe(`${body.sub} (${body.tokenType})`))
      .catch((error: Error) => setMe(`error: ${error.name}`));
  }, [fetchWithAuth]);
  return <p id="api">{me}</p>;
}

/** Only with a session: without one, the login page, then back here. */
const ProtectedNotes = withAuthenticationRequired(Notes, {
  onRedirecting: () => <p id="redirecting">Redirecting to the login page…</p>,
});

function Home() {
  const { isLoading, isAuthenticated, user, error, loginWithRedirect, logout } = useAuth0();
  if (isLoading) return <p id="status">Loading…</p>;
  if (error) return <p id="status">Error: {error.name}</p>;
  return (
    <>
      <p id="status">{isAuthenticated ? `Hello ${user?.name}` : 'Logged out'}</p>
      {isAuthenticated ? (
        <button type="button" onClick={() => logout()}>
          Log out
        </button>
      ) : (
        <button type="button" onClick={() => loginWithRedirect()}>
          Log in
        </button>
      )}
      <a href="/notes">Notes</a>
    </>
  );
}

/** A router in three lines (use yours): the path, re-read when `navigate` moves it. */
function navigate(to: string): void {
  history.replaceState({}, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function App() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path === '/notes' ? <ProtectedNotes /> : <Home />;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Auth0Provider
        workerUrl="/auth-worker.js"
        // Back from the login page: to where withAuthenticationRequired was (appState.returnTo).
        onRedirectCallback={(appState) => navigate(appState?.returnTo ?? '/')}
      >
        <App />
      </Auth0Provider>
    </StrictMode>,
  );
}
