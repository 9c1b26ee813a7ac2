#!/usr/bin/env node
// The `auth0-enclave-tenant` command. In the auth0-enclave repository (where src/ is present and
// nothing needs building) it runs the TypeScript source through tsx, a devDependency there, so
// `npx auth0-enclave-tenant` works straight after `npm install` and never runs a stale build.
// The published package ships no src/: there it runs the compiled dist/cli.js.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli.js', import.meta.url).href);
}
