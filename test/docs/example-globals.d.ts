// Names the `@example` blocks of the public TSDoc (and the TypeScript blocks of the README and
// docs/) may use without declaring them: the object an example is about (which the surrounding
// documentation has already shown how to create) and a few values that come from the app. Everything else an example uses, it imports — by package
// name, as a user would. test/docs/tsdoc.test.ts type-checks every example with these in scope.
import type { Auth0Client, User } from 'auth0-enclave';
import type { AuthClient, ClientContext } from 'auth0-enclave/core';
import type { Tenant } from 'auth0-enclave-tenant';

declare global {
  /** The page client, from `createAuth0Client()`. */
  const auth0: Auth0Client;
  /** A server-side client, from `new AuthClient({ … })`. */
  const auth: AuthClient;
  /** The protocol functions' context, from `createClientContext({ … })`. */
  const context: ClientContext;
  /** A local tenant, from `createTenant()` or `startTenant()`. */
  const tenant: Tenant;
  /** The `mfa_token` of an `MfaRequiredError` (on the page: the worker's opaque handle). */
  const mfaToken: string;
  /** Tokens the app already holds (on a server: from its session store). */
  const accessToken: string;
  const refreshToken: string;
  /** The request a server is handling. */
  const request: Request;
  /** App code: show an authenticator enrollment (QR code of `otpauth://…`). */
  function showQrCode(barcodeUri: string, secret?: string): void;
  /** App code: ask the user for a one-time code. */
  function askForCode(): Promise<string>;
  /** App code: show the user (or that nobody is logged in). */
  function render(user: User | undefined): void;
}
