import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer, TlsCredentials } from './listen-types.js';

/** What a tenant serves TLS with, and how it tells clients to trust it. */
export interface ServedTls {
  credentials: TlsCredentials;
  /** Adds the CA certificate (and its file) to the running server, and removes the file on close. */
  describe(server: RunningServer): RunningServer;
  /** Removes the CA file when listening failed. */
  dispose(): Promise<void>;
}

function checkPem(value: unknown, name: string, label: RegExp): string {
  if (typeof value !== 'string' || !label.test(value)) {
    throw new TypeError(`"https.${name}" must be a PEM string (-----BEGIN …-----)`);
  }
  return value;
}

/**
 * The TLS setup of `listen({ https })`. Given `{ cert, key }`, serves those. Given `true`,
 * generates a CA and a certificate it signs for localhost (and `hostname`), and writes the CA
 * certificate — never a key — to a fresh temporary directory, so a client can trust it with
 * `NODE_EXTRA_CA_CERTS=<file>`. The file goes when the server closes.
 */
export async function serveTls(https: true | TlsCredentials, hostname: string): Promise<ServedTls> {
  if (https !== true) {
    if (typeof https !== 'object' || https === null) {
      throw new TypeError('"https" must be true or { cert, key }');
    }
    const credentials = {
      cert: checkPem(https.cert, 'cert', /-----BEGIN CERTIFICATE-----/),
      key: checkPem(https.key, 'key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
    };
    return { credentials, describe: (server) => server, dispose: async () => {} };
  }
  // Loaded on demand: the X.509 library is only needed when a certificate is generated.
  const { generateLocalCertificate } = await import('./local-certificate.js');
  const generated = await generateLocalCertificate([hostname]);
  const dir = await mkdtemp(join(tmpdir(), 'auth0-enclave-tenant-ca-'));
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, generated.ca, { mode: 0o644 });
  const dispose = () => rm(dir, { recursive: true, force: true });
  return {
    credentials: { cert: generated.cert, key: generated.key },
    dispose,
    describe: (server) => ({
      ...server,
      caCertPath,
      caCert: generated.ca,
      close: async () => {
        try {
          await server.close();
        } finally {
          await dispose();
        }
      },
    }),
  };
}
