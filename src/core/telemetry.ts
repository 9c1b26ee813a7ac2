import { assertObject, assertString } from './assert.js';
import { type TelemetryData, telemetryHeader } from './version.js';

/** auth-js 1.16's telemetry option: off, or on with another name and version. */
export type TelemetryConfig = { enabled: false } | ({ enabled?: true } & TelemetryData);

/**
 * The telemetry headers for a `telemetry` option: `false` or `{ enabled: false }` sends none,
 * `{ name, version }` names the caller, anything else names this SDK. Malformed: a TypeError.
 */
export function telemetryHeaders(
  telemetry: boolean | TelemetryConfig | undefined,
  name = 'options.telemetry',
): Record<string, string> {
  if (telemetry === undefined || telemetry === true) return telemetryHeader();
  if (telemetry === false) return {};
  assertObject(telemetry, name);
  for (const key of Object.keys(telemetry)) {
    if (!['enabled', 'name', 'version'].includes(key)) {
      throw new TypeError(`"${name}.${key}" is not a supported option`);
    }
  }
  if (telemetry.enabled === false) {
    if ('name' in telemetry || 'version' in telemetry) {
      throw new TypeError(`"${name}" cannot set a name or version when disabled`);
    }
    return {};
  }
  if (telemetry.enabled !== undefined && telemetry.enabled !== true) {
    throw new TypeError(`"${name}.enabled" must be a boolean`);
  }
  assertString(telemetry.name, `${name}.name`);
  assertString(telemetry.version, `${name}.version`);
  return telemetryHeader({ name: telemetry.name, version: telemetry.version });
}
