// `npm run build -w auth0-enclave-tenant`: ESM and .d.ts for every subpath export, into dist/.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
rmSync(`${here}dist`, { recursive: true, force: true });
const { status } = spawnSync('npx', ['tsc', '-p', `${here}tsconfig.build.json`], {
  stdio: 'inherit',
});
if (status !== 0) {
  console.error('build: auth0-enclave-tenant failed to compile');
  process.exit(1);
}
console.log('build: dev/tenant/dist/ written');
