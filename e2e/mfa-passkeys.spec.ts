import type { BrowserContext, Page } from '@playwright/test';
import { generate } from 'otplib';
import { tenantAdmin } from './support/admin-clients.js';
import { API_URL, STEP_UP_AUDIENCE, USER } from './support/environment.js';
import { callApi, expect, login, openApp, stopWorkers, test } from './support/fixtures.js';
import { dumpStorage } from './support/storage.js';

// auth0.mfa and auth0.passkey in Chromium, through the sample app's screen: step-up MFA with an
// OTP computed from the enrolled secret, and passkey sign-up then sign-in with Chromium's virtual
// authenticator. Afterwards the session works, and page script finds none of the secrets of
// either flow in any storage. What the secrets are is read off the wire (context.route sees the
// worker's own requests to the tenant).

const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

/** Strings that must not be readable by page script, collected from the token endpoint. */
interface Wire {
  mfaTokens: string[];
  accessTokens: string[];
  /** The pieces of every WebAuthn response the worker sent (`authn_response`). */
  credentialParts: string[];
  webauthnGrants: number;
}

async function tapTokenEndpoint(context: BrowserContext): Promise<Wire> {
  const wire: Wire = { mfaTokens: [], accessTokens: [], credentialParts: [], webauthnGrants: 0 };
  await context.route('**/oauth/token', async (route) => {
    const sent = route.request().postData() ?? '';
    if (sent.startsWith('{')) {
      const body = JSON.parse(sent) as { authn_response?: { response?: Record<string, unknown> } };
      wire.webauthnGrants++;
      for (const value of Object.values(body.authn_response?.response ?? {})) {
        if (typeof value === 'string' && value.length > 16) wire.credentialParts.push(value);
      }
    }
    const response = await route.fetch();
    const text = await response.text();
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      if (typeof body.mfa_token === 'string') wire.mfaTokens.push(body.mfa_token);
      if (typeof body.access_token === 'string') wire.accessTokens.push(body.access_token);
    } catch {}
    await route.fulfill({ response, body: text });
  });
  return wire;
}

/** Every storage API of the origin, as page script (an XSS) reads it. */
async function expectNoneReadable(page: Page, secrets: string[]): Promise<void> {
  const text = JSON.stringify(await page.evaluate(dumpStorage));
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets)
    expect(text, 'a secret is readable by page script').not.toContain(secret);
  expect(text).not.toMatch(JWT);
  expect(text).not.toContain('enclave-mfa:');
  expect(text).not.toContain('ceremony:');
}

test.describe('step-up MFA (auth0.mfa)', () => {
  test('enrolls OTP on the sample app’s screen, verifies a code from the secret, keeps no secret', async ({
    page,
  }) => {
    const wire = await tapTokenEndpoint(page.context());
    await login(page, 'dpop');

    // The API behind the step-up audience refuses without MFA: the page gets a handle.
    const refused = await page.evaluate(async (url) => {
      const auth0 = window.auth0;
      try {
        await auth0.fetchWithAuth(url);
        return undefined;
      } catch (error) {
        const { name, code, mfa_token } = error as {
          name: string;
          code: string;
          mfa_token: string;
        };
        return { name, code, mfa_token };
      }
    }, `${API_URL}/stepup/secrets`);
    expect(refused).toMatchObject({ name: 'MfaRequiredError', code: 'mfa_required' });
    expect(refused?.mfa_token).toMatch(/^enclave-mfa:/);

    await page.getByRole('button', { name: 'Step-up: read secrets' }).click();
    const secretText = page.locator('#mfa-secret');
    await expect(secretText).toHaveText(/^[A-Z2-7]{16,}$/);
    await expect(
      page.getByRole('img', { name: 'QR code of the authenticator secret' }).locator('svg'),
    ).toBeVisible();
    const secret = (await secretText.textContent()) as string;
    const recovery = (await page.locator('#mfa-recovery').textContent()) as string;
    expect(recovery).not.toBe('');
    // The worker never handed the page Auth0's mfa_token.
    expect(wire.mfaTokens.length).toBeGreaterThan(0);
    for (const token of wire.mfaTokens) expect(refused?.mfa_token).not.toContain(token);

    await page.getByLabel('6-digit code').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    const result = page.locator('#step-up-result');
    await expect(result).toContainText('"verified"');
    await expect(result).toContainText('"token_type": "DPoP"');
    expect(await result.textContent()).not.toContain('access_token');
    // The screen is gone, and with it the secret.
    await expect(page.locator('#mfa')).toBeHidden();
    await expect(secretText).toHaveText('');

    // Asked again, the worker already holds the step-up token (no second factor asked).
    await page.getByRole('button', { name: 'Step-up: read secrets' }).click();
    await expect(result).toContainText(`holds a token for ${STEP_UP_AUDIENCE}`);
    await expect(result).toContainText('"mfa"');

    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { sub: USER.sub, tokenType: 'DPoP' },
    });
    await expectNoneReadable(page, [secret, recovery, ...wire.mfaTokens, ...wire.accessTokens]);
  });

  test('a wrong code is refused on the screen, and the right one still works', async ({ page }) => {
    await login(page, 'dpop');
    await page.getByRole('button', { name: 'Step-up: read secrets' }).click();
    await expect(page.locator('#mfa-secret')).toHaveText(/^[A-Z2-7]{16,}$/);
    const secret = (await page.locator('#mfa-secret').textContent()) as string;
    await page.getByLabel('6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    const result = page.locator('#step-up-result');
    await expect(result).toContainText('MfaVerifyError (mfa_error)');
    await page.getByLabel('6-digit code').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(result).toContainText('"verified"');
  });
});

