import type { LoginMessage } from '../rpc/protocol.js';
import type { PageKit } from './page-kit.js';

/**
 * Resolves when the worker announces that the login `loginId` finished. The announcement comes
 * from the service worker itself (its `source` is a ServiceWorker), carries only the id, and the
 * outcome is then fetched over RPC — so a forged message can at most make the page ask early.
 */
export function waitForLogin(
  kit: PageKit,
  loginId: string,
): { done: Promise<void>; cancel: () => void } {
  let cancel: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    const listener = (event: MessageEvent) => {
      if (!(event.source instanceof ServiceWorker)) return;
      const data = event.data as Partial<LoginMessage> | null;
      if (data?.type === kit.MESSAGE.login && data.loginId === loginId) {
        cancel();
        resolve();
      }
    };
    navigator.serviceWorker.addEventListener('message', listener);
    cancel = () => navigator.serviceWorker.removeEventListener('message', listener);
  });
  return { done, cancel };
}
