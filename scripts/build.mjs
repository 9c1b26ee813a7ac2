// `npm run build`: ESM and .d.ts for every subpath export of the SDK package, into dist/. Each
// half is compiled with the lib of the runtime it runs in (see scripts/typecheck.mjs), so none
// borrows another's globals. The tenant package builds itself (dev/tenant/build.mjs).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const projects = ['src/core', 'worker', 'src/client', 'src/react', 'src/vue', 'src/vite'];

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
      '.',
    ],
    { stdio: 'inherit' },
  );
  if (status !== 0) {
    console.error(`build: ${project} failed to compile`);
    process.exit(1);
  }
}
console.log(`build: dist/ written (${projects.join(', ')})`);
