// The migration corpora: typical @auth0/auth0-spa-js 2.27 code with only its import changed to
// `auth0-enclave` (test/migration/*.ts), and a typical @auth0/auth0-react 2.x app with only its
// import changed to `auth0-enclave/react` (test/migration/react/*.tsx). Three checks each, run by
// `npm test` after the package is built:
// 1. it compiles against the BUILT package (dist/, as an app's compiler sees it), so the only
//    lines that fail are the `// @ts-expect-error DELIBERATE:` ones (an unused directive fails too);
// 2. without those directives it compiles against the incumbent's own typings: the corpus is real
//    spa-js / auth0-react code, not code bent to fit us;
// 3. every DELIBERATE reason is listed in MIGRATING.md, with its migration line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const DELIBERATE = /^\s*\/\/ @ts-expect-error DELIBERATE: (.+?) — migration: (.+)$/;
let failed = false;
const fail = (message) => {
  console.error(`migration corpus: ${message}`);
  failed = true;
};

if (!existsSync(join(root, 'dist/src/react/index.d.ts'))) {
  const build = spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
}

const tsc = (project) =>
  spawnSync('npx', ['tsc', '-p', project], { cwd: root, stdio: 'inherit' }).status === 0;

// Each corpus: its folder, its files, and the incumbent's typings its import means there.
const corpora = [
  {
    name: 'spa-js',
    dir: 'test/migration',
    ext: '.ts',
    theirs: {
      'auth0-enclave': [join(root, 'node_modules/@auth0/auth0-spa-js/dist/typings/index.d.ts')],
    },
  },
  {
    name: 'auth0-react',
    dir: 'test/migration/react',
    ext: '.tsx',
    theirs: {
      'auth0-enclave/react': [join(root, 'node_modules/@auth0/auth0-react/dist/index.d.ts')],
    },
  },
];

const reasons = [];
let fileCount = 0;
for (const corpus of corpora) {
  const folder = join(root, corpus.dir);
  // 1. Against the built package.
  if (!tsc(`${corpus.dir}/tsconfig.json`))
    fail(`${corpus.name}: does not compile against dist/ (see above)`);

  // 2. Against the incumbent's typings, DELIBERATE directives removed. The scratch folder is
  // inside node_modules so that `react` and friends resolve as they do for the corpus.
  const files = readdirSync(folder).filter((name) => name.endsWith(corpus.ext));
  fileCount += files.length;
  const scratch = mkdtempSync(join(root, 'node_modules', '.enclave-migration-'));
  try {
    for (const name of files) {
      const lines = readFileSync(join(folder, name), 'utf8').split('\n');
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
    const base = join(folder, 'tsconfig.json');
    const config = JSON.parse(readFileSync(base, 'utf8').replace(/^\s*\/\/.*$/gm, ''));
    config.extends = join(root, 'tsconfig.base.json');
    config.compilerOptions.paths = corpus.theirs;
    config.compilerOptions.typeRoots = [join(root, 'node_modules/@types')];
    config.include = [`*${corpus.ext}`];
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify(config));
    if (!tsc(scratch))
      fail(`${corpus.name}: is not valid ${corpus.name} code once DELIBERATE lines are dropped`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// 3. Every deliberate difference is documented.
const migrating = readFileSync(join(root, 'MIGRATING.md'), 'utf8');
for (const { file, reason } of reasons) {
  if (!migrating.includes(reason)) fail(`${file}: MIGRATING.md does not list "${reason}"`);
}

console.log(
  `  ${failed ? 'FAIL' : 'ok  '} migration corpora (spa-js, auth0-react): ${fileCount} file(s), ${reasons.length} deliberate line(s)`,
);
process.exit(failed ? 1 : 0);
