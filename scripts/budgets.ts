// Bundle budgets and purity, checked by `npm test`. Sizes are deterministic bytes (esbuild
// minified, gzip -9, measured exactly as `npm run bench` measures them — bench/bundle-size.ts),
// so they belong in CI; timings do not.
//
// Each budget has the issue's `target` and an enforced `ceiling`. Where the target is met the
// ceiling is the target; where it is not, the ceiling is the size reached (rounded up a little),
// so the bundle can only shrink — and the gap is printed on every run (see docs/performance.md).
//
// Why the targets are missed (esbuild metafile: each part's share of the minified first chunk, at
// its gzip ratio): the page's first chunk is 8.99 KB. comlink and workbox-window are 2.7 KB of it
// (workbox-window's modern build, 1.0 KB; its `module` field names an ES5 build 0.9 KB larger,
// which the page used until issue 13's trim); the 36 error classes 1.25 KB — all of them,
// because each names and registers itself in a static block, which bundlers must keep, and every
// one must exist on the page to be rebuilt there (a rebuild that loaded the classes on first use
// would make every login_required wait for a chunk). The worker connection (registration,
// handshake, death detection, updates, keep-alive) is ~1.3 KB; Auth0Client itself ~2.1 KB with
// the spa-js option surface; fetchWithAuth, session events, the rebuild and the auth0.mfa,
// auth0.passkey, auth0.myAccount and auth0.anonymous stubs ~1 KB. Popup, silent-iframe and
// passkey code and the spa-js-only checks (a worker-owned option repeated on the page but not
// written as the worker's, a per-call clientId or redirectUri that differs) are one `import()`
// chunk, loaded on first use (src/client/on-demand.ts says why one), which imports nothing of the
// first chunk (src/client/page-kit.ts says why). The whole page API counts every chunk: 10.96 KB
// after the house; issue 13 (the spa-js drop-in: 10 more error classes, every spa-js option and
// method, auth0.myAccount and auth0.anonymous) brought it to 12.70 KB; the trim after it to
// 10.85 KB: workbox-window's modern build −1.05 KB, one on-demand chunk instead of three −0.3 KB,
// no chunk shared between the first and the on-demand one −0.3 KB, the bindings' login-return
// rule moved to src/bindings −0.14 KB.
// The worker implements every flow (redirect, popup, silent, token exchange, My
// Account, MFA, passkeys, DPoP) and uses jose's full JWT validation (~8.9 KB gzip); replacing that
// with hand-written claim checks would save ~2.5 KB and is not a trade we make. Page and worker
// are ~0.14× and ~0.56× of auth0-spa-js's 62 KB.
import { pathToFileURL } from 'node:url';
import { type Bundle, type BundleMeasure, bundle } from '../bench/bundle-size.js';

interface Budget {
  id: string;
  label: string;
  source: string;
  /** Packages the app brings itself (React, Vue): left out of the bundle, as in bench. */
  external?: string[];
  /** Which chunks count (bench/bundle-size.ts): `initial` for one import, `all` for a whole API. */
  measure: BundleMeasure;
  /** The goal from the issue tracker, gzip bytes. */
  target: number;
  /** What CI enforces, gzip bytes. */
  ceiling: number;
  /** Inputs (repository paths) that must never be in any chunk of this bundle, with the reason. */
  forbiddenInputs: [RegExp, string][];
  /** Text that must never appear in any chunk, with the reason. */
  forbiddenText: [RegExp, string][];
  /** Inputs that may be in this bundle only in chunks loaded by `import()`, with the reason. */
  lazyInputs: [RegExp, string][];
  /** Why the page must load exactly one chunk up front, when it must. */
  oneInitialChunk?: string;
}

const KB = 1024;

