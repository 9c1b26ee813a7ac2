// The records the vault keeps: a leaf module, so the checks that read them back
// (vault-records.ts) and the vault itself (vault.ts) can both name them.
import type { ConnectedAccount } from '../src/core/my-account/complete.js';
import type { SerializedError } from '../src/rpc/errors.js';
import type { IdTokenClaims } from '../src/rpc/protocol.js';

/** How a login reaches the user: a full-page redirect, a popup, or a hidden iframe (`prompt=none`). */
export type LoginMode = 'redirect' | 'popup' | 'silent';

/** A login in progress, from `/authorize` to the callback. */
export interface LoginTransaction {
  kind: 'login';
  mode: LoginMode;
  /** Names the login to the page that waits for it (popup, silent); not a secret. */
  loginId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  audience: string | undefined;
  scope: string;
  maxAge: number | undefined;
  organization: string | undefined;
  appState: unknown;
  /** Thumbprint of the DPoP key the code is bound to (`dpop_jkt`). */
  jkt: string | undefined;
  createdAt: number;
}

/** A My Account API connect flow in progress, from `/connect` to the provider's callback. */
export interface ConnectTransaction {
  kind: 'connect';
  mode: 'redirect';
  loginId: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
  connection: string;
  authSession: string;
  appState: unknown;
  jkt: string | undefined;
  createdAt: number;
}

export type Transaction = LoginTransaction | ConnectTransaction;

/** What a finished login left for the page that waits for it. */
export interface LoginResult {
  ok: boolean;
  appState?: unknown;
  error?: SerializedError;
  /** The flow's mode and id, to file the result where its page will look. */
  mode?: LoginMode | undefined;
  loginId?: string | undefined;
  /** Set when the flow was a connect flow. */
  connected?: ConnectedAccount | undefined;
  createdAt: number;
}

/** A refresh token as persisted (only when it may be: DPoP-bound, or the config opted in). */
export interface StoredRefreshToken {
  token: string;
  scope: string;
  audience: string | undefined;
  dpopBound: boolean;
}

/** The persisted part of a session. */
export interface StoredSession {
  /** `base|clientId`: a session for another tenant or client is discarded, never used. */
  configKey: string;
  /** Thumbprint of the DPoP key stored with this session; the key is used only when it matches. */
  jkt?: string | undefined;
  claims: IdTokenClaims;
  refreshTokens: Record<string, StoredRefreshToken>;
}
