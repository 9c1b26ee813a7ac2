import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { urlHostFor } from './issuer.js';
import type { ListenOptions, RunningServer, TlsCredentials } from './listen-types.js';
import { serveTls } from './local-tls.js';

export type { ListenOptions, RunningServer, TlsCredentials } from './listen-types.js';

type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Serves `fetch` over HTTP, or HTTPS with `options.https`. Rejects with a plain message when the
 * port is taken, because that is the one listen failure developers meet every day (a tenant from
 * an earlier run still going).
 */
export async function listen(
  fetch: FetchHandler,
  options: ListenOptions = {},
): Promise<RunningServer> {
  const port = options.port ?? 0;
  const hostname = options.hostname ?? 'localhost';
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError('"port" must be an integer from 0 to 65535');
  }
  const https = options.https ?? false;
  if (https === false) return serve(fetch, port, hostname);
  const tls = await serveTls(https, hostname);
  try {
    return tls.describe(await serve(fetch, port, hostname, tls.credentials));
  } catch (error) {
    await tls.dispose();
    throw error;
  }
}

function serve(
  fetch: FetchHandler,
  port: number,
  hostname: string,
  tls?: TlsCredentials,
): Promise<RunningServer> {
  const server = tls
    ? createAdaptorServer({
        fetch,
        hostname,
        createServer: createHttpsServer,
        serverOptions: { cert: tls.cert, key: tls.key },
      })
    : createAdaptorServer({ fetch, hostname });
  const scheme = tls ? 'https' : 'http';
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} is already in use (${hostname}:${port})`, { cause: error }));
      } else {
        reject(error);
      }
    });
    server.listen(port, hostname, () => {
      const actualPort = (server.address() as AddressInfo).port;
      resolve({
        url: `${scheme}://${urlHostFor(hostname)}:${actualPort}`,
        port: actualPort,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // fetch() keeps connections alive; without this close() waits for them to time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}
