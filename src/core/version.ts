/** The package version; test/core/version.test.ts keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** The `Auth0-Client` telemetry header Auth0 SDKs send: base64 of `{ name, version }`. */
export function telemetryHeader(): Record<string, string> {
  return { 'auth0-client': btoa(JSON.stringify({ name: 'auth0-enclave', version: VERSION })) };
}
