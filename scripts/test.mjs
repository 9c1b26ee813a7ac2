// `npm test`: everything, in the order that fails fastest. CI (.ci/run) runs exactly this.
import { spawnSync } from 'node:child_process';
import { findChromium } from './find-chromium.mjs';

const chromium = findChromium();
const env = { ...process.env, CHROMIUM_PATH: chromium };

const steps = [
  ['type-check', 'node', ['scripts/typecheck.mjs']],
  ['format + lint', 'npx', ['biome', 'ci', '.']],
  ['bundle budgets + page purity', 'npx', ['tsx', 'scripts/budgets.ts']],
  ['package (build, publint, attw)', 'node', ['scripts/check-package.mjs']],
  ['migration corpus (spa-js app vs the built package)', 'node', ['scripts/check-migration.mjs']],
  ['unit + integration (vitest)', 'npx', ['vitest', 'run']],
  ['browser (playwright, Chromium)', 'npx', ['playwright', 'test']],
];

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n━━ ${name} ━━`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit', env });
  results.push({ name, ok: status === 0, ms: Date.now() - started });
  if (status !== 0) break;
}

console.log('\n━━ summary ━━');
for (const { name, ok, ms } of results)
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name} (${(ms / 1000).toFixed(1)} s)`);
const skipped = steps.slice(results.length).map(([name]) => name);
for (const name of skipped) console.log(`  skip ${name} (an earlier step failed)`);
process.exit(results.every((r) => r.ok) && skipped.length === 0 ? 0 : 1);
