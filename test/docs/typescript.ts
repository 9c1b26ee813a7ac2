// TypeScript's compiler API, for the TSDoc checks. The repository compiles with TypeScript 7 (the
// native compiler), which has no JavaScript API; the docs tooling workspace (docs/tooling) pins a
// TypeScript 6 for TypeDoc, and these checks use the same one, so what they read is what the API
// reference shows.
import { createRequire } from 'node:module';
import type * as TypeScript from '../../docs/tooling/node_modules/typescript/lib/typescript.js';

const require = createRequire(new URL('../../docs/tooling/package.json', import.meta.url));

export const ts: typeof TypeScript = require('typescript');
export type { TypeScript };
