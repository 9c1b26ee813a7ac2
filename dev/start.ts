// `npm start`: the local tenant, the sample DPoP-protected API and the sample app, wired together
// on localhost. No cloud account needed. Ports: --app-port, --tenant-port, --api-port; custody
// mode: --persistence indexeddb (default) or memory (the worker's `persistence` option).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createTenant,
  defaultTenantOptions,
  SAMPLE_API_AUDIENCE,
  STEP_UP_API_AUDIENCE,
} from 'auth0-enclave-tenant';
import { createSampleApi } from './api/index.js';
import { buildApp } from './app/build.js';
import { startAppServer } from './app/server.js';

const { values } = parseArgs({
  options: {
    'app-port': { type: 'string', default: process.env.APP_PORT ?? '3000' },
    'tenant-port': { type: 'string', default: process.env.TENANT_PORT ?? '4000' },
    'api-port': { type: 'string', default: process.env.API_PORT ?? '4001' },
    persistence: { type: 'string', default: process.env.PERSISTENCE ?? 'indexeddb' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'npm start [-- --app-port 3000 --tenant-port 4000 --api-port 4001 --persistence indexeddb|memory]',
  );
  process.exit(0);
}

function custodyMode(value: string | undefined): 'indexeddb' | 'memory' {
  if (value === 'indexeddb' || value === 'memory') return value;
  console.error(`--persistence must be "indexeddb" or "memory", got "${value}"`);
  process.exit(1);
}
const persistence = custodyMode(values.persistence);

const port = (name: 'app-port' | 'tenant-port' | 'api-port'): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value <= 0 || value > 65_535) {
    console.error(`--${name} must be a port number, got "${values[name]}"`);
    process.exit(1);
  }
  return value;
};

const appOrigin = `http://localhost:${port('app-port')}`;
const tenantOrigin = `http://localhost:${port('tenant-port')}`;
const apiOrigin = `http://localhost:${port('api-port')}`;

async function main(): Promise<void> {
  const defaults = defaultTenantOptions({ appOrigin });
  const tenant = createTenant({ ...defaults, issuer: `${tenantOrigin}/` });
  const servers = [await tenant.listen({ port: port('tenant-port') })];
  const api = createSampleApi({
    issuer: `${tenantOrigin}/`,
    audience: SAMPLE_API_AUDIENCE,
    clock: tenant.clock,
    // The hardest path on purpose: DPoP and server nonces required on both servers.
    dpop: 'required',
    requireNonce: true,
    allowedOrigins: [appOrigin],
  });
  servers.push(await api.listen({ port: port('api-port') }));

  const dir = await mkdtemp(join(tmpdir(), 'auth0-enclave-app-'));
  await buildApp({
    outDir: dir,
    apiUrl: apiOrigin,
    worker: {
      domain: tenantOrigin,
      clientId: 'sample-spa',
      persistence,
      authorizationParams: {
        redirect_uri: `${appOrigin}/callback`,
        audience: SAMPLE_API_AUDIENCE,
        scope: 'openid profile email read:notes write:notes',
      },
      apis: [
        { url: `${apiOrigin}/api` },
        // The step-up API (MFA required): the sample app's "Step-up" button asks for its token.
        {
          url: `${apiOrigin}/stepup`,
          audience: STEP_UP_API_AUDIENCE,
          scope: 'openid read:secrets offline_access',
        },
      ],
      // The sample app shows plain fetch() getting credentials too ("GET /api/me with plain
      // fetch()"): an explicit opt-in, the default is fetchWithAuth() only.
      fetchWithAuthOnly: false,
    },
  });
  servers.push(
    await startAppServer({ dir, port: port('app-port'), tenantOrigin, apiOrigins: [apiOrigin] }),
  );

  const user = defaults.users[0];
  const rows = [
    ['Sample app', `${appOrigin}`, '← open this'],
    [
      'Local tenant',
      `${tenantOrigin}/`,
      `discovery: ${tenantOrigin}/.well-known/openid-configuration`,
    ],
    ['Sample API', `${apiOrigin}/api`, 'DPoP and server nonces required'],
    ['Custody mode', persistence, 'key and refresh token: IndexedDB or worker memory'],
  ];
  const width = Math.max(...rows.map(([, url]) => (url ?? '').length));
  console.log('\n  auth0-enclave is running — no cloud account needed.\n');
  for (const [name, url, note] of rows)
    console.log(`    ${name?.padEnd(13)} ${url?.padEnd(width)}   ${note}`);
  console.log(
    `\n    Log in as     ${user?.email} / ${user?.password}\n\n  Press Ctrl+C to stop.\n`,
  );
  const stop = async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && /already in use/.test(error.message)) {
    console.error(
      'Stop whatever uses that port, or pick others: npm start -- --app-port 3100 --tenant-port 4100 --api-port 4101',
    );
  }
  process.exit(1);
});
