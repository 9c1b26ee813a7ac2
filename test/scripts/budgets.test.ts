import { describe, expect, test } from 'vitest';
import type { Bundle } from '../../bench/bundle-size.js';
import { BUDGETS, check } from '../../scripts/budgets.js';

// The budget check guards the promise that the page bundle holds no token, signing or
// IndexedDB code; these tests prove it would notice.
const page = BUDGETS.find((budget) => budget.id === 'page-all');
const worker = BUDGETS.find((budget) => budget.id === 'worker');

function fake(overrides: Partial<Bundle>): Bundle {
  const size = { minified: 1000, gzip: 500 };
  return {
    initial: size,
    all: size,
    chunks: [],
    text: 'export{}',
    inputs: [
      'src/client/index.ts',
      'src/core/errors.ts',
      'node_modules/comlink/dist/esm/comlink.mjs',
    ],
    ...overrides,
  };
}

describe('the budget check', () => {
  test('passes a clean page bundle within its ceiling', () => {
    expect(page && check(page, fake({}))).toEqual([]);
  });

  test('fails a bundle over its ceiling', () => {
    if (!page) throw new Error('no page budget');
    const over = { minified: 1, gzip: page.ceiling + 1 };
    expect(check(page, fake({ initial: over, all: over }))).toHaveLength(1);
  });

  test('counts the chunks its budget names: the initial ones for one import', () => {
    const minimal = BUDGETS.find((budget) => budget.id === 'page-min');
    if (!minimal) throw new Error('no page-min budget');
    const lazyOver = { minified: 1, gzip: minimal.ceiling + 1 };
    expect(check(minimal, fake({ all: lazyOver }))).toEqual([]);
    expect(check(minimal, fake({ initial: lazyOver }))).toHaveLength(1);
  });

  test.each([
    'node_modules/jose/dist/webapi/jwt/sign.js',
    'node_modules/idb/build/index.js',
    'worker/session.ts',
    'src/core/token-request.ts',
    'src/core/grants/refresh-token.ts',
    'dev/tenant/src/index.ts',
  ])('fails a page bundle containing %s', (input) => {
    if (!page) throw new Error('no page budget');
    const problems = check(page, fake({ inputs: ['src/client/index.ts', input] }));
    expect(problems.join('\n')).toContain(input);
  });

  test.each([
    'body.set("grant_type","refresh_token")',
    'x.code_verifier',
    'indexedDB.open("a")',
    'crypto.subtle.sign(k,d)',
    '{typ:"dpop+jwt"}',
    'params.refresh_token',
  ])('fails a page bundle whose code contains %s', (text) => {
    if (!page) throw new Error('no page budget');
    expect(check(page, fake({ text }))).not.toEqual([]);
  });

  test('allows the error code missing_refresh_token on the page', () => {
    expect(page && check(page, fake({ text: 'code:"missing_refresh_token"' }))).toEqual([]);
  });

  test.each([
    'src/client/on-demand.ts',
    'src/client/popup.ts',
    'src/client/passkey-ceremony.ts',
    'src/client/spa-options.ts',
  ])('fails a page bundle that loads %s up front, allows it in an import() chunk', (input) => {
    if (!page) throw new Error('no page budget');
    const size = { minified: 1, gzip: 1 };
    const chunk = (initial: boolean) => ({ name: 'x.js', initial, size, inputs: [input] });
    expect(check(page, fake({ chunks: [chunk(false)], inputs: [input] }))).toEqual([]);
    const problems = check(page, fake({ chunks: [chunk(true)], inputs: [input] }));
    expect(problems.join('\n')).toContain(`loads ${input} up front`);
  });

  test('fails a page bundle that loads a second chunk up front (a shared chunk), names them', () => {
    if (!page) throw new Error('no page budget');
    const size = { minified: 1, gzip: 1 };
    const chunk = (name: string, initial: boolean) => ({ name, initial, size, inputs: [] });
    expect(
      check(page, fake({ chunks: [chunk('stdin.js', true), chunk('on-demand.js', false)] })),
    ).toEqual([]);
    const problems = check(
      page,
      fake({
        chunks: [chunk('stdin.js', true), chunk('chunk-A.js', true), chunk('on-demand.js', false)],
      }),
    );
    expect(problems.join('\n')).toContain('loads 2 chunks up front (stdin.js, chunk-A.js)');
  });

  test('fails a worker bundle that pulled in page code', () => {
    if (!worker) throw new Error('no worker budget');
    const problems = check(worker, fake({ inputs: ['node_modules/workbox-window/build/x.mjs'] }));
    expect(problems).toHaveLength(1);
  });

  test.each(['worker/my-account.ts', 'worker/anonymous.ts', 'worker/connect.ts'])(
    'fails a base worker bundle that reached the opt-in feature %s; the features budget allows it',
    (input) => {
      const features = BUDGETS.find((budget) => budget.id === 'worker-features');
      if (!worker || !features) throw new Error('no worker budgets');
      const inputs = ['worker/install.ts', 'worker/facade.ts', input];
      expect(check(worker, fake({ inputs })).join('\n')).toContain(`contains ${input}`);
      expect(check(features, fake({ inputs }))).toEqual([]);
    },
  );
});
