import { type Auth0Client, createAuth0Client, EnclaveError, MfaRequiredError } from 'auth0-enclave';
import { renderSVG } from 'uqr';
import { dumpStorage } from './storage-dump.js';

declare const __SAMPLE_API_URL__: string;

/** The demo tenant's step-up API (`STEP_UP_API_AUDIENCE` of dev/tenant/src/defaults.ts). */
const STEP_UP_AUDIENCE = 'https://stepup.example.com/';

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
  $('step-up').hidden = !user;
  $('passkeys').hidden = Boolean(user);
  if (user) show('user', user);
  else resetMfa();
  show('storage', await dumpStorage());
}

/** Clears the enrollment screen: the secret, the QR code and the code typed leave the DOM. */
function resetMfa(): void {
  const form = $<HTMLFormElement>('mfa');
  form.hidden = true;
  form.onsubmit = null;
  form.reset();
  $('mfa-enroll').hidden = true;
  $('mfa-qr').replaceChildren();
  $('mfa-secret').textContent = '';
  $('mfa-recovery').textContent = '';
  $('mfa-recovery-line').hidden = true;
}

/**
 * Asks the worker for a token of the step-up API. On `MfaRequiredError` it shows the enrollment
 * (a QR code of `barcodeUri`, the secret as text) or just the code field, and verifies the code.
 * The handle, the secret and the code live in this closure and the DOM only, never in storage.
 */
async function stepUp(auth0: Auth0Client): Promise<void> {
  resetMfa();
  try {
    await auth0.checkSession({ authorizationParams: { audience: STEP_UP_AUDIENCE } });
    const claims = await auth0.getIdTokenClaims();
    show(
      'step-up-result',
      `The worker holds a token for ${STEP_UP_AUDIENCE} (amr: ${JSON.stringify(claims?.amr ?? [])}).`,
    );
    return;
  } catch (error) {
    if (!(error instanceof MfaRequiredError)) throw error;
    const mfaToken = error.mfa_token;
    const factors = await auth0.mfa.getEnrollmentFactors(mfaToken);
    if (factors.some((factor) => factor.type === 'otp')) {
      const enrollment = await auth0.mfa.enroll({ mfaToken, factorType: 'otp' });
      if (enrollment.authenticatorType === 'otp') {
        // An SVG string of rects and paths (no script, no inline style): CSP allows it as is.
        $('mfa-qr').innerHTML = renderSVG(enrollment.barcodeUri);
        $('mfa-secret').textContent = enrollment.secret;
        const recovery = enrollment.recoveryCodes?.join(' ') ?? '';
        $('mfa-recovery').textContent = recovery;
        $('mfa-recovery-line').hidden = !recovery;
        $('mfa-enroll').hidden = false;
      }
    }
    const form = $<HTMLFormElement>('mfa');
    form.hidden = false;
    show('step-up-result', 'The step-up API asks for a second factor: enter the 6-digit code.');
    $('mfa-code').focus();
    form.onsubmit = async (event) => {
      event.preventDefault();
      try {
        const otp = $<HTMLInputElement>('mfa-code').value.trim();
        const result = await auth0.mfa.verify({ mfaToken, otp });
        resetMfa();
        show('step-up-result', { verified: result });
      } catch (failed) {
        show('step-up-result', explain(failed));
      }
    };
  }
}

function explain(error: unknown): string {
  return error instanceof EnclaveError
    ? `${error.name} (${error.code}): ${error.message}`
    : String(error);
}

async function main(): Promise<void> {
  // No options: the worker's URL and identity come from the build (auth0-enclave/vite).
  const auth0 = await createAuth0Client();
  // Exposed for the browser tests and for poking around in devtools. An XSS could call them too —
  // which is exactly the point: it can *use* the session, never carry a token away.
  // Their types: test-hooks.ts.
  window.auth0 = auth0;
  window.auth0Enclave = { createAuth0Client };

  if (location.pathname === '/callback') {
    try {
      const result = await auth0.handleRedirectCallback();
      window.lastCallback = { result };
      if (result.response_type === 'connect_code') {
        show('api-result', `Connected ${result.connection}.`);
      }
    } catch (error) {
      window.lastCallback = {
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
  const { apis } = await auth0.getWorkerConfiguration();
  $('step-up-section').hidden = !apis.some((entry) => entry.audience === STEP_UP_AUDIENCE);
  $('step-up').addEventListener('click', () =>
    stepUp(auth0).catch((error: unknown) => show('step-up-result', explain(error))),
  );
  const passkey = (mode: 'signup' | 'login') => async () => {
    try {
      const email = $<HTMLInputElement>('passkey-email').value.trim();
      const result =
        mode === 'signup' ? await auth0.passkey.signup({ email }) : await auth0.passkey.login();
      show('step-up-result', { [mode === 'signup' ? 'signedUp' : 'loggedIn']: result });
    } catch (error) {
      show('step-up-result', explain(error));
    }
  };
  $('passkey-signup').addEventListener('click', passkey('signup'));
  $('passkey-login').addEventListener('click', passkey('login'));
  await render(auth0);
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  show('status', `The auth worker could not start: ${explain(error)}`);
  document.body.dataset.ready = 'error';
});
