import { createHash } from 'node:crypto';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spaClientAt } from 'auth0-enclave-tenant/testing';
import { startAppServer } from '../../dev/app/server.js';
import { tenantAdmin } from './admin-clients.js';
import { API_URL, AUDIENCE, TENANT_URL } from './environment.js';
import { packSdk, ROOT, run } from './packed-sdk.js';

// An example of examples/ as its user builds it: the example's own files, copied to a temp
// folder, with `auth0-enclave` installed from the PACKED tarball (nothing of this repository's
// sources), built by the example's own Vite, and served with the recommended headers against the
// local tenant and sample API.
/**
 * Builds, by what went into them: the same tarball, example sources and build environment give
 * the same build, so the Chromium specs and the cross-engine one (one test worker per engine)
 * share one build per example instead of installing and building it four times a run. The
 * worker's redirect_uri comes from its own origin, so one build serves on any port.
 */
const BUILDS = join(tmpdir(), 'auth0-enclave-packed-examples');

/** Whether `path` exists. */
async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A digest of every file under `dir` (names and contents), but installs and build output. */
async function digestTree(hash: ReturnType<typeof createHash>, dir: string, root = dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await digestTree(hash, path, root);
    else hash.update(`${relative(root, path)}\0`).update(await readFile(path));
  }
}

/** A built and served example. */
export interface PackedExample {
  origin: string;
  /** The example's build output (shared between runs of the same build: read only). */
  dist: string;
  close(): Promise<void>;
}

/**
 * Packs the SDK, installs it into a copy of `examples/<name>`, builds the page and the worker
 * script with the worker config for `clientId` (or reuses that very build), and serves it on
 * `port`.
 */
export async function buildPackedExample(options: {
  name: 'react' | 'vue';
  port: number;
  clientId: string;
}): Promise<PackedExample> {
  const dist = await packedBuild(options);
  const server = await startAppServer({
    dir: dist,
    port: options.port,
    tenantOrigin: TENANT_URL,
    apiOrigins: [API_URL],
  });
  return { origin: `http://localhost:${options.port}`, dist, close: () => server.close() };
}

/** Builds {@link buildPackedExample}'s example, or finds that build done; returns its output. */
async function packedBuild(options: { name: 'react' | 'vue'; clientId: string }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `auth0-enclave-example-${options.name}-`));
  try {
    const tarball = await packSdk(dir);
    // The example's .env points at `npm start`'s stack; the environment wins over it.
    const env = {
      VITE_AUTH0_DOMAIN: TENANT_URL,
      VITE_AUTH0_CLIENT_ID: options.clientId,
      VITE_API_URL: `${API_URL}/api`,
      VITE_API_AUDIENCE: AUDIENCE,
    };
    const source = join(ROOT, 'examples', options.name);
    const digest = createHash('sha256')
      .update(await readFile(join(dir, tarball)))
      .update(JSON.stringify(env));
    await digestTree(digest, source);
    const done = join(BUILDS, `${options.name}-${digest.digest('hex').slice(0, 24)}`);
    if (await exists(join(done, 'auth-worker.js'))) {
      // Used again now: not one for pruneOldBuilds to take.
      await utimes(done, new Date(), new Date());
      return done;
    }

    const app = join(dir, 'app');
    await cp(source, app, {
      recursive: true,
      filter: (path) => !/[\\/](node_modules|dist)$/.test(path),
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
    // The app's own Vite, not npx (whose package resolution misbehaves under a parent npx).
    const vite = join(app, 'node_modules', 'vite', 'bin', 'vite.js');
    run('node', [vite, 'build'], app, env);
    run('node', [vite, 'build', '-c', 'vite.worker.config.ts'], app, env);
    await pruneOldBuilds();
    // Into place in one step: a run that built the same at the same time (another worktree)
    // has put an identical build there first, and that one is kept.
    const staging = `${done}.${process.pid}`;
    await cp(join(app, 'dist'), staging, { recursive: true });
    await rename(staging, done).catch(async (error: unknown) => {
      await rm(staging, { recursive: true, force: true });
      if (!(await exists(join(done, 'auth-worker.js')))) throw error;
    });
    return done;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Builds unused for a day go (a run serving one used it when it started, within the day). */
async function pruneOldBuilds(): Promise<void> {
  await mkdir(BUILDS, { recursive: true });
  for (const name of await readdir(BUILDS)) {
    const path = join(BUILDS, name);
    const { mtimeMs } = await stat(path);
    if (Date.now() - mtimeMs > 24 * 60 * 60_000) await rm(path, { recursive: true, force: true });
  }
}

/** Registers the example's client at the tenant (the tenant is reset before every test). */
export async function registerExampleClient(clientId: string, origin: string): Promise<void> {
  await tenantAdmin.upsertClient(
    spaClientAt(origin, clientId, { allowedLogoutUrls: [origin, `${origin}/`] }),
  );
}
