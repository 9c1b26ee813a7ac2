import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultTenantOptions } from 'auth0-enclave-tenant';
import { useTenant } from 'auth0-enclave-tenant/testing';
import { afterAll, expect, test } from 'vitest';

// The README's server-side examples are scripts in examples/; these run them, unchanged,
// against a fresh local tenant with the demo setup, so the documentation cannot rot.
const run = promisify(execFile);
// The demo setup as `npm start` serves it: its clients only, no admin surface.
const tenant = await useTenant(
  { afterAll },
  { clients: defaultTenantOptions().clients, admin: false },
);

async function example(name: string): Promise<string> {
  const { stdout } = await run('npx', ['tsx', `examples/${name}`], {
    env: { ...process.env, TENANT_URL: tenant.url },
    timeout: 30_000,
  });
  return stdout;
}

test('examples/server-tokens.ts: client credentials, password, userinfo, refresh, revocation', async () => {
  const output = await example('server-tokens.ts');
  expect(output).toContain('client credentials: DPoP');
  expect(output).toContain('password grant: Alice Liddell — ID token verified, token type DPoP');
  expect(output).toContain('userinfo: alice@example.com');
  expect(output).toContain('refresh: rotated = true');
  expect(output).toContain('after revocation: invalid_grant');
});

test('examples/server-mfa.ts: mfa_required, OTP enrollment, verification', async () => {
  const output = await example('server-mfa.ts');
  expect(output).toContain('mfa_required:');
  expect(output).toContain('enrolled: an OTP authenticator');
  expect(output).not.toContain('otpauth://');
  expect(output).toContain('verified: Mia Factor — amr ["mfa"]');
});
