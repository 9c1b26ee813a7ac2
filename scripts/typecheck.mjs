// Type-checks every half of the project with the lib of the runtime it runs in. One tsconfig
// cannot do this: the DOM and WebWorker libs conflict, and src/core must be proven to need neither
// window nor Node.
import { spawnSync } from 'node:child_process';

const projects = [
  ['src/core/tsconfig.json', 'src/core — no DOM, no Node types'],
  ['worker/tsconfig.json', 'worker/ — the service worker (WebWorker lib)'],
  ['src/client/tsconfig.json', 'src/client — the page (DOM lib)'],
  ['src/react/tsconfig.json', 'src/react — auth0-enclave/react (DOM lib, react-jsx)'],
  ['src/vue/tsconfig.json', 'src/vue — auth0-enclave/vue (DOM lib)'],
  ['src/vite/tsconfig.json', 'src/vite — the Vite plugin (Node)'],
  ['dev/tenant/tsconfig.json', 'dev/tenant — the tenant package (Node, no DOM lib)'],
  ['dev/tenant/test/tsconfig.json', "dev/tenant/test — the tenant package's tests"],
  ['dev/app/tsconfig.json', 'dev/app — the sample app page (DOM lib)'],
  ['dev/app/tsconfig.worker.json', 'dev/app — the sample app worker script (WebWorker lib)'],
  [
    'examples/react/tsconfig.repo.json',
    'examples/react — the React example page (DOM lib, react-jsx)',
  ],
  ['examples/react/tsconfig.worker.json', 'examples/react — its worker script (WebWorker lib)'],
  ['examples/vue/tsconfig.repo.json', 'examples/vue — the Vue example page (DOM lib)'],
  ['examples/vue/tsconfig.worker.json', 'examples/vue — its worker script (WebWorker lib)'],
  ['tsconfig.json', 'Node side — sample API, tests, scripts, benchmarks'],
];

let failed = false;
for (const [project, what] of projects) {
  const started = Date.now();
  const result = spawnSync('npx', ['tsc', '-p', project], { stdio: 'inherit' });
  const ok = result.status === 0;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what} (${project}, ${Date.now() - started} ms)`);
  failed ||= !ok;
}
process.exit(failed ? 1 : 0);