test('a worker stopped mid step-up forgets the mfa_token: a typed error, then a fresh start works', async ({
  page,
}) => {
  await login(page, 'dpop');
  const stepUp = page.getByRole('button', { name: 'Step-up: read secrets' });
  const secretText = page.locator('#mfa-secret');
  await stepUp.click();
  await expect(secretText).toHaveText(/^[A-Z2-7]{16,}$/);
  const first = (await secretText.textContent()) as string;
  // What a browser does to an idle worker: the mfa_token lived in its memory only.
  await stopWorkers(page);
  await page.getByLabel('6-digit code').fill(await generate({ secret: first }));
  await page.getByRole('button', { name: 'Verify' }).click();
  const result = page.locator('#step-up-result');
  await expect(result).toContainText('MfaError (mfa_error)');
  await stepUp.click();
  await expect(secretText).toHaveText(/^[A-Z2-7]{16,}$/);
  const second = (await secretText.textContent()) as string;
  expect(second).not.toBe(first);
  await page.getByLabel('6-digit code').fill(await generate({ secret: second }));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(result).toContainText('"verified"');
  expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({ status: 200 });
});

test.describe('passkeys (auth0.passkey)', () => {
  test('signs up with a passkey, then signs in with it; the session is DPoP-bound and nothing of the ceremony is stored', async ({
    page,
  }) => {
    const wire = await tapTokenEndpoint(page.context());
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const email = `erin-${crypto.randomUUID()}@example.com`;
    await openApp(page, 'dpop');
    await page.getByLabel('Address for a new passkey').fill(email);
    await page.getByRole('button', { name: 'Sign up with a passkey' }).click();
    await expect(page.getByRole('status')).toContainText(`Logged in as ${email}`);
    const signedUp = await callApi(page, `${API_URL}/api/me`);
    expect(signedUp).toMatchObject({ status: 200, body: { tokenType: 'DPoP' } });
    const sub = (signedUp as { body: { sub: string } }).body.sub;

    await page.evaluate(() =>
      window.auth0.logout({
        openUrl: false,
      }),
    );
    await expect(page.getByRole('status')).toContainText('Logged out');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page.getByRole('status')).toContainText(`Logged in as ${email}`);
    expect(await callApi(page, `${API_URL}/api/me`)).toMatchObject({
      status: 200,
      body: { sub, tokenType: 'DPoP' },
    });

    // Both grants carried a DPoP proof of the session's key; the credentials crossed only to the worker.
    const grants = (await tenantAdmin.requests('/oauth/token')).filter(
      (entry) =>
        entry.grantType === 'urn:okta:params:oauth:grant-type:webauthn' && entry.status === 200,
    );
    expect(grants).toHaveLength(2);
    expect(grants.every((entry) => entry.dpopJkt)).toBe(true);
    expect(wire.webauthnGrants).toBeGreaterThanOrEqual(2);
    await expectNoneReadable(page, [...wire.credentialParts, ...wire.accessTokens]);
    await cdp.detach();
  });

  test('a failed prompt and a browser without the JSON helpers are typed PasskeyErrors', async ({
    page,
  }) => {
    // An authenticator that holds no passkey: the sign-in prompt fails (NotAllowedError).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await openApp(page, 'dpop');
    const login = () =>
      page.evaluate(async () => {
        const auth0 = window.auth0;
        try {
          await auth0.passkey.login();
          return 'resolved';
        } catch (caught) {
          const { name, code, error } = caught as { name: string; code: string; error: string };
          return { name, code, error, authenticated: await auth0.isAuthenticated() };
        }
      });
    expect(await login()).toEqual({
      name: 'PasskeyError',
      code: 'passkey_error',
      error: 'passkey_cancelled',
      authenticated: false,
    });
    await page.evaluate(() => {
      Reflect.deleteProperty(PublicKeyCredential, 'parseRequestOptionsFromJSON');
    });
    expect(await login()).toEqual({
      name: 'PasskeyError',
      code: 'passkey_error',
      error: 'passkey_not_supported',
      authenticated: false,
    });
    await cdp.detach();
  });
});
