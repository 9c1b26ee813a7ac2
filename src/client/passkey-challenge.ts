// The challenge shapes of a passkey ceremony: shared by auth0.passkey (passkey.ts) and the
// lazily loaded ceremony code (passkey-ceremony.ts), so neither imports the other's module.

/**
 * A signup ready for `navigator.credentials.create({ publicKey })`. `authSession` is the
 * worker's id for the ceremony, not Auth0's `auth_session` (which stays in the worker).
 */
export interface PasskeySignupChallenge {
  /** The worker's id for this ceremony. */
  authSession: string;
  /** For `navigator.credentials.create({ publicKey })`. */
  publicKey: PublicKeyCredentialCreationOptions;
}

/** A login ready for `navigator.credentials.get({ publicKey })`; `authSession` as above. */
export interface PasskeyLoginChallenge {
  /** The worker's id for this ceremony. */
  authSession: string;
  /** For `navigator.credentials.get({ publicKey })`. */
  publicKey: PublicKeyCredentialRequestOptions;
}
