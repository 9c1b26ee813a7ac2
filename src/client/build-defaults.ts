import type { Auth0ClientOptions } from './auth0-client.js';

/**
 * Options a build tool compiled in for {@link createAuth0Client}, under the caller's own. Empty in
 * the package as published: the Vite plugin (`auth0-enclave/vite`) replaces this module in the
 * app's build with the worker's URL and its public `domain` and `clientId`, so the page calls
 * `createAuth0Client()` with no arguments and still cannot be wired to another worker. Public
 * values only — the page can read everything here.
 */
export const BUILD_DEFAULTS: Readonly<Auth0ClientOptions> = {};
