/// <reference path="./workbox-window-build.d.ts" />
import { type Remote, wrap } from 'comlink';
import { Workbox } from 'workbox-window/build/workbox-window.prod.mjs';
import { TimeoutError, WorkerUnavailableError } from '../core/errors.js';
import {
  type ConnectMessage,
  MESSAGE,
  PROTOCOL_VERSION,
  type PublicConfiguration,
  type ReadyMessage,
  type RejectedMessage,
  type WorkerApi,
  type WorkerMethod,
} from '../rpc/protocol.js';
import { installErrorRebuild } from '../rpc/rebuild-error.js';

/** Options of {@link WorkerConnection}. */
export interface WorkerConnectionOptions {
  workerUrl: string;
  workerType: 'module' | 'classic';
  scope?: string | undefined;
  /** Registration, activation and handshake together, ms. */
  connectTimeoutMs: number;
  /** Each call, ms. */
  callTimeoutMs: number;
  /** A new worker version is installed and waiting. */
  onUpdateWaiting?: () => void;
}

/**
 * Pages ping the worker this often while a call is pending or a flow holds it: port messages alone
 * do not keep a worker alive, and it stays up 15 s per keep-alive message (src/worker/install.ts).
 */
const KEEP_ALIVE_INTERVAL_MS = 10_000;

class WorkerDied extends Error {}

/**
 * The page's one RPC connection to the worker. Registers the worker (workbox-window), waits for
 * it to control the page, hands it a MessagePort, and wraps that port with Comlink.
 *
 * A worker the browser stops takes the port with it, silently: calls on it never settle. The
 * worker holds a Web Lock named per connection; this side queues for the same lock and is granted
 * it when the worker dies, then reconnects (which restarts the worker). Calls in flight at that
 * moment are retried once on the new connection, and every call has a timeout besides.
 */
export class WorkerConnection {
  readonly #options: WorkerConnectionOptions;
  #registered: Promise<ServiceWorkerRegistration> | undefined;
  #remote: Promise<Remote<WorkerApi>> | undefined;
  readonly #dying = new Set<(error: Error) => void>();
  #pending = 0;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  /** Whether {@link holdOpen} holds the worker for as long as the page is open. */
  #held = false;
  /** The worker's public configuration, from the last handshake. */
  configuration: PublicConfiguration | undefined;

  constructor(options: WorkerConnectionOptions) {
    this.#options = options;
    installErrorRebuild();
  }

