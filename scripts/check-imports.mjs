// The import rules of the house (issue 16), checked on the sources as written:
// (a) no import cycle among the relative imports of src/, worker/ and dev/tenant/src — a cycle
//     is the sign of a module doing two jobs (it was `session → passkey → login → session`);
//     type-only imports count, because they tie the modules' designs together all the same;
// (b) dev/tenant/** imports nothing outside dev/tenant but npm packages (the SDK included): an
//     SDK bug must not hide in code the tenant shares;
// (c) dev/api reaches the tenant only through its public exports `auth0-enclave-tenant` and
//     `auth0-enclave-tenant/resource-server`;
// (d) the page side (src/client, src/rpc) imports nothing of worker/ or dev/;
// (e) src/core imports nothing of src/client, src/rpc or worker/: it runs anywhere;
// (f) the framework bindings (src/react, src/vue, and src/bindings, which they share) reach the
//     SDK only through the public page client, by package name (`auth0-enclave`), so the app and
//     its binding share one client module; beside it, only their framework, files of their own
//     folder and src/bindings;
// (g) src/vite (the Node-side Vite plugin) reaches the SDK only through src/core and the worker's
//     config validator (worker/config.ts), and no package but `vite` and Node's builtins: it
//     replaces a page module by path and never imports page code;
// (h) the browser halves (src/core, src/client, src/rpc, worker/) import nothing of src/vite or
//     `vite`: the plugin's Node code must never reach a bundle.
//
// Plain Node, no dependency. TypeScript 7 (the installed compiler) has no JavaScript parser API
// (`ts.preProcessFile` is gone with the Go port), so specifiers are read with regular
// expressions anchored at the start of a line, which comment lines (` * import …`) do not match.
// `node scripts/check-imports.mjs [--root DIR]`; exits 1 and prints every finding.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders whose files are read, relative to the root. */
const SCANNED = ['src', 'worker', 'dev'];
/** Folders whose relative imports must not form a cycle. */
const ACYCLIC = ['src', 'worker', 'dev/tenant/src'];
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git']);

// `import … from '…'`, `export … from '…'`, `import type …`: only names, braces, commas, `*`,
// `as` and whitespace may stand between the keyword and `from` — so `export const a = '…'` and
// prose are not taken for an import.
const FROM = /^[ \t]*(?:import|export)\s+(?:type\s+)?[\w$*{}\s,]*?\bfrom\s*(['"])([^'"\n]+)\1/gm;
const BARE_IMPORT = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/**
 * The module specifiers a source file imports or re-exports, in order of appearance.
 * @param {string} source
 * @returns {string[]}
 */
export function importSpecifiers(source) {
  const found = [];
  for (const pattern of [FROM, BARE_IMPORT, DYNAMIC]) {
    for (const match of source.matchAll(pattern)) {
      if (pattern === DYNAMIC && inComment(source, match.index)) continue;
      found.push({ at: match.index, specifier: match[2] });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((item) => item.specifier);
}

/** Whether the line holding `index` is a comment line (`//`, `/*`, ` * `). */
function inComment(source, index) {
  const lineStart = source.lastIndexOf('\n', index) + 1;
  const before = source.slice(lineStart, index).trimStart();
  return /^(?:\/\/|\/\*|\*)/.test(before) || before.includes('//');
}

/** Every source file under `dir`, as paths relative to `root` with `/` separators. */
function walk(root, dir) {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  const files = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...walk(root, relative));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(relative);
    }
  }
  return files;
}

/**
 * The file a relative specifier names, as TypeScript's NodeNext resolution finds it from
 * sources: `./x.js` is `./x.ts`, `./x.mjs` is `./x.mts`; a folder is its `index`.
 */
function resolveRelative(root, from, specifier) {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const stem = target.replace(/\.[cm]?js$/, '');
  const ext = target.slice(stem.length);
  const candidates = [
    target,
    ...(ext ? [`${stem}${ext.replace('js', 'ts')}`, `${stem}.tsx`] : []),
    `${target}.ts`,
    `${target}.tsx`,
    `${target}/index.ts`,
  ];
  return candidates.find((candidate) => {
    const absolute = path.join(root, candidate);
    return existsSync(absolute) && statSync(absolute).isFile();
  });
}

const under = (file, dir) => file === dir || file.startsWith(`${dir}/`);

/**
 * The import graph: every scanned file with what it imports, relative imports resolved to files
 * (`target`), package imports kept by name (`pkg`).
 * @param {string} root
 */
export function readGraph(root) {
  const files = SCANNED.flatMap((dir) => walk(root, dir));
  const edges = [];
  for (const file of files) {
    const source = readFileSync(path.join(root, file), 'utf8');
    for (const specifier of importSpecifiers(source)) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const target = specifier.startsWith('/')
          ? undefined
          : resolveRelative(root, file, specifier);
        edges.push({ from: file, specifier, target, unresolved: target === undefined });
      } else {
        edges.push({ from: file, specifier, pkg: specifier });
      }
    }
  }
  return { files, edges };
}

