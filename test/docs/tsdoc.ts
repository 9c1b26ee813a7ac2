// The public TSDoc checks behind test/docs/tsdoc.test.ts: which public exports lack a TSDoc
// comment, and which `@example` code blocks do not type-check. The API reference (`npm run docs`)
// is built from these comments, so a gap here is a gap a user meets there.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type TypeScript, ts } from './typescript.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** One public entry point: the specifier users import, its source, and the project that checks it. */
export interface Entry {
  specifier: string;
  file: string;
  tsconfig: string;
}

/** Every public export of both packages (package.json `exports`, minus `./package.json`). */
export const ENTRIES: readonly Entry[] = [
  { specifier: 'auth0-enclave', file: 'src/client/index.ts', tsconfig: 'src/client/tsconfig.json' },
  { specifier: 'auth0-enclave/worker', file: 'worker/index.ts', tsconfig: 'worker/tsconfig.json' },
  {
    specifier: 'auth0-enclave/core',
    file: 'src/core/index.ts',
    tsconfig: 'src/core/tsconfig.json',
  },
  {
    specifier: 'auth0-enclave/vite',
    file: 'src/vite/index.ts',
    tsconfig: 'src/vite/tsconfig.json',
  },
  {
    specifier: 'auth0-enclave-tenant',
    file: 'dev/tenant/src/index.ts',
    tsconfig: 'dev/tenant/tsconfig.json',
  },
  {
    specifier: 'auth0-enclave-tenant/resource-server',
    file: 'dev/tenant/src/resource-server.ts',
    tsconfig: 'dev/tenant/tsconfig.json',
  },
  {
    specifier: 'auth0-enclave-tenant/testing',
    file: 'dev/tenant/src/testing.ts',
    tsconfig: 'dev/tenant/tsconfig.json',
  },
];

/** Import specifiers in examples resolve to the sources, as the repository's tools do. */
export const SOURCE_PATHS: Record<string, string[]> = Object.fromEntries([
  ...ENTRIES.map((entry) => [entry.specifier, [join(REPO, entry.file)]]),
  // The framework bindings' examples compile against their sources too, not a built dist/.
  ['auth0-enclave/react', [join(REPO, 'src/react/index.ts')]],
  ['auth0-enclave/vue', [join(REPO, 'src/vue/index.ts')]],
]);

function compilerOptions(tsconfig: string): TypeScript.CompilerOptions {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(REPO, tsconfig), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfig}`);
  return parsed.options;
}

const programs = new Map<string, TypeScript.Program>();

/**
 * One program per project (the tenant's three entry points share one): reading the libs is most
 * of the cost, and vitest runs this next to timing-sensitive integration tests.
 */
function programFor(entry: Entry): TypeScript.Program {
  let program = programs.get(entry.tsconfig);
  if (!program) {
    const known = ENTRIES.some((known) => known.file === entry.file);
    const rootNames = (known ? ENTRIES : [entry])
      .filter((other) => other.tsconfig === entry.tsconfig)
      .map((other) => join(REPO, other.file));
    program = ts.createProgram({ rootNames, options: compilerOptions(entry.tsconfig) });
    if (known) programs.set(entry.tsconfig, program);
  }
  return program;
}

/** Whether a symbol's declarations carry a TSDoc summary (tags alone do not count). */
function documented(symbol: TypeScript.Symbol, checker: TypeScript.TypeChecker): boolean {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  return text.length > 0;
}

/** An export, or a public member of an exported class or interface, that lacks TSDoc. */
export interface Undocumented {
  entry: string;
  /** `name`, or `name.member` for a member. */
  name: string;
  kind: 'export' | 'class member' | 'interface member';
  /** `path:line` of its declaration. */
  file: string;
}

/**
 * The exports of an entry point, and the public members of its exported classes and interfaces,
 * that have no TSDoc summary.
 */
export function undocumentedExports(entry: Entry): Undocumented[] {
  const program = programFor(entry);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(join(REPO, entry.file));
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry.file} is not a module`);
  const missing: Undocumented[] = [];
  const where = (symbol: TypeScript.Symbol): string => {
    const declaration = symbol.declarations?.[0];
    if (!declaration) return '?';
    const file = declaration.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(declaration.getStart());
    return `${relative(REPO, file.fileName)}:${line + 1}`;
  };
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!documented(symbol, checker))
      missing.push({
        entry: entry.specifier,
        name: exported.name,
        kind: 'export',
        file: where(symbol),
      });
    if (!(symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface))) continue;
    const kind = symbol.flags & ts.SymbolFlags.Class ? 'class member' : 'interface member';
    for (const member of publicMembers(symbol, checker)) {
      if (!documented(member, checker))
        missing.push({
          entry: entry.specifier,
          name: `${exported.name}.${member.name}`,
          kind,
          file: where(member),
        });
    }
  }
  return missing;
}

