import {
  type LoginMessage,
  MESSAGE,
  type SessionMessage,
  type SessionState,
} from '../src/rpc/protocol.js';

declare const self: ServiceWorkerGlobalScope;

/**
 * Tells every window of the origin that the session changed. Messages from the worker arrive on
 * `navigator.serviceWorker` with the worker as their source, which page script cannot forge for
 * other tabs (a BroadcastChannel could be written to by any same-origin script).
 */
export function broadcastSession(state: SessionState): void {
  const message: SessionMessage = { type: MESSAGE.session, state };
  post(message);
}

/** Tells every window that the popup or silent login `loginId` finished. */
export function broadcastLogin(loginId: string): void {
  const message: LoginMessage = { type: MESSAGE.login, loginId };
  post(message);
}

function post(message: SessionMessage | LoginMessage): void {
  void self.clients
    .matchAll({ type: 'window', includeUncontrolled: true })
    .then((clients) => {
      for (const client of clients) client.postMessage(message);
    })
    .catch(() => {});
}
