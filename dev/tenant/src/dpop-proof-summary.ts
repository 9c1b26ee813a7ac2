import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';

/** What a request log records about a DPoP proof: its `jti` and key thumbprint. */
export interface DpopProofSummary {
  dpopJti?: string;
  dpopJkt?: string;
}

/**
 * Reads a proof's `jti` and key thumbprint *without verifying it*, for request logs only: tests
 * check that a retry (after `use_dpop_nonce`, say) carried a fresh proof, including retries of
 * proofs that were refused. Never base a decision on this.
 */
export async function summarizeDpopProof(proof: string | undefined): Promise<DpopProofSummary> {
  const summary: DpopProofSummary = {};
  if (proof === undefined) return summary;
  try {
    const { jti } = decodeJwt(proof);
    if (typeof jti === 'string') summary.dpopJti = jti;
    const { jwk } = decodeProtectedHeader(proof);
    if (jwk) summary.dpopJkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
  } catch {
    // Not decodable: there is nothing to record; the verifier says why it is refused.
  }
  return summary;
}
