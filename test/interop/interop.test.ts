// The same SDK scenarios against Auth0's dialect (the local tenant) and a standards-only,
// certified OpenID Provider (oidc-provider). Every scenario applies to both servers.
import { afterAll, beforeAll, describe, test } from 'vitest';
import { scenarioContext, scenarios } from './scenarios.js';
import { type InteropServer, localTenant, oidcProvider } from './servers.js';

describe.each([
  { name: 'local tenant', start: localTenant },
  { name: 'oidc-provider', start: oidcProvider },
])('AuthClient against $name', ({ start }) => {
  let server: InteropServer;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const scenario of scenarios) {
    test(scenario.name, () => scenario.run(scenarioContext(server)));
  }
});
