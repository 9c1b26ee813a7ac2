/**
 * What the sample app (main.ts) puts on `window`, for the browser tests and for poking around in
 * devtools. Declared once, from the real types, so main.ts assigns them and the e2e tests'
 * `page.evaluate(() => window.auth0.getUser())` type-check without a cast. Included by
 * dev/app/tsconfig.json (the app) and tsconfig.json (the e2e tests); nothing imports it at run
 * time. Globals the tests add to pages themselves are in e2e/support/page-globals.ts.
 */
import type {
  Auth0Client,
  createAuth0Client,
  EnclaveError,
  RedirectCallbackResult,
} from '../../src/client/index.js';

/** How the last `/callback` visit ended: the result, or the error's name and code. */
export type LastCallback =
  | { result: RedirectCallbackResult }
  | { error: Pick<EnclaveError, 'name' | 'code'> };

/** The client's methods by name, for tests that call one by name (`callClient(page, 'getUser')`). */
export type Auth0Method = {
  [K in keyof Auth0Client]: Auth0Client[K] extends (...args: never[]) => unknown ? K : never;
}[keyof Auth0Client];

declare global {
  interface Window {
    /** The app's client, set once `createAuth0Client` resolved (before `body[data-ready]`). */
    auth0: Auth0Client;
    /** The page API, for tests that create a second client with other options. */
    auth0Enclave: { createAuth0Client: typeof createAuth0Client };
    /** Set when the app handled a `/callback` visit. */
    lastCallback?: LastCallback;
  }
}
