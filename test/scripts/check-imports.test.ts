// scripts/check-imports.mjs, run as `npm test` runs it, on small trees written for each case:
// these prove it notices each kind of import the house forbids, and passes what it allows.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('scripts/check-imports.mjs');
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Runs the check on a tree of `files` (path → source); returns its exit status and output. */
function check(files: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'check-imports-'));
  roots.push(root);
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), source);
  }
  return run(['--root', root]);
}

function run(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A tree that breaks no rule: each kind of import the check must read, and let pass. */
const CLEAN = {
  'src/core/errors.ts': "export class E extends Error {}\nexport * from './types.js';\n",
  'src/core/types.ts': '/**\n * import { x } from "../client/index.js";\n */\nexport type T = 1;\n',
  'src/core/index.ts': "export { E } from './errors.js';\n// import '../rpc/x.js';\n",
  'src/rpc/protocol.ts': "import type { E } from '../core/errors.js';\nexport type P = E;\n",
  'src/client/index.ts': [
    'import {',
    '  E,',
    "} from '../core/index.js';",
    "import type { P } from '../rpc/protocol.js';",
    "export const from = 'from';",
    "const lazy = () => import('./popup.js');",
    'export { E, lazy };',
    'export type { P };',
  ].join('\n'),
  'src/client/popup.ts': 'export const popup = 1;\n',
  'worker/a.ts': "import { E } from '../src/core/index.js';\nimport { b } from './b.js';\n",
  'worker/b.ts': "import 'idb';\nexport const b = 1;\n",
  'worker/dir/index.ts': "export * from '../b.js';\n",
  'worker/c.ts': "export * from './dir';\n",
  'src/vite/index.ts': [
    "import { build } from 'vite';",
    "import { readFile } from 'node:fs/promises';",
    "import { E } from '../core/errors.js';",
    "import { resolveConfig } from '../../worker/config.js';",
  ].join('\n'),
  'worker/config.ts': "import { b } from './b.js';\nexport const resolveConfig = b;\n",
  'dev/tenant/src/index.ts': "import { Hono } from 'hono';\nimport { f } from './f.js';\n",
  'dev/tenant/src/f.ts': "import { readFile } from 'node:fs/promises';\nexport const f = 1;\n",
  'dev/tenant/test/f.test.ts': "import { f } from '../src/f.js';\n",
  'src/react/index.ts': [
    "import { Auth0Client } from 'auth0-enclave';",
    "import { createContext } from 'react';",
    "import { jsx } from 'react/jsx-runtime';",
    "export { useAuth0 } from './use-auth0.js';",
    "import { finishRedirect } from '../bindings/redirect-return.js';",
  ].join('\n'),
  'src/bindings/redirect-return.ts': "import { InvalidStateError } from 'auth0-enclave';\n",
  'src/react/use-auth0.tsx': "import { useContext } from 'react';\n",
  'src/vue/index.ts':
    "import { InvalidStateError } from 'auth0-enclave';\nimport { ref } from 'vue';\n",
  'dev/api/index.ts': [
    "import { startTenant } from 'auth0-enclave-tenant';",
    "import { verify } from 'auth0-enclave-tenant/resource-server';",
  ].join('\n'),
};

describe('check-imports', () => {
  it('passes a tree that breaks no rule', () => {
    const { status, output } = check(CLEAN);
    expect(output).toContain('no cycles, no rule violations');
    expect(status).toBe(0);
  });

  it('passes this repository', () => {
    const { status, output } = run([]);
    expect(output).toContain('no cycles, no rule violations');
    expect(status).toBe(0);
  });

  it.each([
    [
      'in worker/, through a type-only import',
      {
        'worker/session.ts': "import type { P } from './passkey.js';\n",
        'worker/passkey.ts': "import { login } from './login.js';\n",
        'worker/login.ts': "import type { Session } from './session.js';\n",
      },
      'import cycle: worker/login.ts → worker/session.ts → worker/passkey.ts → worker/login.ts',
    ],
    [
      'in dev/tenant/src, through a re-export',
      {
        'dev/tenant/src/config.ts': "export type { C } from './connections.js';\n",
        'dev/tenant/src/connections.ts': "import { isRecord } from './config.js';\n",
      },
      'import cycle: dev/tenant/src/config.ts → dev/tenant/src/connections.ts → dev/tenant/src/config.ts',
    ],
    [
      'in src/, through a dynamic import',
      {
        'src/client/a.ts': "const b = () => import('./b.js');\n",
        'src/client/b.ts': "import { a } from './a.js';\n",
      },
      'import cycle: src/client/a.ts → src/client/b.ts → src/client/a.ts',
    ],
    [
      'of one file with itself',
      { 'src/core/self.ts': "import { x } from './self.js';\nexport const x = 1;\n" },
      'import cycle: src/core/self.ts → src/core/self.ts',
    ],
  ])('fails on an import cycle %s, printing it', (_, files, printed) => {
    const { status, output } = check({ ...CLEAN, ...files });
    expect(status).toBe(1);
    expect(output).toContain(printed);
  });

  it.each([
    [
      'the tenant importing the SDK by path',
      { 'dev/tenant/src/x.ts': "import { E } from '../../../src/core/errors.js';\n" },
      "dev/tenant/src/x.ts: imports '../../../src/core/errors.js' — the tenant package imports nothing outside dev/tenant",
    ],
    [
      'the tenant importing the SDK by name',
      { 'dev/tenant/test/x.test.ts': "import { E } from 'auth0-enclave/core';\n" },
      'the tenant package imports nothing from the SDK',
    ],
    [
      'dev/api deep-importing the tenant by name',
      { 'dev/api/x.ts': "import { ALICE } from 'auth0-enclave-tenant/testing';\n" },
      "dev/api/x.ts: imports 'auth0-enclave-tenant/testing' — dev/api reaches the tenant only through",
    ],
    [
      'dev/api importing the tenant by path',
      { 'dev/api/x.ts': "import { f } from '../tenant/src/f.js';\n" },
      "dev/api/x.ts: imports '../tenant/src/f.js' — dev/api reaches the tenant only through",
    ],
    [
      'src/client importing worker/',
      { 'src/client/x.ts': "import { b } from '../../worker/b.js';\n" },
      'the page side (src/client, src/rpc) imports nothing of worker/ or dev/',
    ],
    [
      'src/rpc importing dev/',
      { 'src/rpc/x.ts': "import type { A } from '../../dev/api/index.js';\n" },
      'the page side (src/client, src/rpc) imports nothing of worker/ or dev/',
    ],
    [
      'src/core importing src/rpc',
      { 'src/core/x.ts': "import type { P } from '../rpc/protocol.js';\n" },
      'src/core imports nothing of src/client, src/rpc, worker/ or dev/',
    ],
    [
      'src/core importing worker/ by name',
      { 'src/core/x.ts': "export { installAuthWorker } from 'auth0-enclave/worker';\n" },
      'src/core imports nothing of src/client, src/rpc, worker/ or dev/',
    ],
    [
      'a binding importing the page client by path',
      { 'src/react/x.ts': "import { Auth0Client } from '../client/index.js';\n" },
      "src/react/x.ts: imports '../client/index.js' — src/react imports only 'auth0-enclave' (the public page client), react, its own files and src/bindings",
    ],
    [
      'the shared binding code importing a framework',
      { 'src/bindings/x.ts': "import { ref } from 'vue';\n" },
      "src/bindings/x.ts: imports 'vue' — src/bindings imports only 'auth0-enclave' (the public page client), no framework",
    ],
    [
      'the shared binding code importing the page client by path',
      { 'src/bindings/x.ts': "import { Auth0Client } from '../client/index.js';\n" },
      "src/bindings/x.ts: imports '../client/index.js' — src/bindings imports only",
    ],
    [
      'a binding importing an SDK subpath',
      { 'src/vue/x.ts': "import { E } from 'auth0-enclave/core';\n" },
      "src/vue/x.ts: imports 'auth0-enclave/core' — src/vue imports only 'auth0-enclave'",
    ],
    [
      "a binding importing the other binding's framework",
      { 'src/vue/x.ts': "import { useState } from 'react';\n" },
      "src/vue/x.ts: imports 'react' — src/vue imports only",
    ],
    [
      'src/vite importing page code',
      { 'src/vite/x.ts': "import { popup } from '../client/popup.js';\n" },
      "src/vite/x.ts: imports '../client/popup.js' — src/vite imports only src/core, worker/config.ts",
    ],
    [
      'src/vite importing more of worker/ than its config validator',
      { 'src/vite/x.ts': "import { b } from '../../worker/b.js';\n" },
      'src/vite imports only src/core, worker/config.ts',
    ],
    [
      'src/vite importing a package other than vite',
      { 'src/vite/x.ts': "import { openDB } from 'idb';\n" },
      "src/vite/x.ts: imports 'idb' — src/vite imports only",
    ],
    [
      'the page importing the Vite plugin',
      { 'src/client/x.ts': "import { auth0Enclave } from '../vite/index.js';\n" },
      'the browser halves import nothing of src/vite or vite',
    ],
    [
      'the worker importing vite',
      { 'worker/x.ts': "import { build } from 'vite';\n" },
      'the browser halves import nothing of src/vite or vite',
    ],
    [
      'a relative import that names no file',
      { 'worker/x.ts': "import { gone } from './gone.js';\n" },
      "worker/x.ts: imports './gone.js' — names no file",
    ],
  ])('fails on %s, naming the file and the rule', (_, files, printed) => {
    const { status, output } = check({ ...CLEAN, ...files });
    expect(status).toBe(1);
    expect(output).toContain(printed);
  });
});
