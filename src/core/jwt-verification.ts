import {
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { EnclaveError, TimeoutError } from './errors.js';

/**
 * jose's `jwtVerify` with one mapping of its failures, shared by ID and logout tokens: a key set
 * that could not be fetched is an outage — its typed error (from send()) surfaces as itself — and
 * everything else is `reject(reason)`, a sentence that never echoes the token. jose turns any
 * error named TimeoutError (ours included) into its JWKSTimeout, which is mapped back.
 */
export async function verifySignedJwt(
  token: string,
  jwks: JWTVerifyGetKey,
  options: JWTVerifyOptions,
  reject: (reason: string, cause: unknown) => Error,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, jwks, options)).payload;
  } catch (cause) {
    if (cause instanceof EnclaveError) throw cause;
    if (cause instanceof errors.JWKSTimeout) {
      throw new TimeoutError({ message: 'JWKS: the key set did not arrive in time.', cause });
    }
    throw reject(joseReason(cause), cause);
  }
}

/** A short reason for a jose failure, without echoing the token. */
export function joseReason(cause: unknown): string {
  if (cause instanceof errors.JWTExpired) return 'it has expired ("exp")';
  if (cause instanceof errors.JWTClaimValidationFailed)
    return `claim "${cause.claim}" failed (${cause.reason})`;
  if (cause instanceof errors.JOSEAlgNotAllowed) return 'its "alg" is not allowed';
  if (cause instanceof errors.JWSSignatureVerificationFailed)
    return 'the signature does not verify';
  if (cause instanceof errors.JWKSNoMatchingKey) return 'no key in the JWKS matches it';
  if (cause instanceof errors.JOSEError) return `${cause.code}`;
  return 'it could not be verified';
}
