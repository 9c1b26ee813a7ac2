// The passkey API's public shapes, camelCase and named as in @auth0/auth0-auth-js; the wire
// speaks snake_case JSON (WIRE.md, "Passkeys"). Binary fields are base64url strings throughout.

/** `PublicKeyCredentialCreationOptions` (JSON form) for `navigator.credentials.create()`. */
export interface PasskeyCreationOptions {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: Array<{ type: string; alg: number }>;
  authenticatorSelection?: { residentKey?: string; userVerification?: string };
  timeout?: number;
}

/** `PublicKeyCredentialRequestOptions` (JSON form) for `navigator.credentials.get()`. */
export interface PasskeyRequestOptions {
  challenge: string;
  rpId: string;
  timeout?: number;
  userVerification?: string;
}

/** A `PublicKeyCredential` serialised as JSON (`credential.toJSON()`), base64url fields. */
export interface PasskeyCredentialResponse {
  id: string;
  rawId: string;
  type: string;
  authenticatorAttachment?: string;
  response: {
    clientDataJSON: string;
    attestationObject?: string;
    authenticatorData?: string;
    signature?: string;
    userHandle?: string;
    [other: string]: unknown;
  };
  clientExtensionResults?: Record<string, unknown>;
}

/** Profile and placement of the user a passkey signup creates. */
export interface PasskeySignupChallengeBaseOptions {
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  nickname?: string | undefined;
  picture?: string | undefined;
  /** Stored as `user_metadata` on the new user. */
  userMetadata?: Record<string, string> | undefined;
  /** Database connection (sent as `realm`). */
  realm?: string | undefined;
  /** Organization id or name. */
  organization?: string | undefined;
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
  authSession: string;
  authnParamsPublicKey: PasskeyCreationOptions;
}

/** Options of `challenge`. */
export interface PasskeyLoginChallengeOptions {
  realm?: string | undefined;
  organization?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What `challenge` returns: pass `authnParamsPublicKey` to `navigator.credentials.get()`. */
export interface PasskeyLoginChallengeResponse {
  authSession: string;
  authnParamsPublicKey: PasskeyRequestOptions;
}

/** Options of `getTokenByPasskey`. */
export interface GetTokenByPasskeyOptions {
  /** From `register` or `challenge`. Single-use. */
  authSession: string;
  /** The browser's credential, serialised. */
  credential: PasskeyCredentialResponse;
  realm?: string | undefined;
  scope?: string | undefined;
  audience?: string | undefined;
  /** Organization id or name; the ID token's `org_id` / `org_name` is checked against it. */
  organization?: string | undefined;
  signal?: AbortSignal | undefined;
}
