import { importPKCS8, SignJWT } from 'jose';
import { randomString } from './random.js';

/**
 * How a client proves who it is at the token and revocation endpoints. Returns the body
 * parameters to add; called once per request, so assertions are never replayed.
 */
export type ClientAuthenticator = (args: {
  clientId: string;
  issuer: string;
}) => Promise<Record<string, string>>;

/** A public client (an SPA, a native app): `client_id` only. */
export function publicClient(): ClientAuthenticator {
  return async ({ clientId }) => ({ client_id: clientId });
}

/** `client_secret_post`: the secret in the body, as Auth0 expects. */
export function clientSecretPost(clientSecret: string): ClientAuthenticator {
  return async ({ clientId }) => ({ client_id: clientId, client_secret: clientSecret });
}

/**
 * `private_key_jwt` (RFC 7523): a short-lived assertion signed with the client's key, with
 * `iss` = `sub` = client id, `aud` = the issuer (what Auth0 expects), a fresh `jti`.
 */
export function privateKeyJwt(key: string | CryptoKey, alg = 'RS256'): ClientAuthenticator {
  let imported: Promise<CryptoKey> | undefined;
  const signingKey = () => {
    // A failed import (a malformed PEM) is not cached: the next request tries again.
    imported ??= (typeof key === 'string' ? importPKCS8(key, alg) : Promise.resolve(key)).catch(
      (error: unknown) => {
        imported = undefined;
        throw error;
      },
    ) as Promise<CryptoKey>;
    return imported;
  };
  return async ({ clientId, issuer }) => {
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(issuer)
      .setJti(randomString(16))
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(await signingKey());
    return {
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    };
  };
}