  /** Calls a worker method: connects if needed, times out, retries once if the worker died meanwhile. */
  async call<M extends WorkerMethod>(
    method: M,
    ...args: Parameters<WorkerApi[M]>
  ): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#callOnce(method, args);
      } catch (error) {
        if (error instanceof WorkerDied && attempt === 0) continue;
        if (error instanceof WorkerDied)
          throw new WorkerUnavailableError({ message: 'The auth worker stopped during the call.' });
        throw error;
      }
    }
  }

  /** Resolves once the worker controls this page and a connection is open. */
  async ready(): Promise<void> {
    await this.#connect();
  }

  /**
   * Keeps the worker running, as a pending call does, for at most `ms` or until the returned
   * function is called. For flows whose state the worker keeps in memory only while the user is
   * busy elsewhere — an MFA step-up's mfa_token while they scan a QR code or type an OTP, a
   * passkey ceremony's `auth_session` while they touch a key: a browser stops an idle worker
   * after ~30 s.
   */
  hold(ms: number): () => void {
    this.#startKeepAlive();
    let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => release(), ms);
    const release = () => {
      if (timer === undefined) return;
      clearTimeout(timer);
      timer = undefined;
      this.#stopKeepAlive();
    };
    return release;
  }

  /** Asks a waiting new worker version to take over; the connection follows it. */
  async applyUpdate(): Promise<void> {
    const registration = await this.#register();
    const waiting = registration.waiting;
    if (!waiting) return;
    const changed = new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
    waiting.postMessage({ type: MESSAGE.skipWaiting });
    await withTimeout(
      changed,
      this.#options.connectTimeoutMs,
      'The new auth worker did not take over in time.',
    );
    this.#remote = undefined;
    await this.#connect();
  }

  async #callOnce<M extends WorkerMethod>(
    method: M,
    args: unknown[],
  ): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    const remote = await this.#connect();
    let onDeath: (error: Error) => void = () => {};
    const died = new Promise<never>((_, reject) => {
      onDeath = reject;
    });
    this.#dying.add(onDeath);
    this.#startKeepAlive();
    try {
      const invoke = (remote[method] as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
      return (await withTimeout(
        Promise.race([invoke, died]),
        this.#options.callTimeoutMs,
        `The auth worker did not answer "${method}" in time.`,
      )) as Awaited<ReturnType<WorkerApi[M]>>;
    } finally {
      this.#dying.delete(onDeath);
      this.#stopKeepAlive();
    }
  }

  #register(): Promise<ServiceWorkerRegistration> {
    this.#registered ??= (async () => {
      if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) {
        throw new WorkerUnavailableError({
          message:
            'Service workers are unavailable here (an insecure context, a private window, or disabled). ' +
            'auth0-enclave keeps tokens only in its worker, so it cannot log in without one.',
        });
      }
      const workbox = new Workbox(this.#options.workerUrl, {
        type: this.#options.workerType,
        ...(this.#options.scope ? { scope: this.#options.scope } : {}),
      });
      // A version counts once, however it is noticed. workbox-window reports a version that was
      // already waiting when the page loaded, and the first update after; it then drops its
      // `updatefound` listener, so a tab open across more releases heard of none of them (found
      // by e2e/lifecycle): `updatefound` on the registration, below, reports every one.
      const announced = new WeakSet<ServiceWorker>();
      const announce = (worker: ServiceWorker | null | undefined) => {
        if (!worker || announced.has(worker)) return;
        announced.add(worker);
        this.#options.onUpdateWaiting?.();
      };
      workbox.addEventListener('waiting', (event) => announce(event.sw));
      navigator.serviceWorker.startMessages();
      let registration: ServiceWorkerRegistration | undefined;
      try {
        registration = await workbox.register({ immediate: true });
      } catch (cause) {
        throw new WorkerUnavailableError({
          message: `The auth worker could not be registered: ${(cause as Error).message}`,
          cause,
        });
      }
      if (!registration)
        throw new WorkerUnavailableError({
          message: 'Service workers are blocked in this browser.',
        });
      registration.addEventListener('updatefound', () => {
        const installing = registration.installing;
        installing?.addEventListener('statechange', () => {
          // Waiting behind the worker in control: a first install activates at once instead.
          if (
            installing.state === 'installed' &&
            registration.waiting === installing &&
            navigator.serviceWorker.controller
          )
            announce(installing);
        });
      });
      return registration;
    })().catch((error: unknown) => {
      this.#registered = undefined;
      throw error;
    });
    return this.#registered;
  }

  #connect(): Promise<Remote<WorkerApi>> {
    this.#remote ??= withTimeout(
      this.#open(true),
      this.#options.connectTimeoutMs,
      'The auth worker did not take control of the page in time.',
      WorkerUnavailableError,
    ).catch((error: unknown) => {
      this.#remote = undefined;
      throw error;
    });
    return this.#remote;
  }

  async #open(mayUpdate: boolean): Promise<Remote<WorkerApi>> {
    const registration = await this.#register();
    const controller = await controlled(registration);
    const { port1, port2 } = new MessageChannel();
    // A UUID fits the worker's lock-name check (src/worker/connections.ts) and is unguessable.
    const lock = `auth0-enclave:${crypto.randomUUID()}`;
    const answer = new Promise<ReadyMessage | RejectedMessage>((resolve) => {
      port1.addEventListener('message', function first(event: MessageEvent) {
        const data = event.data as { type?: unknown } | null;
        if (data?.type === MESSAGE.ready || data?.type === MESSAGE.rejected) {
          port1.removeEventListener('message', first);
          resolve(data as ReadyMessage | RejectedMessage);
        }
      });
      port1.start();
    });
    const connect: ConnectMessage = { type: MESSAGE.connect, protocol: PROTOCOL_VERSION, lock };
    controller.postMessage(connect, [port2]);
    const reply = await answer;
    if (reply.type === MESSAGE.rejected) {
      port1.close();
      // A page of a new release finds the old worker in control before the browser has looked
      // for the new one (it does so after the navigation, in its own time): look now, and wait
      // for the install, before deciding there is no matching worker (found by e2e/lifecycle;
      // the connect timeout bounds the wait).
      if (reply.reason === 'protocol' && mayUpdate) {
        await registration.update().catch(() => {});
        await installed(registration);
      }
      if (reply.reason === 'protocol' && mayUpdate && registration.waiting) {
        // This page is newer (or older) than the worker in control; a matching one is waiting.
        await this.applyUpdate();
        return this.#open(false);
      }
      throw new WorkerUnavailableError({
        message: `The auth worker speaks protocol ${reply.protocol}, this page ${PROTOCOL_VERSION}; reload once the new worker is installed.`,
      });
    }
    this.configuration = reply.configuration;
    const remote = wrap<WorkerApi>(port1);
    void navigator.locks.request(lock, () => this.#died(remote));
    return remote;
  }

  #died(remote: Remote<WorkerApi>): void {
    void this.#remote?.then((current) => {
      if (current === remote) this.#remote = undefined;
    });
    for (const reject of this.#dying) reject(new WorkerDied());
    this.#dying.clear();
  }

  /**
   * Pings the worker for as long as this page is open (the memory custody mode: the session lives
   * only in the worker, so an open tab keeps it). Each ping is an extendable message event; the
   * worker holds itself up a while per ping (worker/install.ts).
   */
  holdOpen(): void {
    if (this.#held) return;
    this.#held = true;
    ping();
    // A call that never ends: the pings run for as long as the page is open.
    this.#startKeepAlive();
  }

  #startKeepAlive(): void {
    this.#pending++;
    this.#keepAlive ??= setInterval(ping, KEEP_ALIVE_INTERVAL_MS);
  }

  #stopKeepAlive(): void {
    this.#pending--;
    if (this.#pending === 0 && this.#keepAlive) {
      clearInterval(this.#keepAlive);
      this.#keepAlive = undefined;
    }
  }
}

