import { decodeJwt } from 'jose';
import { DpopKeyPair, generateDpopCryptoKeyPair } from '../src/core/dpop-key.js';
import { ResponseError } from '../src/core/errors.js';
import type { TokenResponse } from '../src/core/token-response.js';

// Which DPoP key a session uses (issue 11, THREATS 17). IndexedDB is page-writable, so a key
// found there says nothing about who made it: page script can import a P-256 key it knows as a
// non-extractable CryptoKey and store it under the vault's name. Hence:
//
// - A NEW session (a login's code redemption, a token exchange, a passkey login) always signs with
//   a key generated here, in the worker, at that moment (`freshSessionKey`), and the key it
//   persists overwrites whatever was stored. The key is made at redemption, not at /authorize:
//   the /authorize URL travels through the page (it navigates to it), so a `dpop_jkt` in it is
//   page-chosen and the worker could not tell a planted "pending" key from its own after a
//   restart. Without `dpop_jkt` the code is bound by PKCE alone; its verifier is page-readable,
//   but the code itself only ever reaches the worker (THREATS 8).
// - A CONTINUED session (after a worker restart) uses the stored key only with the session record
//   it was stored with (`jkt`), and only as long as the authorization server vouches for it: every
//   token response is checked by `checkBinding` — `token_type: DPoP` on a refresh of a DPoP-bound
//   family (the tenant, like Auth0, never upgrades an unbound family, so the answer proves the
//   refresh token is bound to the key that signed the proof) and, when the access token is a JWT,
//   its `cnf.jkt` equal to the key's thumbprint. The worker reads that answer straight from the
//   token endpoint; page script cannot forge it.
//
// What remains: page script can replace the stored key AND the stored refresh token together with
// a pair it obtained elsewhere (its own login, its own key). The server then vouches for that pair,
// and the worker continues a session of the attacker's choosing — a session swap (the user works
// in an account the attacker knows), not a theft of the user's credentials. And in the persisted
// mode page script can still *use* the stored key while it runs (THREATS 18; SECURITY.md gives
// the bounds); the memory custody mode stores neither.

/** A key made for a new session: the handle that signs and the pair that may be persisted. */
export interface SessionKey {
  handle: DpopKeyPair;
  keys: CryptoKeyPair;
}

/** A key for a new session: generated in the worker, now, never read from storage. */
export async function freshSessionKey(): Promise<SessionKey> {
  const keys = await generateDpopCryptoKeyPair();
  return { handle: await DpopKeyPair.fromCryptoKeyPair(keys), keys };
}

/** The `cnf.jkt` of a JWT access token; `undefined` for an opaque token or one without it. */
export function accessTokenJkt(accessToken: string): string | undefined {
  let payload: ReturnType<typeof decodeJwt>;
  try {
    payload = decodeJwt(accessToken);
  } catch {
    return undefined;
  }
  const cnf = payload.cnf as { jkt?: unknown } | undefined;
  return typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
}

/**
 * Checks what the authorization server says a token response is bound to against the key the
 * worker signed with. `expectBound`: the family is known to be DPoP-bound (a refresh of a bound
 * refresh token), so a bearer answer means the stored refresh token is not the one bound to this
 * key. Returns whether the response is DPoP-bound.
 */
export function checkBinding(
  tokens: TokenResponse,
  key: DpopKeyPair | undefined,
  options: { expectBound: boolean },
): boolean {
  const bound = tokens.tokenType === 'DPoP';
  if (!key) return bound;
  if (options.expectBound && !bound) {
    throw new ResponseError({
      message: 'A DPoP-bound refresh was answered with a bearer token.',
    });
  }
  if (bound) {
    const jkt = accessTokenJkt(tokens.accessToken);
    if (jkt !== undefined && jkt !== key.thumbprint) {
      throw new ResponseError({
        message: 'The access token is bound to another DPoP key ("cnf.jkt").',
      });
    }
  }
  return bound;
}
