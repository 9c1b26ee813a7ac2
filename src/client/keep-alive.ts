import { MESSAGE } from '../rpc/protocol.js';

/** The worker stays up 15 s per keep-alive message (worker/install.ts): ping well within. */
const PING_MS = 10_000;

/** Keeps the worker up from `hold()` until `release()`, or `maxMs` after the last `hold()`. */
export interface WorkerHold {
  hold(): void;
  release(): void;
}

/**
 * Keeps the worker running while the user is busy elsewhere — scanning a QR code, typing an
 * OTP, touching a security key. The worker holds that flow's mfa_token or `auth_session` in
 * memory only, and a browser stops an idle worker after ~30 s; a message from the page is an
 * event that keeps it up. One hold per client (`auth0.mfa`, `auth0.passkey`).
 */
export function workerHold(maxMs: number): WorkerHold {
  let timer: ReturnType<typeof setInterval> | undefined;
  let limit: ReturnType<typeof setTimeout> | undefined;
  const ping = () => navigator.serviceWorker?.controller?.postMessage({ type: MESSAGE.keepAlive });
  const release = () => {
    clearInterval(timer);
    clearTimeout(limit);
    timer = undefined;
  };
  return {
    hold() {
      if (!timer) {
        ping();
        timer = setInterval(ping, PING_MS);
      }
      clearTimeout(limit);
      limit = setTimeout(release, maxMs);
    },
    release,
  };
}
