import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const tenant = (file: string) =>
  fileURLToPath(new URL(`./dev/tenant/src/${file}`, import.meta.url));

// Unit and integration tests run in Node: the SDK's (test/) and the tenant package's
// (dev/tenant/test/). Integration tests start the real local tenant, the sample API and
// oidc-provider on ephemeral ports and talk to them over real HTTP.
export default defineConfig({
  resolve: {
    // The tenant workspace package from source, as tsconfig.json's paths say.
    alias: [
      { find: /^auth0-enclave-tenant$/, replacement: tenant('index.ts') },
      {
        find: /^auth0-enclave-tenant\/resource-server$/,
        replacement: tenant('resource-server.ts'),
      },
      { find: /^auth0-enclave-tenant\/testing$/, replacement: tenant('testing.ts') },
      // The Vite plugin from source, as tsconfig.json's paths say.
      {
        find: /^auth0-enclave\/vite$/,
        replacement: fileURLToPath(new URL('./src/vite/index.ts', import.meta.url)),
      },
      // The page client by name, as the framework bindings (src/react, src/vue) import it.
      {
        find: /^auth0-enclave$/,
        replacement: fileURLToPath(new URL('./src/client/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'dev/tenant/test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores on CI machines: more workers only add contention.
    maxWorkers: 2,
  },
});
