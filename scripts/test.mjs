// `npm test`: everything, in the order that fails fastest. CI (.ci/run) runs exactly this.
import { spawnSync } from 'node:child_process';
import { findBrowsers } from './find-browsers.mjs';

// E2E_ENGINES=chromium,firefox,webkit (default all three) limits the browser steps.
const browsers = findBrowsers();
const env = { ...process.env, ...browsers.env };
// Playwright projects (playwright.config.ts): `chromium` is the whole suite, `engine-<name>` the
// cross-engine scenarios in one engine.
const projects = [
  ...(browsers.engines.includes('chromium') ? ['--project=chromium'] : []),
  ...browsers.engines.map((engine) => `--project=engine-${engine}`),
];

const steps = [
  ['type-check', 'node', ['scripts/typecheck.mjs']],
  ['format + lint', 'npx', ['biome', 'ci', '.']],
  ['imports (no cycles, package boundaries)', 'node', ['scripts/check-imports.mjs']],
  ['bundle budgets + page purity', 'npx', ['tsx', 'scripts/budgets.ts']],
  ['package (build, publint, attw)', 'node', ['scripts/check-package.mjs']],
  ['migration corpus (spa-js app vs the built package)', 'node', ['scripts/check-migration.mjs']],
  ['unit + integration (vitest)', 'npx', ['vitest', 'run']],
  // One Playwright run: the whole suite in Chromium, then the cross-engine scenarios
  // (e2e/engines) in each selected engine — one run, so the servers start once and the
  // machine-wide browser lock (e2e/support/run-lock.ts) is taken once, not once per engine.
  [
    `browser (playwright: Chromium suite; e2e/engines in ${browsers.engines.join(', ')})`,
    'npx',
    ['playwright', 'test', ...projects],
  ],
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