/** Members declared on the class or interface itself (inherited ones are documented where declared). */
function publicMembers(
  symbol: TypeScript.Symbol,
  checker: TypeScript.TypeChecker,
): TypeScript.Symbol[] {
  const members: TypeScript.Symbol[] = [];
  const own = new Set(symbol.declarations ?? []);
  const add = (member: TypeScript.Symbol): void => {
    const declaration = member.declarations?.[0];
    if (!declaration || !own.has(declaration.parent as TypeScript.Declaration)) return;
    if (member.flags & ts.SymbolFlags.TypeParameter) return;
    if (member.name.startsWith('#') || member.name.startsWith('__')) return;
    const modifiers = ts.getCombinedModifierFlags(declaration);
    if (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return;
    if (ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal')) return;
    members.push(member);
  };
  symbol.members?.forEach((member) => {
    if (member.name !== '__constructor') add(member);
  });
  if (symbol.flags & ts.SymbolFlags.Class) {
    const constructorType = checker.getTypeOfSymbol(symbol);
    for (const member of checker.getPropertiesOfType(constructorType)) {
      if (member.name !== 'prototype') add(member);
    }
  }
  return members;
}

/** One fenced TypeScript code block of an `@example` tag. */
export interface Example {
  /** Where it is, `path:line` of the fence. */
  at: string;
  code: string;
}

/** The TypeScript code blocks of every `@example` tag in the TSDoc comments of a source text. */
export function examplesIn(path: string, text: string): Example[] {
  const examples: Example[] = [];
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const comment = match[0];
    if (!comment.includes('@example')) continue;
    const firstLine = text.slice(0, match.index).split('\n').length;
    const lines = comment.split('\n').map((line) => line.replace(/^\s*(\/\*\*|\*\/|\*) ?/, ''));
    let inExample = false;
    let fence: { language: string; start: number; code: string[] } | undefined;
    lines.forEach((line, index) => {
      if (fence) {
        if (line.trimStart().startsWith('```')) {
          if (inExample && /^(ts|typescript)$/.test(fence.language))
            examples.push({
              at: `${path}:${firstLine + fence.start}`,
              code: fence.code.join('\n'),
            });
          fence = undefined;
        } else fence.code.push(line);
        return;
      }
      const opening = /^\s*```(\w*)/.exec(line);
      if (opening) fence = { language: opening[1] ?? '', start: index, code: [] };
      else if (/^\s*@\w+/.test(line)) inExample = /^\s*@example\b/.test(line);
    });
  }
  return examples;
}

/** The TypeScript code blocks (```` ```ts ````) of a markdown document. */
export function examplesInMarkdown(path: string, text: string): Example[] {
  const examples: Example[] = [];
  let fence: { typescript: boolean; start: number; code: string[] } | undefined;
  text.split('\n').forEach((line, index) => {
    const marker = /^```(\w*)/.exec(line);
    if (!fence) {
      if (marker)
        fence = { typescript: /^(ts|typescript)$/.test(marker[1] ?? ''), start: index, code: [] };
      return;
    }
    if (!marker) {
      fence.code.push(line);
      return;
    }
    if (fence.typescript)
      examples.push({ at: `${path}:${fence.start + 1}`, code: fence.code.join('\n') });
    fence = undefined;
  });
  return examples;
}

/** The libraries an example is checked with: those of the code it documents. */
export interface ExampleEnvironment {
  name: string;
  lib: string[];
  types: string[];
}

const PAGE: ExampleEnvironment = {
  name: 'page',
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
};
const WORKER: ExampleEnvironment = {
  name: 'worker',
  lib: ['lib.es2022.d.ts', 'lib.webworker.d.ts'],
  types: [],
};
const NODE: ExampleEnvironment = {
  name: 'node',
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
};
const TENANT: ExampleEnvironment = { name: 'tenant', lib: ['lib.es2023.d.ts'], types: ['node'] };

/** Page code is checked with the DOM lib, the worker's with WebWorker, core's and the tenant's in Node. */
export function environmentOf(path: string): ExampleEnvironment {
  if (path.startsWith('src/client/')) return PAGE;
  if (path.startsWith('worker/')) return WORKER;
  if (path.startsWith('dev/tenant/')) return TENANT;
  return NODE;
}

/** A markdown example's environment, from the package it imports (the page client when none). */
export function environmentOfCode(code: string): ExampleEnvironment {
  if (code.includes("'auth0-enclave/worker'")) return WORKER;
  if (code.includes("'auth0-enclave-tenant")) return TENANT;
  if (code.includes("'auth0-enclave/core'") || code.includes("'auth0-enclave/vite'")) return NODE;
  return PAGE;
}

/** A type error in an example, with the example's location and the offending line. */
export interface ExampleError {
  at: string;
  message: string;
}

/**
 * Type-checks examples as modules of their own (top-level `await` allowed), importing the
 * packages by name. Besides their imports, examples may use the names declared in
 * test/docs/example-globals.d.ts (`auth0`, `auth`, `context`, `tenant` …): the objects an
 * example is about, which the surrounding documentation has already shown how to make.
 */
export function checkExamples(
  examples: readonly Example[],
  environment: ExampleEnvironment,
): ExampleError[] {
  if (examples.length === 0) return [];
  const base = compilerOptions('tsconfig.base.json');
  const options: TypeScript.CompilerOptions = {
    ...base,
    lib: environment.lib,
    types: environment.types,
    paths: SOURCE_PATHS,
    moduleDetection: ts.ModuleDetectionKind.Force,
    noEmit: true,
  };
  const dir = join(REPO, 'test/docs/.examples');
  const files = new Map<string, Example>();
  examples.forEach((example, index) => {
    files.set(join(dir, `example-${index}.ts`), example);
  });
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => files.has(file) || fileExists.call(host, file);
  host.readFile = (file) => files.get(file)?.code ?? readFile.call(host, file);
  host.getSourceFile = (file, language, ...rest) => {
    const example = files.get(file);
    if (example) return ts.createSourceFile(file, example.code, language, true);
    return getSourceFile.call(host, file, language, ...rest);
  };
  const globals = join(REPO, 'test/docs/example-globals.d.ts');
  const program = ts.createProgram({
    rootNames: [...files.keys(), globals],
    options,
    host,
  });
  const errors: ExampleError[] = [];
  for (const [file, example] of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`example ${example.at} was not compiled`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const diagnostic of diagnostics) {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const line =
        diagnostic.start === undefined
          ? 0
          : source.getLineAndCharacterOfPosition(diagnostic.start).line;
      const [path, fenceLine] = example.at.split(':');
      errors.push({
        at: `${path}:${Number(fenceLine) + line + 1}`,
        message: `${text}\n    ${example.code.split('\n')[line]?.trim() ?? ''}`,
      });
    }
  }
  return errors;
}

/** Every source file of both packages that TSDoc is read from. */
export function sourceFiles(): string[] {
  const files = new Set<string>();
  for (const entry of ENTRIES) {
    for (const source of programFor(entry).getSourceFiles()) {
      const path = relative(REPO, source.fileName);
      if (!path.startsWith('..') && !path.includes('node_modules')) files.add(path);
    }
  }
  return [...files].sort();
}

/** Reads a repository file. */
export function readSource(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}
