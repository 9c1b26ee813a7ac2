/** A passkey ceremony between `/passkey/register|challenge` and the webauthn grant. */
export interface PasskeySession {
  id: string;
  kind: 'register' | 'login';
  clientId: string;
  /** base64url challenge the authenticator must sign. */
  challenge: string;
  expiresAt: number;
  organization?: string;
  /** Signup only: the profile of the user to create and their WebAuthn user handle. */
  profile?: PasskeyProfile;
  webauthnUserId?: string;
}

/** The `user_profile` of a passkey signup, as the tenant keeps it. */
export interface PasskeyProfile {
  email: string;
  name?: string;
  nickname?: string;
  picture?: string;
  given_name?: string;
  family_name?: string;
}

/** A registered passkey (the public key only: the private key never leaves the authenticator). */
export interface StoredPasskey {
  /** base64url credential id. */
  id: string;
  publicKey: Uint8Array<ArrayBuffer>;
  /** The authenticator's signature counter at the last use (0 when it keeps none). */
  counter: number;
  transports?: string[];
  userId: string;
  /** base64url WebAuthn user handle the credential was created for. */
  webauthnUserId: string;
}

/** The tenant's passkey state; an admin reset empties it. */
export class PasskeyState {
  readonly sessions = new Map<string, PasskeySession>();
  readonly credentials = new Map<string, StoredPasskey>();

  /** Drops ceremonies nobody can finish any more. */
  prune(now: number): void {
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) this.sessions.delete(id);
    }
  }

  reset(): void {
    this.sessions.clear();
    this.credentials.clear();
  }
}