/**
 * The import cycles among files of the `ACYCLIC` folders: for every strongly connected
 * component, the shortest cycle through each of its files, without repeats. A cycle is printed
 * as the files it passes, first file repeated at the end.
 */
export function findCycles(graph) {
  const inScope = (file) => ACYCLIC.some((dir) => under(file, dir));
  const next = new Map();
  for (const edge of graph.edges) {
    if (!edge.target || !inScope(edge.from) || !inScope(edge.target)) continue;
    if (!next.has(edge.from)) next.set(edge.from, new Set());
    next.get(edge.from).add(edge.target);
  }
  const cycles = [];
  const seen = new Set();
  for (const component of stronglyConnected(next)) {
    const members = new Set(component);
    for (const start of component) {
      const cycle = shortestCycle(next, members, start);
      if (!cycle) continue;
      const key = canonical(cycle);
      if (seen.has(key)) continue;
      seen.add(key);
      cycles.push([...cycle, cycle[0]]);
    }
  }
  return cycles;
}

/** Tarjan's algorithm, iteratively (a deep chain of imports must not overflow the stack). */
function stronglyConnected(next) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let counter = 0;
  for (const root of next.keys()) {
    if (index.has(root)) continue;
    const work = [{ node: root, children: [...(next.get(root) ?? [])], i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++];
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, children: [...(next.get(child) ?? [])], i: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(child)));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node), low.get(frame.node)));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = next.get(frame.node)?.has(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

/** Breadth-first: the shortest path from `start` back to itself inside `members`. */
function shortestCycle(next, members, start) {
  const parent = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const child of next.get(node) ?? []) {
      if (!members.has(child)) continue;
      if (child === start) {
        const path = [node];
        for (let at = parent.get(node); at !== undefined; at = parent.get(at)) path.unshift(at);
        return path;
      }
      if (!parent.has(child)) {
        parent.set(child, node);
        queue.push(child);
      }
    }
  }
  return undefined;
}

/** The same cycle whichever file it is read from. */
function canonical(cycle) {
  let best = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[best]) best = i;
  return [...cycle.slice(best), ...cycle.slice(0, best)].join(' → ');
}

/** A package specifier's package name (`@scope/name` or `name`). */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const SDK = 'auth0-enclave';
const VITE_PLUGIN_MAY_IMPORT = new Set(['worker/config.ts']);
const BROWSER_HALVES = ['src/core', 'src/client', 'src/rpc', 'worker'];
const TENANT = 'auth0-enclave-tenant';
const TENANT_PUBLIC = new Set([TENANT, `${TENANT}/resource-server`]);
/** The framework bindings, each with the one framework package it may import (rule f). */
const BINDINGS = [
  ['src/react', 'react'],
  ['src/vue', 'vue'],
  // What the bindings share (the login-return rule): the same rule, and no framework.
  ['src/bindings', undefined],
];
/** The folder of code every binding shares. */
const SHARED_BINDINGS = 'src/bindings';

/**
 * Rules (b)–(e), and relative imports that name no file (which would hide an edge from the
 * cycle check). Each finding is one line naming the file, the specifier and the rule.
 */
