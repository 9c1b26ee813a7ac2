// The plugin in a real Vite dev server over HTTP: the worker script at workerUrl with the worker
// headers, the page's build-defaults module replaced, and the worker rebuilt when a file it was
// built from changes — open pages reloaded only when the script's bytes changed, so a rebuild
// that changes nothing cannot start a reload loop. `build` is Vite's own, observed (not replaced)
// to count builds; one test alters one build's output to stand for an edited worker source.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vite from 'vite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auth0Enclave } from '../../src/vite/index.js';
import { appConfig, tempApp, workerConfig } from './fixture.js';

vi.mock('vite', async (importOriginal) => {
  const real = await importOriginal<typeof import('vite')>();
  return { ...real, build: vi.fn(real.build) };
});

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const build = vi.mocked(vite.build);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  build.mockClear();
});

async function startServer(options: { workerUrl?: string } = {}) {
  const app = await tempApp();
  cleanups.push(app.cleanup);
  const server = await vite.createServer({
    ...appConfig(app.root, { server: { port: 0, strictPort: false, ws: false } }),
    plugins: [auth0Enclave({ worker: workerConfig(), ...options })],
  });
  cleanups.push(() => server.close());
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const origin = `http://localhost:${address.port}`;
  const sent = vi.spyOn(server.ws, 'send');
  return { server, origin, sent };
}

describe('the Vite dev server with auth0Enclave()', () => {
  it('serves the worker at workerUrl, no-cache, with the worker CSP and the config compiled in', async () => {
    const { origin } = await startServer({ workerUrl: '/enclave.js' });
    const response = await fetch(`${origin}/enclave.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; connect-src 'self' https://tenant.example https://api.example",
    );
    const code = await response.text();
    expect(code).toContain('https://api.example/v1');
    expect(code).not.toMatch(/^\s*(?:import|export)\b/m);
    // With a query string it is the same script (browsers add none, caches might).
    expect((await fetch(`${origin}/enclave.js?v=1`)).headers.get('cache-control')).toBe('no-cache');
    // The startup build and both requests shared one build.
    expect(build).toHaveBeenCalledTimes(1);
  });

  it("hands the page the worker's URL and public identity in place of the build-defaults module", async () => {
    const { origin } = await startServer({ workerUrl: '/enclave.js' });
    const file = join(REPO, 'src/client/build-defaults.ts');
    const response = await fetch(`${origin}/@fs${file}`);
    expect(response.status).toBe(200);
    const code = await response.text();
    expect(code.replace(/\s/g, '')).toContain(
      'exportconstBUILD_DEFAULTS=Object.freeze({"workerUrl":"/enclave.js","domain":"https://tenant.example","clientId":"vite-app"});',
    );
    expect(code).not.toContain('api.example');
  });

  it('rebuilds when a file the worker was built from changes, and reloads pages only when the script changed', async () => {
    const { server, origin, sent } = await startServer();
    const first = await (await fetch(`${origin}/auth-worker.js`)).text();
    expect(build).toHaveBeenCalledTimes(1);
    const input = join(REPO, 'worker/install.ts');

    // A change that builds the same bytes: a rebuild, no reload.
    server.watcher.emit('change', input);
    await vi.waitFor(() => expect(build).toHaveBeenCalledTimes(2));
    expect(await (await fetch(`${origin}/auth-worker.js`)).text()).toBe(first);
    expect(build).toHaveBeenCalledTimes(2);
    expect(sent).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'full-reload' }));

    // A change that builds other bytes: one reload, and the new script served from then on.
    const real = await vi.importActual<typeof import('vite')>('vite');
    build.mockImplementationOnce(async (config) => {
      const output = (await real.build(config)) as vite.Rolldown.RolldownOutput;
      const [chunk] = output.output;
      if (chunk?.type !== 'chunk') throw new Error('no chunk');
      // Rolldown's output objects are read-only views: hand back a plain one with other code.
      const edited = {
        type: 'chunk',
        code: `${chunk.code}\n// edited\n`,
        moduleIds: chunk.moduleIds,
      };
      return { output: [edited] } as unknown as vite.Rolldown.RolldownOutput;
    });
    server.watcher.emit('change', input);
    await vi.waitFor(() =>
      expect(sent).toHaveBeenCalledWith(expect.objectContaining({ type: 'full-reload' })),
    );
    expect(
      sent.mock.calls.filter(([payload]) => (payload as { type?: string }).type === 'full-reload'),
    ).toHaveLength(1);
    expect(await (await fetch(`${origin}/auth-worker.js`)).text()).toBe(`${first}\n// edited\n`);

    // A file the worker does not use: no rebuild.
    server.watcher.emit('change', join(REPO, 'README.md'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(build).toHaveBeenCalledTimes(3);
  });
});
