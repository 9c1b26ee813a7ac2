// The published package as a user gets it: built, then checked by publint (exports, files,
// types) and by Are The Types Wrong (every subpath resolves, ESM-only by design).
import { spawnSync } from 'node:child_process';

const steps = [
  ['node', ['scripts/build.mjs']],
  ['npx', ['publint', '--strict']],
  ['npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
];
for (const [command, args] of steps) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`package check: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}