export function findViolations(graph) {
  const found = [];
  const report = (edge, rule) => found.push(`${edge.from}: imports '${edge.specifier}' — ${rule}`);
  for (const edge of graph.edges) {
    const { from, target, pkg } = edge;
    if (edge.unresolved) {
      report(edge, 'names no file (a relative import must resolve, from the sources)');
      continue;
    }
    const name = pkg === undefined ? undefined : packageName(pkg);
    if (under(from, 'dev/tenant')) {
      if (target !== undefined && !under(target, 'dev/tenant')) {
        report(edge, 'the tenant package imports nothing outside dev/tenant');
      } else if (name === SDK) {
        report(edge, 'the tenant package imports nothing from the SDK');
      }
    }
    if (under(from, 'dev/api')) {
      if (target !== undefined && under(target, 'dev/tenant')) {
        report(edge, `dev/api reaches the tenant only through ${[...TENANT_PUBLIC].join(' or ')}`);
      } else if (name === TENANT && !TENANT_PUBLIC.has(pkg)) {
        report(edge, `dev/api reaches the tenant only through ${[...TENANT_PUBLIC].join(' or ')}`);
      }
    }
    if (under(from, 'src/client') || under(from, 'src/rpc')) {
      if (
        (target !== undefined && (under(target, 'worker') || under(target, 'dev'))) ||
        pkg === `${SDK}/worker` ||
        name === TENANT
      ) {
        report(edge, 'the page side (src/client, src/rpc) imports nothing of worker/ or dev/');
      }
    }
    const binding = BINDINGS.find(([dir]) => under(from, dir));
    if (binding) {
      const [dir, framework] = binding;
      const allowed =
        target !== undefined
          ? under(target, dir) || under(target, SHARED_BINDINGS)
          : pkg === SDK || name === framework;
      if (!allowed) {
        report(
          edge,
          `${dir} imports only '${SDK}' (the public page client), ${framework ?? 'no framework'}, its own files and ${SHARED_BINDINGS}`,
        );
      }
    }
    if (under(from, 'src/core')) {
      if (
        (target !== undefined &&
          ['src/client', 'src/rpc', 'worker', 'dev'].some((dir) => under(target, dir))) ||
        pkg === SDK ||
        pkg === `${SDK}/worker` ||
        name === TENANT
      ) {
        report(edge, 'src/core imports nothing of src/client, src/rpc, worker/ or dev/');
      }
    }
    if (under(from, 'src/vite')) {
      const outside =
        target !== undefined &&
        !under(target, 'src/vite') &&
        !under(target, 'src/core') &&
        !VITE_PLUGIN_MAY_IMPORT.has(target);
      const foreign = name !== undefined && name !== 'vite' && !name.startsWith('node:');
      if (outside || foreign) {
        report(edge, "src/vite imports only src/core, worker/config.ts, 'vite' and node: builtins");
      }
    }
    if (BROWSER_HALVES.some((dir) => under(from, dir))) {
      if (
        (target !== undefined && under(target, 'src/vite')) ||
        name === 'vite' ||
        pkg === `${SDK}/vite`
      ) {
        report(edge, 'the browser halves import nothing of src/vite or vite');
      }
    }
  }
  return found;
}

/** Runs every check on the tree at `root`. */
export function checkImports(root) {
  const graph = readGraph(root);
  return {
    files: graph.files.length,
    cycles: findCycles(graph),
    violations: findViolations(graph),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--root');
  const root = path.resolve(
    flag === -1
      ? path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
      : process.argv[flag + 1],
  );
  const { files, cycles, violations } = checkImports(root);
  for (const cycle of cycles) console.error(`import cycle: ${cycle.join(' → ')}`);
  for (const violation of violations) console.error(violation);
  if (cycles.length > 0 || violations.length > 0) {
    console.error(
      `check-imports: ${cycles.length} cycle(s), ${violations.length} rule violation(s) in ${files} files`,
    );
    process.exit(1);
  }
  console.log(`check-imports: ${files} files, no cycles, no rule violations`);
}
