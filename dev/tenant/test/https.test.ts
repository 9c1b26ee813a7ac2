// The tenant over HTTPS: `listen({ https: true })` and `--https` generate a certificate for
// localhost and tell how to trust it; `https: { cert, key }` and `--cert/--key` serve your own.
// Trust is given the two ways a user would: a CA passed to node:https, and NODE_EXTRA_CA_CERTS
// in a child process (Node reads it only at start).
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type StartedTenant, startTenant } from '../src/index.js';
import { generateLocalCertificate } from '../src/local-certificate.js';
import { ALICE, authorizeParams, authorizeUrl, transactionIdOf } from '../src/testing.js';

const CLI = fileURLToPath(new URL('../bin/auth0-enclave-tenant.js', import.meta.url));

/** One request over https, trusting `ca` (global fetch cannot be given a CA without undici). */
function request(
  url: string,
  ca: string,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      url,
      {
        ca,
        method: options.method ?? 'GET',
        headers:
          options.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

async function getJson(url: string, ca: string): Promise<Record<string, unknown>> {
  return JSON.parse((await request(url, ca)).body);
}

/** The issuer a fresh Node process reads from `url` with only NODE_EXTRA_CA_CERTS to trust. */
async function issuerSeenByChild(url: string, caFile: string | undefined): Promise<string> {
  const script = 'const r = await fetch(process.argv[1]); console.log((await r.json()).issuer);';
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script, url],
    {
      env: { ...process.env, ...(caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {}) },
      timeout: 15_000,
    },
  );
  return stdout.trim();
}

describe('listen({ https: true })', () => {
  let server: StartedTenant;
  beforeAll(async () => {
    server = await startTenant({ port: 0, https: true });
  });
  afterAll(() => server.close());

  it('serves TLS at an https issuer, with the CA certificate written to a file', async () => {
    expect(server.issuer).toBe(`https://localhost:${server.port}/`);
    expect(server.url).toBe(`https://localhost:${server.port}`);
    expect(server.caCertPath).toBeDefined();
    expect(await readFile(server.caCertPath ?? '', 'utf8')).toBe(server.caCert);
    expect(server.caCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const discovery = await getJson(
      `${server.issuer}.well-known/openid-configuration`,
      server.caCert ?? '',
    );
    expect(discovery.issuer).toBe(server.issuer);
    expect(discovery.token_endpoint).toBe(`${server.issuer}oauth/token`);
  });

  it('is trusted through NODE_EXTRA_CA_CERTS, and not without it', async () => {
    const url = `${server.issuer}.well-known/openid-configuration`;
    expect(await issuerSeenByChild(url, server.caCertPath)).toBe(server.issuer);
    await expect(issuerSeenByChild(url, undefined)).rejects.toThrow(/fetch failed/);
    // The same process without the CA: certificate verification fails.
    await expect(fetch(url)).rejects.toThrow(/fetch failed/);
  });

  it('logs in through the form over TLS and sets the session cookie Secure', async () => {
    const { params } = await authorizeParams({ client_id: 'sample-spa' });
    const page = await request(authorizeUrl(server.issuer, params), server.caCert ?? '');
    expect(page.status).toBe(200);
    const login = await request(`${server.issuer}u/login`, server.caCert ?? '', {
      method: 'POST',
      body: new URLSearchParams({ tx: transactionIdOf(page.body), ...ALICE }).toString(),
    });
    expect(login.status).toBe(302);
    const cookie = String(login.headers['set-cookie'] ?? '');
    expect(cookie).toMatch(/^enclave_tenant_session=.*; Secure/);
    expect(new URL(String(login.headers.location)).searchParams.get('iss')).toBe(server.issuer);
  });
});

describe('https options', () => {
  it('serves a certificate you pass, and writes no CA file', async () => {
    const pems = await generateLocalCertificate();
    const server = await startTenant({ port: 0, https: { cert: pems.cert, key: pems.key } });
    try {
      expect(server.issuer).toBe(`https://localhost:${server.port}/`);
      expect(server.caCertPath).toBeUndefined();
      const discovery = await getJson(`${server.issuer}.well-known/openid-configuration`, pems.ca);
      expect(discovery.issuer).toBe(server.issuer);
    } finally {
      await server.close();
    }
  });

  it('removes the CA file on close', async () => {
    const server = await startTenant({ port: 0, https: true });
    const path = server.caCertPath ?? '';
    expect(existsSync(path)).toBe(true);
    await server.close();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses non-PEM credentials and an http issuer served over https', async () => {
    await expect(
      createTenant().listen({ port: 0, https: { cert: 'not a pem', key: 'nor this' } }),
    ).rejects.toThrow('"https.cert" must be a PEM string');
    await expect(
      createTenant({ issuer: 'http://localhost:4000/' }).listen({ port: 0, https: true }),
    ).rejects.toThrow(/use an https issuer/);
    // A failed listen leaves the tenant free to listen again.
    const tenant = createTenant();
    await expect(tenant.listen({ port: 0, https: { cert: '', key: '' } })).rejects.toThrow();
    const server = await tenant.listen({ port: 0, https: true });
    await server.close();
  });
});

// The CLI starts through tsx; on a loaded two-core machine that can take a while.
describe('auth0-enclave-tenant --https', { timeout: 40_000 }, () => {
  it('prints the NODE_EXTRA_CA_CERTS line that makes Node trust it', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--https']);
    try {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      await expect.poll(() => output, { timeout: 25_000 }).toContain('Press Ctrl+C');
      const issuer = /issuer\s+(\S+)/.exec(output)?.[1] ?? '';
      expect(issuer).toMatch(/^https:\/\/localhost:\d+\/$/);
      const caFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(output)?.[1];
      expect(caFile).toBeDefined();
      expect(await issuerSeenByChild(`${issuer}.well-known/openid-configuration`, caFile)).toBe(
        issuer,
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });

  it('--cert/--key serve your own; one without the other is refused', async () => {
    const pems = await generateLocalCertificate();
    const dir = await mkdtemp(join(tmpdir(), 'tenant-tls-'));
    await writeFile(join(dir, 'cert.pem'), pems.cert);
    await writeFile(join(dir, 'key.pem'), pems.key);
    const lonely = await promisify(execFile)(process.execPath, [
      CLI,
      '--cert',
      join(dir, 'cert.pem'),
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(lonely).toMatchObject({ code: 1, stderr: expect.stringContaining('go together') });

    const child = spawn(process.execPath, [
      CLI,
      '--port',
      '0',
      '--cert',
      join(dir, 'cert.pem'),
      '--key',
      join(dir, 'key.pem'),
    ]);
    try {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      await expect.poll(() => output, { timeout: 25_000 }).toContain('Press Ctrl+C');
      expect(output).not.toContain('NODE_EXTRA_CA_CERTS');
      const issuer = /issuer\s+(\S+)/.exec(output)?.[1] ?? '';
      expect(issuer).toMatch(/^https:\/\//);
      const discovery = await getJson(`${issuer}.well-known/openid-configuration`, pems.ca);
      expect(discovery.issuer).toBe(issuer);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
