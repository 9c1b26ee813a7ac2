// `npm test`: everything, in the order that fails fastest. CI (.ci/run) runs exactly this.
import { spawnSync } from 'node:child_process';
import { findBrowsers } from './find-browsers.mjs';

// E2E_ENGINES=chromium,firefox,webkit (default all three) limits the browser steps.
const browsers = findBrowsers();
const env = { ...process.env, ...browsers.env };
const has = (engine) => browsers.engines.includes(engine);

const steps = [
  ['type-check', 'node', ['scripts/typecheck.mjs']],
  ['format + lint', 'npx', ['biome', 'ci', '.']],
  ['bundle budgets + page purity', 'npx', ['tsx', 'scripts/budgets.ts']],
  ['package (build, publint, attw)', 'node', ['scripts/check-package.mjs']],
  ['unit + integration (vitest)', 'npx', ['vitest', 'run']],
  // The whole Playwright suite in Chromium, and the cross-engine scenarios (e2e/engines) once per
  // engine, each its own step so the summary shows what every engine adds.
  ...(has('chromium')
    ? [
        [
          'browser (playwright, Chromium)',
          'npx',
          ['playwright', 'test', '--project=chromium', '--project=engine-chromium'],
        ],
      ]
    : []),
  ...(has('firefox')
    ? [
        [
          'browser (e2e/engines, Firefox ESR)',
          'npx',
          ['playwright', 'test', '--project=engine-firefox'],
        ],
      ]
    : []),
  ...(has('webkit')
    ? [
        [
          'browser (e2e/engines, WebKitGTK)',
          'npx',
          ['playwright', 'test', '--project=engine-webkit'],
        ],
      ]
    : []),
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