/** What the page bundle must never contain: token-endpoint, signing and IndexedDB code. */
const PAGE_FORBIDDEN_INPUTS: [RegExp, string][] = [
  [/^node_modules\/jose\//, 'signing and JWT code belong to the worker'],
  [/^node_modules\/idb\//, 'IndexedDB is the worker’s'],
  [/^worker\//, 'worker code'],
  [/^dev\//, 'the local tenant and the sample app'],
  [
    /^src\/core\/(?!errors\.ts$|error-registry\.ts$|assert\.ts$)/,
    'protocol code (grants, proofs, ID-token checks) is the worker’s',
  ],
];
const PAGE_FORBIDDEN_TEXT: [RegExp, string][] = [
  [/grant_type/, 'a token request'],
  [/code_verifier/, 'a PKCE verifier'],
  // The error code missing_refresh_token is not a credential; any other mention is.
  [/(?<!missing_)refresh_token/, 'a refresh token'],
  [/client_secret/, 'a client secret'],
  [/indexedDB/, 'IndexedDB access'],
  [/\.subtle\b/, 'WebCrypto (signing) code'],
  [/dpop\+jwt/, 'DPoP proof code'],
];

/**
 * The on-demand chunk takes what it uses of the first one as an argument (src/client/page-kit.ts):
 * a runtime import of a first-chunk module makes esbuild split off a third, shared chunk.
 */
const ONE_INITIAL_CHUNK =
  'a module shared by the first chunk and the on-demand one became a chunk of its own, whose import and export lists cost ~0.3 KB of the whole API: hand it over in PAGE_KIT (src/client/page-kit.ts) instead of importing it';

/** Page features loaded on first use: a page that never uses them never downloads them. */
const PAGE_LAZY_INPUTS: [RegExp, string][] = [
  [
    /^src\/client\/(on-demand|popup|silent-frame|login-waiter)\.ts$/,
    'popup and silent-iframe logins load on first use',
  ],
  [/^src\/client\/passkey-ceremony\.ts$/, 'passkey ceremonies load on first use'],
  [
    /^src\/client\/spa-options\.ts$/,
    'spa-js-only paths (worker-owned options repeated, per-call checks) load only where used',
  ],
];

export const BUDGETS: Budget[] = [
  {
    id: 'page-min',
    label: 'page: createAuth0Client + fetchWithAuth',
    source: "export { createAuth0Client } from 'auth0-enclave';",
    measure: 'initial',
    target: 7 * KB,
    // 9.45 KB after the house; 10.38 KB with issue 13 (the spa-js error classes, options and
    // methods); 10.09 KB trimmed, with auth0.myAccount and auth0.anonymous; 9.07 KB with
    // workbox-window's modern build; 8.98 KB with one chunk up front (src/client/page-kit.ts); 8.99 KB.
    ceiling: 9 * KB,
    forbiddenInputs: PAGE_FORBIDDEN_INPUTS,
    forbiddenText: PAGE_FORBIDDEN_TEXT,
    lazyInputs: PAGE_LAZY_INPUTS,
    oneInitialChunk: ONE_INITIAL_CHUNK,
  },
  {
    id: 'page-all',
    label: 'page: the whole API',
    source: "export * from 'auth0-enclave';",
    measure: 'all',
    target: 11 * KB,
    // 10.96 KB after the house (target met); 12.70 KB with issue 13; 10.85 KB after the trim
    // that followed (see the header): the target holds again.
    ceiling: 11 * KB,
    forbiddenInputs: PAGE_FORBIDDEN_INPUTS,
    forbiddenText: PAGE_FORBIDDEN_TEXT,
    lazyInputs: PAGE_LAZY_INPUTS,
    oneInitialChunk: ONE_INITIAL_CHUNK,
  },
  // The framework bindings with the page client they wrap (react / vue external: the app's own).
  // Measured beside auth0-react + spa-js (65.9 KB) and auth0-vue + spa-js (63.1 KB) by `npm run
  // bench`. The bindings' own cost over page-min: React ~1.5 KB (provider, reducer, HOCs, the
  // callback rule), Vue ~1.0 KB (plugin, guard). Target = ceiling = the size reached, rounded up
  // to 0.05 KB (React: 10.45 KB and a few bytes, once the worker-owned option names were listed once).
  {
    id: 'react',
    label:
      'auth0-enclave/react: Auth0Provider + useAuth0 + withAuthenticationRequired + useFetchWithAuth',
    source:
      "export { Auth0Provider, useAuth0, withAuthenticationRequired, useFetchWithAuth } from 'auth0-enclave/react';",
    external: ['react', 'react/jsx-runtime', 'react-dom'],
    measure: 'initial',
    target: 10.5 * KB,
    ceiling: 10.5 * KB,
    forbiddenInputs: PAGE_FORBIDDEN_INPUTS,
    forbiddenText: PAGE_FORBIDDEN_TEXT,
    lazyInputs: PAGE_LAZY_INPUTS,
    oneInitialChunk: ONE_INITIAL_CHUNK,
  },
  {
    id: 'vue',
    label: 'auth0-enclave/vue: createAuth0 + useAuth0 + createAuthGuard',
    source: "export { createAuth0, useAuth0, createAuthGuard } from 'auth0-enclave/vue';",
    external: ['vue', 'vue-router'],
    measure: 'initial',
    target: 10 * KB,
    ceiling: 10 * KB,
    forbiddenInputs: PAGE_FORBIDDEN_INPUTS,
    forbiddenText: PAGE_FORBIDDEN_TEXT,
    lazyInputs: PAGE_LAZY_INPUTS,
    oneInitialChunk: ONE_INITIAL_CHUNK,
  },
  {
    id: 'worker',
    label: 'service worker: installAuthWorker',
    source: "export { installAuthWorker } from 'auth0-enclave/worker';",
    measure: 'all',
    target: 20 * KB,
    // 32.5 → 34.75 KB (issue 11, items 3–5): every record read back from IndexedDB validated,
    // the vault's repair of a sabotaged database, the logout-race re-checks (+2.25 KB gzip);
    // → 35.25 KB (issue 11, items 1–2): a fresh key per session, the server-vouched key check
    // (key-binding.ts) and the memory custody mode (+0.45 KB once merged with the above).
    // → 35.61 KB (issue 13): the spa-js error subclasses, the handshake's configuration;
    // → 35.45 KB trimmed (see the header); → +0.14 KB: the token-endpoint guard on the origins
    // discovery names (server-endpoints.ts); → 38.33 KB with auth0.myAccount.* and
    // auth0.anonymous.* (+2.72 KB); → 36.13 KB once those became opt-in worker features (a
    // service worker cannot import(), so an app that never calls them must not carry them): what
    // stays is their method names, the NotSupportedError that names the feature to install, and
    // the options check (features.ts, ~0.35 KB); → 34.98 KB with connectAccountWithRedirect in
    // myAccountApi too (the same My Account API: connect.ts and src/core/my-account, 1.15 KB).
    // Below the 35.25 KB ceiling issue 13 started from.
    ceiling: 35 * KB,
    forbiddenInputs: [
      [/^src\/client\//, 'page code'],
      [/^node_modules\/workbox-window\//, 'registration belongs to the page'],
      [/^dev\//, 'the local tenant and the sample app'],
      // What the base worker (facade, fetch router, install …) reaches must not import them.
      [/^worker\/my-account\.ts$/, 'auth0.myAccount is an opt-in worker feature (myAccountApi)'],
      [
        /^(worker\/connect|src\/core\/my-account\/(connect|complete|callback))\.ts$/,
        'connectAccountWithRedirect is part of the opt-in worker feature myAccountApi',
      ],
      [
        /^worker\/anonymous\.ts$/,
        'auth0.anonymous is an opt-in worker feature (anonymousSessions)',
      ],
    ],
    forbiddenText: [],
    // A service worker cannot import(): everything it runs is in its one file.
    lazyInputs: [],
  },
  {
    id: 'worker-features',
    label: 'service worker: installAuthWorker + myAccountApi + anonymousSessions',
    source:
      "export { installAuthWorker, myAccountApi, anonymousSessions } from 'auth0-enclave/worker';",
    measure: 'all',
    target: 20 * KB,
    // 38.77 KB: the base worker and both optional features (my-account.ts, anonymous.ts); +0.44 KB
    // over the one bundle of 38.33 KB before the split (the options check and the feature table);
    // 38.96 KB with connected accounts inside myAccountApi (laid out later, gzip finds less).
    ceiling: 39 * KB,
    forbiddenInputs: [
      [/^src\/client\//, 'page code'],
      [/^node_modules\/workbox-window\//, 'registration belongs to the page'],
      [/^dev\//, 'the local tenant and the sample app'],
    ],
    forbiddenText: [],
    lazyInputs: [],
  },
];

const MEASURED: Record<BundleMeasure, string> = {
  initial: 'entry chunk + its static imports',
  all: 'every chunk',
};

function kb(bytes: number): string {
  return `${(bytes / KB).toFixed(2)} KB`;
}

export function check(budget: Budget, built: Bundle): string[] {
  const problems: string[] = [];
  const size = built[budget.measure];
  if (size.gzip > budget.ceiling) {
    problems.push(`${kb(size.gzip)} gzip is over its ceiling of ${kb(budget.ceiling)}`);
  }
  for (const [pattern, reason] of budget.forbiddenInputs) {
    for (const input of built.inputs.filter((path) => pattern.test(path))) {
      problems.push(`contains ${input} (${reason})`);
    }
  }
  for (const [pattern, reason] of budget.forbiddenText) {
    if (pattern.test(built.text)) problems.push(`its code matches ${pattern} (${reason})`);
  }
  const initialChunks = built.chunks.filter((each) => each.initial);
  if (budget.oneInitialChunk && initialChunks.length > 1) {
    const names = initialChunks.map((chunk) => chunk.name).join(', ');
    problems.push(
      `loads ${initialChunks.length} chunks up front (${names}): ${budget.oneInitialChunk}`,
    );
  }
  for (const chunk of initialChunks) {
    for (const [pattern, reason] of budget.lazyInputs) {
      for (const input of chunk.inputs.filter((path) => pattern.test(path))) {
        problems.push(`loads ${input} up front, in ${chunk.name} (${reason})`);
      }
    }
  }
  return problems;
}

async function main(): Promise<void> {
  let failed = false;
  for (const budget of BUDGETS) {
    const built = await bundle({
      source: budget.source,
      ...(budget.external ? { external: budget.external } : {}),
    });
    const problems = check(budget, built);
    const size = built[budget.measure];
    const vsTarget =
      size.gzip <= budget.target
        ? `target ${kb(budget.target)} met`
        : `target ${kb(budget.target)} missed by ${kb(size.gzip - budget.target)}`;
    console.log(
      `  ${problems.length ? 'FAIL' : 'ok  '} ${budget.label}: ${kb(size.gzip)} gzip (${kb(size.minified)} minified, ${MEASURED[budget.measure]}); ceiling ${kb(budget.ceiling)}; ${vsTarget}`,
    );
    for (const problem of problems) console.log(`         ${problem}`);
    failed ||= problems.length > 0;
  }
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
