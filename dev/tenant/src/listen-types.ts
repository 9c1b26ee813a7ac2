// What listen() takes and returns: a leaf module, so the TLS helper (local-tls.ts) can name
// them without importing listen.ts, which imports it.

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
  /** The port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The hostname to bind to; default `localhost`. */
  hostname?: string;
  /** Serve TLS: `true` with a generated localhost certificate, or your own certificate and key. */
  https?: boolean | TlsCredentials;
}

/** A running server. `url` is its origin (no trailing slash). */
export interface RunningServer {
  /** The server's origin, e.g. `http://localhost:4000` (no trailing slash). */
  url: string;
  /** The port the server listens on. */
  port: number;
  /**
   * With `https: true`: the file holding the generated CA certificate (PEM). Trust it with
   * `NODE_EXTRA_CA_CERTS=<path>` in Node, or import it into a browser. Removed on close.
   */
  caCertPath?: string;
  /** With `https: true`: the generated CA certificate itself (PEM), e.g. for an undici Agent. */
  caCert?: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}
