import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { urlHostFor } from './issuer.js';
import { serveTls } from './local-tls.js';

/** A TLS certificate and private key, PEM-encoded, to serve https with. */
export interface TlsCredentials {
  /** The server certificate (chain), PEM. */
  cert: string;
  /** Its private key, PEM. */
  key: string;
}

/**
 * What to bind to. Port 0 picks a free port; the hostname defaults to `localhost`. `https: true`
 * serves TLS with a certificate generated for localhost (the tenant writes the CA certificate
 * to trust to a file: see {@link RunningServer.caCertPath}); `https: { cert, key }` serves your
 * own. Default: plain http.
 */
export interface ListenOptions {
  port?: number;
  hostname?: string;
  https?: boolean | TlsCredentials;
}

/** A running server. `url` is its origin (no trailing slash). */
export interface RunningServer {
  url: string;
  port: number;
  /**
   * With `https: true`: the file holding the generated CA certificate (PEM). Trust it with
   * `NODE_EXTRA_CA_CERTS=<path>` in Node, or import it into a browser. Removed on close.
   */
  caCertPath?: string;
  /** With `https: true`: the generated CA certificate itself (PEM), e.g. for an undici Agent. */
  caCert?: string;
  close(): Promise<void>;
}

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
