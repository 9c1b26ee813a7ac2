import { type Auth0Client, createAuth0Client, EnclaveError } from 'auth0-enclave';
import { dumpStorage } from './storage-dump.js';

declare const __SAMPLE_API_URL__: string;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function show(id: string, value: unknown): void {
  $(id).textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

async function describeResponse(response: Response): Promise<unknown> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

async function render(auth0: Auth0Client): Promise<void> {
  const user = await auth0.getUser();
  show('status', user ? `Logged in as ${user.name ?? user.email ?? user.sub}.` : 'Logged out.');
  $('login').hidden = Boolean(user);
  $('login-popup').hidden = Boolean(user);
  $('logout').hidden = !user;
  $('user').hidden = !user;
  if (user) show('user', user);
  show('storage', await dumpStorage());
}

function explain(error: unknown): string {
  return error instanceof EnclaveError
    ? `${error.name} (${error.code}): ${error.message}`
    : String(error);
}

async function main(): Promise<void> {
  const auth0 = await createAuth0Client({ workerUrl: '/auth-worker.js' });
  // Exposed for the browser tests and for poking around in devtools. An XSS could call them too —
  // which is exactly the point: it can *use* the session, never carry a token away.
  const exposed = window as unknown as {
    auth0: Auth0Client;
    auth0Enclave: { createAuth0Client: typeof createAuth0Client };
    lastCallback?: unknown;
  };
  exposed.auth0 = auth0;
  exposed.auth0Enclave = { createAuth0Client };

  if (location.pathname === '/callback') {
    try {
      const result = await auth0.handleRedirectCallback();
      exposed.lastCallback = { result };
      if (result.response_type === 'connect_code') {
        show('api-result', `Connected ${result.connection}.`);
      }
    } catch (error) {
      exposed.lastCallback = {
        error: { name: (error as Error).name, code: (error as EnclaveError).code },
      };
      show('api-result', `Login failed: ${explain(error)}`);
    }
    history.replaceState(null, '', '/');
  }

  auth0.on('session', () => void render(auth0));
  $('login').addEventListener('click', () => void auth0.loginWithRedirect());
  $('login-popup').addEventListener('click', async () => {
    try {
      await auth0.loginWithPopup();
    } catch (error) {
      show('api-result', `Popup login failed: ${explain(error)}`);
    }
  });
  $('logout').addEventListener('click', () => void auth0.logout());
  const api = `${__SAMPLE_API_URL__}/api`;
  $('call-fetch-with-auth').addEventListener('click', async () => {
    try {
      show('api-result', await describeResponse(await auth0.fetchWithAuth(`${api}/me`)));
    } catch (error) {
      show('api-result', explain(error));
    }
  });
  $('call-plain-fetch').addEventListener('click', async () => {
    try {
      show('api-result', await describeResponse(await fetch(`${api}/me`)));
    } catch (error) {
      show('api-result', explain(error));
    }
  });
  $('create-note').addEventListener('click', async () => {
    try {
      const response = await auth0.fetchWithAuth(`${api}/notes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `Written at ${new Date().toLocaleTimeString()}` }),
      });
      show('api-result', await describeResponse(response));
    } catch (error) {
      show('api-result', explain(error));
    }
  });
  $('refresh-storage').addEventListener('click', async () => show('storage', await dumpStorage()));
  await render(auth0);
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  show('status', `The auth worker could not start: ${explain(error)}`);
  document.body.dataset.ready = 'error';
});
