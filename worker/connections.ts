import { expose } from 'comlink';
import { VERSION } from '../src/core/version.js';
import { hardenedEndpoint } from '../src/rpc/hardened-endpoint.js';
import type { PublicConfiguration, WorkerApi } from '../src/rpc/protocol.js';
import {
  type ConnectMessage,
  MESSAGE,
  PROTOCOL_VERSION,
  type ReadyMessage,
  type RejectedMessage,
} from '../src/rpc/protocol.js';

declare const self: ServiceWorkerGlobalScope;

/** Lock names the page may ask for: ours, random, bounded. */
const LOCK_NAME = /^auth0-enclave:[A-Za-z0-9_-]{16,64}$/;
/** How long to wait for the connection lock; a page script holding it only stalls its own page. */
const LOCK_TIMEOUT_MS = 2_000;

interface Connection {
  /** The browser's id of the connected page (`Client.id`; not the OAuth client id). */
  windowId: string;
  port: MessagePort;
  release: () => void;
}

/**
 * Accepts RPC connections from pages. The page posts a MessagePort to the worker together with a
 * random lock name; the worker holds a Web Lock of that name for as long as it lives, and the page
 * queues a request for the same lock — granted the moment the worker dies, which is how the page
 * learns its port is dead (a MessagePort to a stopped worker fails silently).
 */
export class Connections {
  readonly #connections = new Set<Connection>();
  readonly #facade: (windowId: string) => WorkerApi;
  readonly #allowed: ReadonlySet<string>;
  readonly #configuration: PublicConfiguration | undefined;

  constructor(
    facade: (windowId: string) => WorkerApi,
    methods: readonly string[],
    /** Sent in the handshake: the page's `getConfiguration()` is synchronous, as in auth0-spa-js. */
    configuration?: PublicConfiguration,
  ) {
    this.#facade = facade;
    this.#allowed = new Set(methods);
    this.#configuration = configuration;
  }

  async accept(event: ExtendableMessageEvent): Promise<void> {
    const data = event.data as Partial<ConnectMessage>;
    const port = event.ports[0];
    const source = event.source;
    if (!port || !source || !('id' in source) || typeof source.id !== 'string') return;
    if (
      data.protocol !== PROTOCOL_VERSION ||
      typeof data.lock !== 'string' ||
      !LOCK_NAME.test(data.lock)
    ) {
      const rejected: RejectedMessage = {
        type: MESSAGE.rejected,
        protocol: PROTOCOL_VERSION,
        reason: data.protocol !== PROTOCOL_VERSION ? 'protocol' : 'malformed',
      };
      port.postMessage(rejected);
      port.close();
      return;
    }
    await this.#prune();
    const release = await holdLock(data.lock);
    if (!release) {
      port.close();
      return;
    }
    const connection: Connection = { windowId: source.id, port, release };
    this.#connections.add(connection);
    expose(this.#facade(source.id), hardenedEndpoint(port, this.#allowed));
    const ready: ReadyMessage = {
      type: MESSAGE.ready,
      protocol: PROTOCOL_VERSION,
      version: VERSION,
      configuration: this.#configuration,
    };
    port.postMessage(ready);
  }

  /** Releases the locks of connections whose page is gone, so they do not pile up. */
  async #prune(): Promise<void> {
    for (const connection of this.#connections) {
      if (!(await self.clients.get(connection.windowId))) {
        connection.release();
        connection.port.close();
        this.#connections.delete(connection);
      }
    }
  }
}

/** Takes the named lock and keeps it until `release()` or the worker's death. */
function holdLock(name: string): Promise<(() => void) | undefined> {
  return new Promise((resolve) => {
    let release: () => void = () => {};
    const held = new Promise<void>((done) => {
      release = done;
    });
    const timer = setTimeout(() => resolve(undefined), LOCK_TIMEOUT_MS);
    navigator.locks
      .request(name, () => {
        clearTimeout(timer);
        resolve(release);
        return held;
      })
      .catch(() => resolve(undefined));
  });
}
