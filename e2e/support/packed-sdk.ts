import { execFileSync } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The SDK as its users get it: built, packed into a tarball and installed into a throwaway app,
// for the specs that must not touch this repository's sources (package, vite, the examples).

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The environment for a child tool: not the npm_config_* of the npm/npx that started this run (they point installs elsewhere). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
    ),
    ...extra,
  };
}

/** Runs a tool in `cwd`; a failure carries the tool's own output, so CI shows why. */
export function run(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): string {
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(env),
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`,
    );
  }
}

/** Builds the SDK and packs it into `dir`; returns the tarball's file name. */
export async function packSdk(dir: string): Promise<string> {
  run('node', ['scripts/build.mjs'], ROOT);
  run('npm', ['pack', '--pack-destination', dir, '--silent'], ROOT);
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  return tarball;
}

/**
 * Packs the SDK into `dir` and makes it a Vite app named `name` of `files`, with the tarball and
 * this repository's Vite version installed. Returns the app's own Vite (not npx, whose package
 * resolution misbehaves under a parent npx).
 */
export async function installViteApp(
  dir: string,
  app: { name: string; files: Record<string, string> },
): Promise<string> {
  const tarball = await packSdk(dir);
  const viteVersion = JSON.parse(
    run('npm', ['pkg', 'get', 'devDependencies.vite'], ROOT),
  ) as string;
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({
      name: app.name,
      private: true,
      type: 'module',
      // Vite as a plain dependency: under some parent npm environments an install omits
      // devDependencies, and this throwaway app has nothing to ship anyway.
      dependencies: { 'auth0-enclave': `file:./${tarball}`, vite: viteVersion },
    }),
  );
  for (const [name, text] of Object.entries(app.files)) await writeFile(join(dir, name), text);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], dir);
  return join(dir, 'node_modules', 'vite', 'bin', 'vite.js');
}
