// Both published packages as a user gets them: built, then checked by publint (exports, files,
// types) and by Are The Types Wrong (every subpath resolves, ESM-only by design). The SDK tarball
// must hold nothing of the local tenant: an SPA that installs auth0-enclave gets the SDK only.
// Both tarballs must carry LICENSE and README.md: a registry page and a license audit need them.
import { execFileSync, spawnSync } from 'node:child_process';

const steps = [
  ['node', ['scripts/build.mjs']],
  ['npx', ['publint', '--strict']],
  ['npx', ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ['npm', ['run', 'build', '-w', 'auth0-enclave-tenant']],
  ['npx', ['publint', '--strict', 'dev/tenant']],
  ['npx', ['attw', '--pack', 'dev/tenant', '--profile', 'esm-only', '--format', 'table-flipped']],
  ['node', ['scripts/check-tenant-tarball.mjs']],
];
for (const [command, args] of steps) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`package check: ${command} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

/** The paths `npm pack` would put into the tarball of the package in `dir`. */
const packedFiles = (dir) =>
  JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--workspaces=false'], {
      cwd: dir,
      encoding: 'utf8',
    }),
  )[0].files.map((file) => file.path);

const files = packedFiles('.');
for (const [name, dir, contents] of [
  ['auth0-enclave', '.', files],
  ['auth0-enclave-tenant', 'dev/tenant', packedFiles('dev/tenant')],
]) {
  const missing = ['LICENSE', 'README.md'].filter((file) => !contents.includes(file));
  if (missing.length > 0) {
    console.error(`package check: the ${name} tarball (${dir}) lacks ${missing.join(' and ')}`);
    process.exit(1);
  }
}
const tenantFiles = files.filter((path) => /tenant|hono|simplewebauthn|otplib/i.test(path));
if (tenantFiles.length > 0) {
  console.error(
    `package check: the SDK tarball holds tenant files:\n  ${tenantFiles.join('\n  ')}`,
  );
  process.exit(1);
}
const {
  dependencies = {},
  peerDependencies = {},
  peerDependenciesMeta = {},
} = JSON.parse(execFileSync('npm', ['pkg', 'get', '--workspaces=false'], { encoding: 'utf8' }));
const runtime = Object.keys(dependencies).sort().join(', ');
if (runtime !== 'comlink, idb, jose, workbox-window') {
  console.error(
    `package check: the SDK's runtime dependencies must be exactly comlink, idb, jose, workbox-window; they are ${runtime}`,
  );
  process.exit(1);
}
// `auth0-enclave/vite` runs inside the app's Vite: Vite is a peer, and optional, so an app built
// with another tool installs nothing more. Any other peer would be a dependency in disguise.
const peers = Object.keys(peerDependencies).sort().join(', ');
const optional = Object.entries(peerDependenciesMeta)
  .filter(([, meta]) => meta?.optional === true)
  .map(([name]) => name)
  .sort()
  .join(', ');
if (peers !== 'vite' || optional !== 'vite') {
  console.error(
    `package check: the SDK's only peer dependency must be vite, optional; peers are "${peers}", optional "${optional}"`,
  );
  process.exit(1);
}
console.log(
  `package check: the SDK tarball has ${files.length} files, none of the tenant; both tarballs carry LICENSE and README.md; runtime dependencies: ${runtime}; optional peer: vite`,
);
