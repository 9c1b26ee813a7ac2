// `npm run build`: ESM and .d.ts for every subpath export, into dist/. Each half is compiled with
// the lib of the runtime it runs in (see scripts/typecheck.mjs), so none borrows another's globals.
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';

const projects = ['src/core', 'src/worker', 'src/client', 'src/tenant'];

rmSync('dist', { recursive: true, force: true });
for (const project of projects) {
  const { status } = spawnSync(
    'npx',
    [
      'tsc',
      '-p',
      `${project}/tsconfig.json`,
      '--noEmit',
      'false',
      '--declaration',
      '--outDir',
      'dist',
      '--rootDir',
      'src',
    ],
    { stdio: 'inherit' },
  );
  if (status !== 0) {
    console.error(`build: ${project} failed to compile`);
    process.exit(1);
  }
}
chmodSync('dist/tenant/cli.js', 0o755);
console.log(`build: dist/ written (${projects.join(', ')})`);
