import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { telemetryHeader, VERSION } from '../../src/core/version.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

test('VERSION equals package.json version', () => {
  expect(VERSION).toBe(pkg.version);
});

test('the telemetry header is base64 JSON of the package name and version', () => {
  const header = telemetryHeader()['auth0-client'];
  expect(header).toBeDefined();
  expect(JSON.parse(atob(header ?? ''))).toEqual({ name: pkg.name, version: pkg.version });
});