/** One keep-alive message to the worker in control (worker/install.ts holds itself up a while per message). */
function ping(): void {
  navigator.serviceWorker.controller?.postMessage({ type: MESSAGE.keepAlive });
}

/** The worker controlling this page, asking the active one to claim the page if it does not yet. */
async function controlled(registration: ServiceWorkerRegistration): Promise<ServiceWorker> {
  const container = navigator.serviceWorker;
  if (container.controller) return container.controller;
  const changed = new Promise<void>((resolve) =>
    container.addEventListener('controllerchange', () => resolve(), { once: true }),
  );
  const active = registration.active ?? (await container.ready).active;
  if (container.controller) return container.controller;
  // A hard reload (or a page that loaded while the worker activated) is not controlled yet.
  active?.postMessage({ type: MESSAGE.claim });
  await changed;
  if (!container.controller)
    throw new WorkerUnavailableError({
      message: 'The auth worker did not take control of the page.',
    });
  return container.controller;
}

/** Resolves once the registration's installing worker (if any) is installed or has failed. */
function installed(registration: ServiceWorkerRegistration): Promise<void> {
  const installing = registration.installing;
  if (!installing) return Promise.resolve();
  return new Promise((resolve) => {
    const settled = () => {
      if (installing.state !== 'installing') {
        installing.removeEventListener('statechange', settled);
        resolve();
      }
    };
    installing.addEventListener('statechange', settled);
    settled();
  });
}

/** Rejects with `ErrorClass` when `promise` does not settle within `ms`. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
  ErrorClass: new (options: { message: string }) => Error = TimeoutError,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ErrorClass({ message })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
