import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from 'auth0-enclave-tenant';
import { startAppServer } from '../../dev/app/server.js';
import { API_URL, AUDIENCE, TENANT_URL } from './environment.js';

// An example of examples/ as its user builds it: the example's own files, copied to a temp
// folder, with `auth0-enclave` installed from the PACKED tarball (nothing of this repository's
// sources), built by the example's own Vite, and served with the recommended headers against the
// local tenant and sample API.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a tool in `cwd`; a failure carries the tool's own output, so CI shows why. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // Not the npm_config_* of the npm/npx that started this run: they point installs elsewhere.
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
        ),
        ...env,
      },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`,
    );
  }
}

/** A built and served example. */
export interface PackedExample {
  origin: string;
  /** The example's build output. */
  dist: string;
  close(): Promise<void>;
}

/**
 * Packs the SDK, installs it into a copy of `examples/<name>`, builds the page and the worker
 * script with the worker config for `clientId` on `port`, and serves the result.
 */
export async function buildPackedExample(options: {
  name: 'react' | 'vue';
  port: number;
  clientId: string;
}): Promise<PackedExample> {
  const origin = `http://localhost:${options.port}`;
  const dir = await mkdtemp(join(tmpdir(), `auth0-enclave-example-${options.name}-`));
  let server: RunningServer | undefined;
  try {
    run('node', ['scripts/build.mjs'], ROOT);
    run('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
    const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack produced no tarball');
    const app = join(dir, 'app');
    await cp(join(ROOT, 'examples', options.name), app, {
      recursive: true,
      filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
    });
    const manifest = JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    // The tarball for the SDK; Vite as a plain dependency (under some parent npm environments an
    // install omits devDependencies, and this throwaway copy ships nothing).
    manifest.dependencies = {
      ...manifest.dependencies,
      ...manifest.devDependencies,
      'auth0-enclave': `file:../${tarball}`,
    };
    delete manifest.devDependencies;
    await writeFile(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
    // The example's .env points at `npm start`'s stack; the environment wins over it.
    const env = {
      VITE_AUTH0_DOMAIN: TENANT_URL,
      VITE_AUTH0_CLIENT_ID: options.clientId,
      VITE_API_URL: `${API_URL}/api`,
      VITE_API_AUDIENCE: AUDIENCE,
    };
    // The app's own Vite, not npx (whose package resolution misbehaves under a parent npx).
    const vite = join(app, 'node_modules', 'vite', 'bin', 'vite.js');
    run('node', [vite, 'build'], app, env);
    run('node', [vite, 'build', '-c', 'vite.worker.config.ts'], app, env);
    const dist = join(app, 'dist');
    server = await startAppServer({
      dir: dist,
      port: options.port,
      tenantOrigin: TENANT_URL,
      apiOrigins: [API_URL],
    });
    const running = server;
    return {
      origin,
      dist,
      async close() {
        await running.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Registers the example's client at the tenant (the tenant is reset before every test). */
export async function registerExampleClient(clientId: string, origin: string): Promise<void> {
  const response = await fetch(`${TENANT_URL}/__admin/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clientId,
      tokenEndpointAuthMethod: 'none',
      redirectUris: [`${origin}/callback`],
      allowedOrigins: [origin],
      allowedLogoutUrls: [origin, `${origin}/`],
      grantTypes: ['authorization_code', 'refresh_token'],
      dpop: 'required',
      dpopNonce: true,
    }),
  });
  if (!response.ok) throw new Error(`registering ${clientId}: HTTP ${response.status}`);
}
