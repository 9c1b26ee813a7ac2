/** The package version; test/core/version.test.ts keeps it equal to package.json's. */
export const VERSION = '0.1.0';

/** Who the `Auth0-Client` header says is calling; defaults to this SDK. */
export interface TelemetryData {
  /** The SDK's package name, e.g. `auth0-enclave`. */
  name: string;
  /** The SDK's version, e.g. `0.1.0`. */
  version: string;
}

/** The `Auth0-Client` telemetry header Auth0 SDKs send: base64 of `{ name, version }`. */
export function telemetryHeader(
  data: TelemetryData = { name: 'auth0-enclave', version: VERSION },
): Record<string, string> {
  return { 'auth0-client': btoa(JSON.stringify({ name: data.name, version: data.version })) };
}
