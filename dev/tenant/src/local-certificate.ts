// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect
// metadata polyfill loaded first (as @simplewebauthn/server, the other user here, does too).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/** A TLS server certificate and key (PEM), and the CA certificate that issued it. */
export interface LocalCertificate {
  /** The server certificate (PEM). */
  cert: string;
  /** The server's private key (PKCS #8 PEM). */
  key: string;
  /** The CA certificate (PEM) a client must trust, e.g. through `NODE_EXTRA_CA_CERTS`. */
  ca: string;
}

type X509Crypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
type X509KeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
/** The certificates live as long as one tenant process, so a short validity is plenty. */
const VALIDITY_DAYS = 30;
const DAY_MS = 86_400_000;

/** Subject alternative names for the hosts a local server is reached by. */
function subjectAltNames(hosts: readonly string[]): x509.JsonGeneralNames {
  const names = new Set(['localhost', '127.0.0.1', '::1', ...hosts]);
  return [...names].map((host) => {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    return isIP(bare) === 0 ? { type: 'dns', value: bare } : { type: 'ip', value: bare };
  });
}

/**
 * Generates a throwaway CA and a server certificate it signs for `localhost`, `127.0.0.1`, `::1`
 * and `hosts`. The CA's private key never leaves this function: once the server certificate is
 * signed it is dropped, so trusting the CA (in one process, through `NODE_EXTRA_CA_CERTS`) lets
 * nobody mint other certificates with it. P-256 ECDSA keys, {@link VALIDITY_DAYS} days.
 */
export async function generateLocalCertificate(
  hosts: readonly string[] = [],
): Promise<LocalCertificate> {
  // @peculiar/x509 types its provider as the DOM's Crypto; Node's webcrypto is that object.
  const crypto = webcrypto as unknown as X509Crypto;
  const now = Date.now();
  const notBefore = new Date(now - DAY_MS);
  const notAfter = new Date(now + VALIDITY_DAYS * DAY_MS);
  const caKeys = (await crypto.subtle.generateKey(EC, false, ['sign', 'verify'])) as X509KeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: 'CN=auth0-enclave-tenant local CA',
      keys: caKeys,
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const serverKeys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as X509KeyPair;
  const serverCert = await x509.X509CertificateGenerator.create(
    {
      subject: 'CN=localhost',
      issuer: caCert.subject,
      publicKey: serverKeys.publicKey,
      signingKey: caKeys.privateKey,
      notBefore,
      notAfter,
      signingAlgorithm: SIGNING,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(subjectAltNames(hosts)),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  return {
    cert: serverCert.toString('pem'),
    key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    ca: caCert.toString('pem'),
  };
}
