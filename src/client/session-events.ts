import { MESSAGE, type SessionMessage, type SessionState } from '../rpc/protocol.js';

/** Events an {@link Auth0Client} emits. */
export interface Auth0ClientEvents {
  /** The session changed, in this tab or another (login, logout, refresh refused). */
  session: (state: SessionState) => void;
  /** A new version of the worker is installed and waits for `applyUpdate()`. */
  update: () => void;
}

/** A tiny typed emitter, fed by messages whose source is the service worker itself. */
export class SessionEvents {
  readonly #listeners: { [K in keyof Auth0ClientEvents]: Set<Auth0ClientEvents[K]> } = {
    session: new Set(),
    update: new Set(),
  };
  #listening = false;

  on<K extends keyof Auth0ClientEvents>(event: K, listener: Auth0ClientEvents[K]): () => void {
    this.#listen();
    this.#listeners[event].add(listener);
    return () => this.#listeners[event].delete(listener);
  }

  emitUpdate(): void {
    for (const listener of this.#listeners.update) listener();
  }

  #listen(): void {
    if (this.#listening || typeof navigator === 'undefined' || !navigator.serviceWorker) return;
    this.#listening = true;
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
      if (!(event.source instanceof ServiceWorker)) return;
      const data = event.data as Partial<SessionMessage> | null;
      if (data?.type !== MESSAGE.session || typeof data.state?.authenticated !== 'boolean') return;
      for (const listener of this.#listeners.session) listener(data.state);
    });
  }
}
