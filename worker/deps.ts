import type { ConnectedAccount } from '../src/core/my-account/complete.js';
import type { SessionState, WorkerApi, WorkerMethod } from '../src/rpc/protocol.js';
import type { ResolvedConfig } from './config.js';
import { PasskeyCeremonies } from './passkey-ceremonies.js';
import type { TokenKey } from './policy.js';
import { ServerEndpoints } from './server-endpoints.js';
import { type AccessToken, Session } from './session.js';
import { StepUps } from './step-ups.js';
import type { ConnectTransaction, Vault } from './vault.js';

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
  /** The optional features the app installed (features.ts); the base worker knows none of them. */
  features: readonly FeatureParts[];
  now: () => number;
}

/**
 * The optional worker features: `auth0.myAccount.*` with `connectAccountWithRedirect` (the My
 * Account API), and `auth0.anonymous.*`.
 */
export type WorkerFeatureName = 'myAccountApi' | 'anonymousSessions';

/** The RPC methods only an optional feature serves (features.ts answers them when it is absent). */
export type FeatureMethod = Extract<
  WorkerMethod,
  `myAccount${string}` | `anonymous${string}` | 'startConnect'
>;

/** Feature methods as the feature writes them: the worker's parts, then the page's arguments. */
export type FeatureHandlers = {
  [M in FeatureMethod]?: (
    deps: WorkerDeps,
    ...args: Parameters<WorkerApi[M]>
  ) => Awaited<ReturnType<WorkerApi[M]>> | ReturnType<WorkerApi[M]>;
};

/**
 * What an optional feature brings into the worker. A service worker cannot `import()`, so a
 * feature is code the app's worker script imports and hands to `installAuthWorker`: an app that
 * does not use it does not carry it. Declared here (not in features.ts) because the worker's parts
 * hold it, and features.ts reads those parts.
 */
export interface FeatureParts {
  readonly name: WorkerFeatureName;
  /**
   * The RPC methods it serves, each taking the worker's parts first; features.ts binds them for
   * the facade.
   */
  readonly methods: FeatureHandlers;
  /** For the callback: finishes a connect flow (`connectAccountWithRedirect`; the My Account API only). */
  readonly completeConnect?: (
    deps: WorkerDeps,
    transaction: ConnectTransaction,
    callbackUrl: string,
  ) => Promise<ConnectedAccount>;
  /**
   * For the fetch router: the token for an allow-listed request while no user is logged in, or
   * `undefined` (anonymous sessions only).
   */
  readonly anonymousAccessToken?: (
    deps: WorkerDeps,
    key: TokenKey,
    failed: string | undefined,
  ) => Promise<AccessToken | undefined>;
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
  /** Checked by features.ts (`checkWorkerOptions`); none by default. */
  features?: readonly FeatureParts[];
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
    features: options.features ?? [],
    now,
  };
}
