import type { Page } from '@playwright/test';
import { tenantAdmin } from '../support/admin-clients.js';
import { appUrl, TENANT_URL } from '../support/environment.js';
import { expect, login, test } from '../support/fixtures.js';

// THREATS 19 — own flow without unregistering. Script in the app's origin starts an authorization
// flow of its own in a hidden frame, with its own PKCE verifier, asking the authorization server
// to post the response to page script (response_mode=web_message, as spa-js's silent login
// does). If the server answered, the code would never pass through the worker: the script could
// redeem it with its own key on another machine. The tenant, like Auth0, answers web_message
// only for origins in the client's Allowed Web Origins, and the sample SPA clients list none
// (the worker never needs it: it intercepts query callbacks). The control case proves the probe
// would see a code if a client did list the origin.

const APP = appUrl('dpop');

/** Runs the attacker's frame in the page; every message the page received, as JSON. */
function ownFlowInFrame(page: Page, clientId: string): Promise<string> {
  return page.evaluate(
    async ({ tenant, clientId, redirectUri }) => {
      const random = () => crypto.randomUUID().replaceAll('-', '');
      const verifier = `${random()}${random()}`;
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
      const challenge = btoa(String.fromCharCode(...new Uint8Array(digest)))
        .replaceAll('+', '-')
        .replaceAll('/', '_')
        .replace(/=+$/, '');
      const url = new URL('/authorize', tenant);
      for (const [name, value] of Object.entries({
        client_id: clientId,
        redirect_uri: redirectUri,
        response_type: 'code',
        response_mode: 'web_message',
        prompt: 'none',
        scope: 'openid profile',
        state: random(),
        nonce: random(),
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }))
        url.searchParams.set(name, value);
      const messages: unknown[] = [];
      addEventListener('message', (event) =>
        messages.push({ origin: event.origin, data: event.data }),
      );
      const frame = document.createElement('iframe');
      frame.hidden = true;
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
      frame.src = url.href;
      document.body.append(frame);
      await Promise.race([loaded, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      // A web_message page posts from its own script after load: give it time.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      frame.remove();
      return JSON.stringify(messages);
    },
    { tenant: TENANT_URL, clientId, redirectUri: `${APP}/callback` },
  );
}

test('THREATS 19: a hidden prompt=none frame asking for response_mode=web_message gets no code — the tenant refuses it for a client with no Allowed Web Origins', async ({
  page,
}) => {
  // Logged in: the tenant has a session, so prompt=none would otherwise issue a code at once.
  await login(page, 'dpop');
  const families = (await tenantAdmin.tokens()).refreshTokens.length;
  await tenantAdmin.clearRequests();

  const messages = await ownFlowInFrame(page, 'spa-dpop');
  expect(messages).not.toContain('authorization_response');
  expect(messages).not.toContain('"code"');
  // Read from the server: the request was refused, and nothing was issued or redeemed.
  const authorize = await tenantAdmin.requests('/authorize');
  expect(authorize.map((entry) => entry.status)).toEqual([400]);
  expect(await tenantAdmin.requests('/oauth/token')).toEqual([]);
  expect((await tenantAdmin.tokens()).refreshTokens).toHaveLength(families);

  // Control: a client that lists the app's origin as an Allowed Web Origin answers the same
  // frame with a code posted to page script — what the deployment advice says never to allow.
  await tenantAdmin.upsertClient({
    clientId: 'e2e-web-message-control',
    tokenEndpointAuthMethod: 'none',
    redirectUris: [`${APP}/callback`],
    allowedOrigins: [APP],
    allowedWebOrigins: [APP],
  });
  const control = await ownFlowInFrame(page, 'e2e-web-message-control');
  expect(control).toContain('authorization_response');
  expect(control).toMatch(/"code":"[\w-]+"/);
});
