import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultTenantOptions, startTenant } from 'auth0-enclave-tenant';
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
// The same over TLS, as `npx auth0-enclave-tenant --https` serves it. (Not through useTenant:
// its warm-up fetch would not trust the generated CA; only the example's process does.)
const httpsTenant = await startTenant({ ...defaultTenantOptions(), port: 0, https: true });
afterAll(() => httpsTenant.close());

async function example(name: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run('npx', ['tsx', `examples/${name}`], {
    env: { ...process.env, TENANT_URL: tenant.url, ...env },
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

test('examples/server-https.ts: a bare domain (https) against the tenant over TLS', async () => {
  // Trusted the way the tenant's --https banner says: NODE_EXTRA_CA_CERTS, read at process start.
  const output = await example('server-https.ts', {
    TENANT_DOMAIN: `localhost:${httpsTenant.port}`,
    NODE_EXTRA_CA_CERTS: httpsTenant.caCertPath ?? '',
  });
  expect(output).toContain(`issuer: ${httpsTenant.issuer}`);
  expect(output).toContain('client credentials: Bearer scope read:notes write:notes');
  expect(output).toContain(
    `password grant: Alice Liddell — ID token verified against ${httpsTenant.issuer}`,
  );
  expect(output).toContain('userinfo: alice@example.com');
  expect(output).toContain('refresh: rotated = true');
  expect(output).toContain('revoked the refresh token');
});

test('examples/server-https.ts fails without the CA trusted', async () => {
  await expect(
    example('server-https.ts', { TENANT_DOMAIN: `localhost:${httpsTenant.port}` }),
  ).rejects.toThrow(/Discovery: the request failed/);
});
