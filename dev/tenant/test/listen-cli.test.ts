import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createTenant, startTenant } from '../src/index.js';

const CLI = [fileURLToPath(new URL('../bin/auth0-enclave-tenant.js', import.meta.url))];

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [...CLI, ...args], { timeout: 15_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('listen', () => {
  it('rejects plainly when the port is taken', async () => {
    const first = await startTenant({ port: 0 });
    try {
      await expect(createTenant().listen({ port: first.port })).rejects.toThrow(
        `port ${first.port} is already in use`,
      );
    } finally {
      await first.close();
    }
  });

  it('uses a configured issuer as is, and refuses http for other hosts', async () => {
    const tenant = createTenant({ issuer: 'https://tenant.example' });
    expect(tenant.issuer()).toBe('https://tenant.example/');
    expect(() => createTenant({ issuer: 'http://tenant.example/' })).toThrow(
      /http only for localhost/,
    );
    expect(() => createTenant({ issuer: 'https://tenant.example/path/' })).toThrow(
      /origin followed by/,
    );
    expect(() => createTenant().issuer()).toThrow(/no issuer yet/);
    await expect(createTenant().listen({ port: 0, hostname: '192.0.2.1' })).rejects.toThrow(
      /https "options.issuer"/,
    );
  });

  it('serves in process through app.request when an issuer is configured', async () => {
    const tenant = createTenant({ issuer: 'http://localhost:4000/' });
    const response = await tenant.app.request('/.well-known/openid-configuration');
    expect((await response.json()).token_endpoint).toBe('http://localhost:4000/oauth/token');
  });

  it('names the faulty option in configuration errors', () => {
    expect(() =>
      createTenant({
        clients: [{ clientId: 'x', tokenEndpointAuthMethod: 'none', redirectUris: ['/relative'] }],
      }),
    ).toThrow('"options.clients[0].redirectUris[0]" must be an absolute URL');
    expect(() => createTenant({ codeLifetimeSeconds: 0 })).toThrow('"options.codeLifetimeSeconds"');
  });
});

describe('auth0-enclave-tenant CLI', () => {
  it('--help explains the options', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const option of ['--port', '--host', '--config', '--admin', '--https', '--cert', '--help'])
      expect(stdout).toContain(option);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const first = await startTenant({ port: 0 });
    try {
      const { code, stderr } = await runCli(['--port', String(first.port)]);
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${first.port} is already in use`);
    } finally {
      await first.close();
    }
  });

  it('exits 1 on an unknown option or a bad config file', async () => {
    expect((await runCli(['--bogus'])).code).toBe(1);
    const dir = await mkdtemp(join(tmpdir(), 'tenant-cli-'));
    const config = join(dir, 'tenant.json');
    await writeFile(
      config,
      JSON.stringify({ users: [{ user_id: 'u', email: 'not-an-email', password: 'p' }] }),
    );
    const { code, stderr } = await runCli(['--port', '0', '--config', config]);
    expect(code).toBe(1);
    expect(stderr).toContain('"options.users[0].email"');
  });

  it('starts, prints the issuer, clients and users, and serves a config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tenant-cli-'));
    const config = join(dir, 'tenant.json');
    await writeFile(
      config,
      JSON.stringify({
        users: [{ user_id: 'auth0|zed', email: 'zed@example.com', password: 'zzz' }],
      }),
    );
    const child = spawn(process.execPath, [...CLI, '--port', '0', '--admin', '--config', config]);
    try {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
      });
      await expect.poll(() => output, { timeout: 10_000 }).toContain('Press Ctrl+C');
      expect(output).toContain('sample-spa');
      expect(output).toContain('zed@example.com / zzz');
      expect(output).not.toContain('alice@example.com');
      const issuer = /issuer\s+(\S+)/.exec(output)?.[1] ?? '';
      expect(issuer).toMatch(/^http:\/\/localhost:\d+\/$/);
      expect((await fetch(`${issuer}__admin/tokens`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
