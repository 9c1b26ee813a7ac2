// Completes an authorization URL built by the SDK through the local tenant's login form, the way
// a browser would: GET /authorize, POST the credentials, read the redirect back to the app.
import { ALICE, sessionCookieOf, submitLogin, transactionIdOf } from 'auth0-enclave-tenant/testing';

/** Where the tenant sent the browser back to, and the login session it set. */
export interface CompletedLogin {
  /** The `Location` of the final redirect: the app's callback URL with `code` or `error`. */
  callbackUrl: string;
  /** `enclave_tenant_session=…`, for follow-up requests in the same browser session. */
  cookie: string | undefined;
}

/**
 * Follows `authorizationUrl` (redirect: manual) and, when the tenant shows its login form,
 * submits `credentials`. With `cookie` (a live session) the tenant may answer at once.
 */
export async function loginAt(
  authorizationUrl: URL | string,
  options: { credentials?: { email: string; password: string }; cookie?: string } = {},
): Promise<CompletedLogin> {
  const issuer = new URL('/', authorizationUrl).href;
  const page = await fetch(authorizationUrl, {
    redirect: 'manual',
    headers: options.cookie ? { cookie: options.cookie } : {},
  });
  if (page.status === 302) return { callbackUrl: locationOf(page), cookie: options.cookie };
  if (page.status !== 200) throw new Error(`/authorize answered ${page.status}`);
  const response = await submitLogin(
    issuer,
    transactionIdOf(await page.text()),
    options.credentials ?? ALICE,
  );
  if (response.status !== 302) throw new Error(`the login form answered ${response.status}`);
  return { callbackUrl: locationOf(response), cookie: sessionCookieOf(response) };
}

function locationOf(response: Response): string {
  const location = response.headers.get('location');
  if (!location) throw new Error(`a ${response.status} without Location`);
  return location;
}
