import type { TenantRuntime } from '../context.js';

/** A one-time code sent by `/passwordless/start` or `/otp/challenge`. */
export interface SentCode {
  clientId: string;
  /** `email` or `sms` for passwordless, the database connection for an OTP challenge. */
  realm: string;
  username: string;
  code: string;
  expiresAt: number;
  attempts: number;
}

/** A pending CIBA request (OpenID CIBA Core, poll mode). */
export interface BackchannelRequest {
  authReqId: string;
  clientId: string;
  userId: string;
  scope: string[];
  audience?: string;
  bindingMessage: string;
  status: 'pending' | 'approved' | 'denied' | 'redeemed';
  expiresAt: number;
  interval: number;
  /** When the grant was last polled, real epoch milliseconds (see the CIBA grant). */
  lastPolledAtMs?: number;
}

/** An anonymous session: its subject and when it ends. */
export interface AnonymousSessionRecord {
  clientId: string;
  subject: string;
  expiresAt: number;
  metadata?: Record<string, string>;
}

/** State of the server-side flows (passwordless, CIBA, anonymous sessions), per tenant. */
export interface ServerFlowState {
  /** By `${clientId}\u0000${realm}\u0000${username}` or by `auth_session`. */
  codes: Map<string, SentCode>;
  ciba: Map<string, BackchannelRequest>;
  anonymous: Map<string, AnonymousSessionRecord>;
}

const STATES = new WeakMap<TenantRuntime, ServerFlowState>();

/** The tenant's server-flow state (kept beside the store: a reset of the tenant need not see it). */
export function flowState(runtime: TenantRuntime): ServerFlowState {
  let state = STATES.get(runtime);
  if (!state) {
    state = { codes: new Map(), ciba: new Map(), anonymous: new Map() };
    STATES.set(runtime, state);
  }
  return state;
}

/** Codes expire after 5 minutes; a code takes 3 wrong guesses before it is burnt. */
export const CODE_LIFETIME_SECONDS = 300;
export const CODE_ATTEMPTS = 3;
