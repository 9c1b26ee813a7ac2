import type { SessionState } from '../src/rpc/protocol.js';
import type { ResolvedConfig } from './config.js';
import { PasskeyCeremonies } from './passkey-ceremonies.js';
import { ServerEndpoints } from './server-endpoints.js';
import { Session } from './session.js';
import { StepUps } from './step-ups.js';
import type { Vault } from './vault.js';

/** What every entry point of the worker works with: one of each per worker. */
export interface WorkerDeps {
  config: ResolvedConfig;
  vault: Vault;
  session: Session;
  /** Step-ups in progress (MFA), by the handle the page holds. */
  stepUps: StepUps;
  /** Passkey ceremonies in progress, by ceremony id. */
  ceremonies: PasskeyCeremonies;
  /** Where the server's metadata puts the endpoints only the worker may call. */
  endpoints: ServerEndpoints;
  now: () => number;
}

/**
 * Assembles the worker's parts: the session, and what lives as long as it but is not it, wired
 * to end with it. `installAuthWorker` calls this once; tests call it for a worker in Node.
 */
export function createWorkerDeps(options: {
  config: ResolvedConfig;
  vault: Vault;
  /** Tells every tab about a session change. */
  broadcast: (state: SessionState) => void;
  now?: () => number;
  fetch?: typeof fetch;
}): WorkerDeps {
  const now = options.now ?? (() => Date.now());
  const stepUps = new StepUps({ now });
  const ceremonies = new PasskeyCeremonies({ now });
  const session = new Session({ ...options, now, stepUps });
  session.onEnd(() => ceremonies.clear());
  const endpoints = new ServerEndpoints();
  return {
    config: options.config,
    vault: options.vault,
    session,
    stepUps,
    ceremonies,
    endpoints,
    now,
  };
}
