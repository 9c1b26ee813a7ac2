import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  checkExamples,
  ENTRIES,
  type Example,
  environmentOf,
  environmentOfCode,
  examplesIn,
  examplesInMarkdown,
  REPO,
  readSource,
  sourceFiles,
  type Undocumented,
  undocumentedExports,
} from './tsdoc.js';

// The API reference (`npm run docs`) is built from the public TSDoc; these tests keep it whole:
// every export documented, and every `@example` compiling against the sources, so an example
// cannot drift from the API it shows.

const missing: Undocumented[] = ENTRIES.flatMap((entry) => undocumentedExports(entry));
const list = (items: Undocumented[]): string =>
  items.map((item) => `${item.entry}: ${item.name} (${item.file})`).join('\n');

// Interface members (option fields, wire shapes) are documented in part today. The count may only
// go down: a new option or field gets its TSDoc. Lower this number when you document more.
const UNDOCUMENTED_INTERFACE_MEMBERS = 68;

describe('public TSDoc', () => {
  test('every public export of both packages has a TSDoc summary', () => {
    expect(list(missing.filter((item) => item.kind === 'export'))).toBe('');
  });

  test('every public method and property of an exported class has a TSDoc summary', () => {
    expect(list(missing.filter((item) => item.kind === 'class member'))).toBe('');
  });

  test(`at most ${UNDOCUMENTED_INTERFACE_MEMBERS} interface members lack TSDoc`, () => {
    const members = missing.filter((item) => item.kind === 'interface member');
    expect(members.length, `undocumented interface members:\n${list(members)}`).toBeLessThanOrEqual(
      UNDOCUMENTED_INTERFACE_MEMBERS,
    );
  });

  // One program per environment for both kinds of example: type-checking is the expensive part.
  test('every @example of the public TSDoc, and every TypeScript block of the README and docs/, compiles', {
    timeout: 180_000,
  }, () => {
    const documents = [
      'README.md',
      'dev/tenant/README.md',
      ...readdirSync(join(REPO, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`),
    ];
    const groups = new Map<ReturnType<typeof environmentOf>, Example[]>();
    const add = (environment: ReturnType<typeof environmentOf>, example: Example): void => {
      groups.set(environment, [...(groups.get(environment) ?? []), example]);
    };
    let fromTsdoc = 0;
    for (const path of sourceFiles()) {
      for (const example of examplesIn(path, readSource(path))) {
        add(environmentOf(path), example);
        fromTsdoc += 1;
      }
    }
    for (const path of documents) {
      for (const example of examplesInMarkdown(path, readSource(path)))
        add(environmentOfCode(example.code), example);
    }
    expect(fromTsdoc).toBeGreaterThan(50);
    expect([...groups.values()].flat().length - fromTsdoc).toBeGreaterThan(5);
    const errors = [...groups].flatMap(([environment, group]) => checkExamples(group, environment));
    expect(errors.map((error) => `${error.at}: ${error.message}`).join('\n')).toBe('');
  });
});

describe('the TSDoc checks notice', () => {
  test('an export without TSDoc, and a class member without it', () => {
    const found = undocumentedExports({
      specifier: 'fixture',
      file: 'test/docs/fixtures/undocumented.ts',
      tsconfig: 'tsconfig.base.json',
    });
    expect(found.map((item) => `${item.kind} ${item.name}`).sort()).toEqual([
      'class member Documented.bare',
      'export bare',
      'interface member Options.bare',
    ]);
  });

  test('an example that does not type-check, with its line', () => {
    const text = [
      '/**',
      ' * Says hello.',
      ' *',
      ' * @example',
      ' * ```ts',
      " * import { createAuth0Client } from 'auth0-enclave';",
      ' * const auth0: number = await createAuth0Client();',
      ' * ```',
      ' *',
      ' * ```sh',
      ' * not typescript: ignored',
      ' * ```',
      ' */',
      'export function hello(): void {}',
    ].join('\n');
    const examples = examplesIn('src/client/hello.ts', text);
    expect(examples.map((example) => example.at)).toEqual(['src/client/hello.ts:5']);
    const errors = checkExamples(examples, environmentOf('src/client/hello.ts'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.at).toBe('src/client/hello.ts:7');
    expect(errors[0]?.message).toMatch(/not assignable to type 'number'/);
  });

  test('only the TypeScript blocks of a markdown page', () => {
    const text = ['# Page', '```sh', 'npm start', '```', '', '```ts', 'const x = 1;', '```'].join(
      '\n',
    );
    expect(examplesInMarkdown('docs/page.md', text)).toEqual([
      { at: 'docs/page.md:6', code: 'const x = 1;' },
    ]);
  });

  test('a code block outside @example is not an example', () => {
    const text = '/**\n * Summary.\n * ```ts\n * broken(\n * ```\n */\nexport const x = 1;';
    expect(examplesIn('x.ts', text)).toEqual([]);
  });
});
