// The tenant package as a user gets it: `npm pack` of dev/tenant (built by check-package.mjs),
// installed into an empty project, then its CLI started and asked for its discovery document,
// and each subpath export imported. Proves the tarball carries everything it needs to run on its
// own — its own dependencies, its compiled dist, a bin that does not need this repository.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Not the npm_config_* of the npm that started this run: they point installs elsewhere.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')),
);
const run = (command, args, cwd, extraEnv = {}) =>
  execFileSync(command, args, {
    cwd,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

const dir = await mkdtemp(join(tmpdir(), 'tenant-tarball-'));
try {
  const [{ filename }] = JSON.parse(
    run('npm', ['pack', '--json', '--pack-destination', dir], 'dev/tenant'),
  );
  await writeFile(join(dir, 'package.json'), '{ "name": "tenant-user", "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${filename}`], dir);
  run(
    'node',
    [
      '--input-type=module',
      '-e',
      `for (const path of ['auth0-enclave-tenant', 'auth0-enclave-tenant/resource-server', 'auth0-enclave-tenant/testing']) {
         const exports = Object.keys(await import(path));
         if (exports.length === 0) throw new Error(path + ' exports nothing');
       }`,
    ],
    dir,
  );
  // Starts the packed CLI and reads its discovery document. With --https, from a fresh Node
  // process that trusts the generated CA through the NODE_EXTRA_CA_CERTS line the CLI prints.
  const serve = (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(join(dir, 'node_modules/.bin/auth0-enclave-tenant'), args, {
        cwd: dir,
        env,
      });
      let out = '';
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the packed CLI printed no issuer in 15 s:\n${out}`));
      }, 15_000);
      child.stdout.on('data', async (chunk) => {
        out += chunk;
        if (!out.includes('Press Ctrl+C')) return;
        clearTimeout(timer);
        try {
          const url = `${/issuer\s+(\S+)/.exec(out)[1]}.well-known/openid-configuration`;
          const caFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(out)?.[1];
          const script = 'console.log((await (await fetch(process.argv[1])).json()).issuer)';
          resolve(
            run(
              'node',
              ['--input-type=module', '-e', script, url],
              dir,
              caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {},
            ).trim(),
          );
        } catch (error) {
          reject(error);
        } finally {
          child.kill();
        }
      });
      child.on('error', reject);
    });
  const issuer = await serve(['--port', '0']);
  const httpsIssuer = await serve(['--port', '0', '--https']);
  if (!httpsIssuer.startsWith('https://localhost:')) {
    throw new Error(`the packed CLI with --https served the issuer ${httpsIssuer}`);
  }
  console.log(
    `tenant tarball: installed on its own, all subpaths import, the CLI serves ${issuer} and, with --https, ${httpsIssuer}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
