// auth0-enclave/vue's own rules, in real Vue: the composable and the guards without the plugin.
// The plugin's whole flow (worker, tenant, API, router) is e2e/engines/framework-examples.spec.ts.

import { describe, expect, test } from 'vitest';
import { createApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { InvalidStateError } from '../../src/core/errors.js';
import { authGuard, createAuthGuard, useAuth0 } from '../../src/vue/index.js';

describe('without app.use(createAuth0())', () => {
  test('useAuth0() in a component throws InvalidStateError naming the fix', async () => {
    const app = createApp(
      defineComponent(() => {
        useAuth0();
        return () => h('p');
      }),
    );
    app.config.warnHandler = () => {};
    let caught: unknown;
    app.config.errorHandler = (error) => {
      caught = error;
    };
    await renderToString(app).catch((error: unknown) => {
      caught = error;
    });
    expect(caught).toBeInstanceOf(InvalidStateError);
    expect((caught as Error).message).toContain('app.use(createAuth0())');
  });

  test('a guard rejects with InvalidStateError instead of letting the route through', async () => {
    await expect(authGuard({ fullPath: '/notes' })).rejects.toBeInstanceOf(InvalidStateError);
    const app = createApp(() => h('p'));
    await expect(createAuthGuard(app)({ fullPath: '/notes' })).rejects.toThrow(
      /install the plugin/,
    );
    await expect(createAuthGuard({ app })({ fullPath: '/notes' })).rejects.toMatchObject({
      code: 'invalid_state',
    });
  });
});
