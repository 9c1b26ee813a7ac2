// The passkey API's public shapes, camelCase and named as in @auth0/auth0-auth-js; the wire
// speaks snake_case JSON (WIRE.md, "Passkeys"). Binary fields are base64url strings throughout.

/** `PublicKeyCredentialCreationOptions` (JSON form) for `navigator.credentials.create()`. */
export interface PasskeyCreationOptions {
  /** The server's WebAuthn challenge, base64url. */
  challenge: string;
  /** The relying party the passkey is bound to: its ID (a domain) and display name. */
  rp: { id: string; name: string };
  /** The account the passkey is created for: its user handle (base64url), name and display name. */
  user: { id: string; name: string; displayName: string };
  /**
   * The public-key algorithms the server accepts, in order of preference (COSE IDs, e.g. -7 for
   * ES256).
   */
  pubKeyCredParams: Array<{ type: string; alg: number }>;
  /** Whether a discoverable credential and user verification are required or preferred. */
  authenticatorSelection?: { residentKey?: string; userVerification?: string };
  /** How long the browser may wait for the user, in milliseconds. */
  timeout?: number;
}

/** `PublicKeyCredentialRequestOptions` (JSON form) for `navigator.credentials.get()`. */
export interface PasskeyRequestOptions {
  /** The server's WebAuthn challenge, base64url. */
  challenge: string;
  /** The relying party ID (a domain) the passkey must belong to. */
  rpId: string;
  /** How long the browser may wait for the user, in milliseconds. */
  timeout?: number;
  /** Whether the authenticator must verify the user (`required`, `preferred`, `discouraged`). */
  userVerification?: string;
}

/** A `PublicKeyCredential` serialised as JSON (`credential.toJSON()`), base64url fields. */
export interface PasskeyCredentialResponse {
  /** The credential ID, base64url. */
  id: string;
  /** The credential ID's raw bytes, base64url (the same value as `id`). */
  rawId: string;
  /** Always `public-key`. */
  type: string;
  /** `platform` (built into the device) or `cross-platform` (a security key, a phone). */
  authenticatorAttachment?: string;
  /** The authenticator's signed answer: attestation for `create()`, assertion for `get()`. */
  response: {
    clientDataJSON: string;
    attestationObject?: string;
    authenticatorData?: string;
    signature?: string;
    userHandle?: string;
    [other: string]: unknown;
  };
  /** Results of the WebAuthn extensions the browser ran. */
  clientExtensionResults?: Record<string, unknown>;
}

/** Profile and placement of the user a passkey signup creates. */
export interface PasskeySignupChallengeBaseOptions {
  /** The new user's full name. */
  name?: string | undefined;
  /** The new user's given (first) name. */
  givenName?: string | undefined;
  /** The new user's family (last) name. */
  familyName?: string | undefined;
  /** The new user's nickname. */
  nickname?: string | undefined;
  /** URL of the new user's picture. */
  picture?: string | undefined;
  /** Stored as `user_metadata` on the new user. */
  userMetadata?: Record<string, string> | undefined;
  /** Database connection (sent as `realm`). */
  realm?: string | undefined;
  /** Organization id or name. */
  organization?: string | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

/** Options of `register`: at least one of `email`, `phoneNumber`, `username`. */
export type PasskeySignupChallengeOptions = PasskeySignupChallengeBaseOptions &
  (
    | { email: string; phoneNumber?: string | undefined; username?: string | undefined }
    | { phoneNumber: string; email?: string | undefined; username?: string | undefined }
    | { username: string; email?: string | undefined; phoneNumber?: string | undefined }
  );

/** What `register` returns: pass `authnParamsPublicKey` to `navigator.credentials.create()`. */
export interface PasskeySignupChallengeResponse {
  /** Opaque session of this signup; pass it to `getTokenByPasskey`, never log it. */
  authSession: string;
  /** What to pass to `navigator.credentials.create()` (with its base64url fields decoded). */
  authnParamsPublicKey: PasskeyCreationOptions;
}

/** Options of `challenge`. */
export interface PasskeyLoginChallengeOptions {
  /** The database connection to log in at (sent as `realm`). */
  realm?: string | undefined;
  /** Organization ID or name to log in to. */
  organization?: string | undefined;
  /** Aborts the request. */
  signal?: AbortSignal | undefined;
}

/** What `challenge` returns: pass `authnParamsPublicKey` to `navigator.credentials.get()`. */
export interface PasskeyLoginChallengeResponse {
  /** Opaque session of this login; pass it to `getTokenByPasskey`, never log it. */
  authSession: string;
  /** What to pass to `navigator.credentials.get()` (with its base64url fields decoded). */
  authnParamsPublicKey: PasskeyRequestOptions;
}

/** Options of `getTokenByPasskey`. */
export interface GetTokenByPasskeyOptions {
  /** From `register` or `challenge`. Single-use. */
  authSession: string;
  /** The browser's credential, serialised. */
  credential: PasskeyCredentialResponse;
  /** The database connection (sent as `realm`); the one of the challenge, when given. */
  realm?: string | undefined;
  /** Scopes to ask for. */
  scope?: string | undefined;
  /** The API (`audience`) to ask an access token for. */
  audience?: string | undefined;
  /** Organization id or name; the ID token's `org_id` / `org_name` is checked against it. */
  organization?: string | undefined;
  /** Aborts the token request. */
  signal?: AbortSignal | undefined;
}
