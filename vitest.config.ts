import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node. Integration tests start the real local tenant, the
// sample API and oidc-provider on ephemeral ports and talk to them over real HTTP.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores on CI machines: more workers only add contention.
    maxWorkers: 2,
  },
});
