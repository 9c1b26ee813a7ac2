import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { urlHostFor } from './issuer.js';

/** What to bind to. Port 0 picks a free port; the hostname defaults to `localhost`. */
export interface ListenOptions {
  /** The port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The hostname to bind to; default `localhost`. */
  hostname?: string;
}

/** A running HTTP server. `url` is its origin (no trailing slash). */
export interface RunningServer {
  /** The server's origin, e.g. `http://localhost:4000` (no trailing slash). */
  url: string;
  /** The port the server listens on. */
  port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * Serves `fetch` over HTTP. Rejects with a plain message when the port is taken, because that is
 * the one listen failure developers meet every day (a tenant from an earlier run still going).
 */
export function listen(fetch: FetchHandler, options: ListenOptions = {}): Promise<RunningServer> {
  const port = options.port ?? 0;
  const hostname = options.hostname ?? 'localhost';
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return Promise.reject(new TypeError('"port" must be an integer from 0 to 65535'));
  }
  const server = createAdaptorServer({ fetch, hostname });
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
        url: `http://${urlHostFor(hostname)}:${actualPort}`,
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
