// The migration corpus (test/migration/*.ts): typical @auth0/auth0-spa-js 2.27 code with only its
// import changed to `auth0-enclave`. Three checks, run by `npm test` after the package is built:
// 1. it compiles against the BUILT package (dist/, as an app's compiler sees it), so the only
//    lines that fail are the `// @ts-expect-error DELIBERATE:` ones (an unused directive fails too);
// 2. without those directives it compiles against spa-js's own typings: the corpus is real spa-js
//    code, not code bent to fit us;
// 3. every DELIBERATE reason is listed in MIGRATING.md, with its migration line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const corpus = join(root, 'test/migration');
const DELIBERATE = /^\s*\/\/ @ts-expect-error DELIBERATE: (.+?) — migration: (.+)$/;
let failed = false;
const fail = (message) => {
  console.error(`migration corpus: ${message}`);
  failed = true;
};

if (!existsSync(join(root, 'dist/src/client/index.d.ts'))) {
  const build = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

const tsc = (project) =>
  spawnSync('npx', ['tsc', '-p', project], { cwd: root, stdio: 'inherit' }).status === 0;

// 1. Against the built package.
if (!tsc('test/migration/tsconfig.json')) fail('does not compile against dist/ (see above)');

// 2. Against spa-js, DELIBERATE directives removed.
const files = readdirSync(corpus).filter((name) => name.endsWith('.ts'));
const reasons = [];
const scratch = mkdtempSync(join(tmpdir(), 'enclave-migration-'));
try {
  for (const name of files) {
    const lines = readFileSync(join(corpus, name), 'utf8').split('\n');
    const kept = lines.map((line) => {
      const match = DELIBERATE.exec(line);
      if (!match) {
        if (/^\s*\/\/ @ts-expect-error/.test(line))
          fail(`${name}: a @ts-expect-error without "DELIBERATE: <reason> — migration: <line>"`);
        return line;
      }
      reasons.push({ file: name, reason: match[1].trim() });
      return '';
    });
    writeFileSync(join(scratch, name), kept.join('\n'));
  }
  const base = join(root, 'test/migration/tsconfig.json');
  const config = JSON.parse(readFileSync(base, 'utf8').replace(/^\s*\/\/.*$/gm, ''));
  config.extends = join(root, 'tsconfig.base.json');
  config.compilerOptions.paths = {
    'auth0-enclave': [join(root, 'node_modules/@auth0/auth0-spa-js/dist/typings/index.d.ts')],
  };
  config.compilerOptions.typeRoots = [join(root, 'node_modules/@types')];
  config.include = ['*.ts'];
  writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(config));
  if (!tsc(scratch))
    fail('is not valid @auth0/auth0-spa-js code once DELIBERATE lines are dropped');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 3. Every deliberate difference is documented.
const migrating = readFileSync(join(root, 'MIGRATING.md'), 'utf8');
for (const { file, reason } of reasons) {
  if (!migrating.includes(reason)) fail(`${file}: MIGRATING.md does not list "${reason}"`);
}

console.log(
  `  ${failed ? 'FAIL' : 'ok  '} migration corpus: ${files.length} file(s), ${reasons.length} deliberate line(s)`,
);
process.exit(failed ? 1 : 0);
