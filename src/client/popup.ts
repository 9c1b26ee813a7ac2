import { PopupCancelledError, PopupTimeoutError } from '../core/errors.js';
import type { LoginOutcome } from '../rpc/protocol.js';
import { waitForLogin } from './login-waiter.js';

/**
 * Opens the login popup. Must run synchronously in the click handler (browsers block popups
 * opened after an `await`), so the page opens a blank window first and points it at
 * `/authorize` once the worker has prepared the transaction — as auth0-spa-js does.
 */
export function openPopup(): Window | null {
  const width = 400;
  const height = 600;
  const left = window.screenX + (window.innerWidth - width) / 2;
  const top = window.screenY + (window.innerHeight - height) / 2;
  return window.open(
    '',
    'auth0:authorize:popup',
    `left=${left},top=${top},width=${width},height=${height},resizable,scrollbars=yes,status=1`,
  );
}

/** What {@link runPopup} needs from the client. */
export interface PopupRun {
  popup: Window;
  url: string;
  loginId: string;
  timeoutMs: number;
  /** Close the popup when done (auth0-spa-js's `closePopup`, default true). */
  closePopup: boolean;
  take: (loginId: string) => Promise<LoginOutcome>;
  abandon: (loginId: string) => Promise<void>;
}

/** How often a closed popup is noticed: auth0-spa-js polls once a second too. */
const CLOSED_POLL_MS = 1000;

/**
 * Sends the popup to `/authorize` and waits for the worker to redeem its callback (which it
 * intercepts like a redirect login's). The popup never carries the code to this page: the
 * worker announces the finished login by id and this page fetches the outcome over RPC.
 */
export async function runPopup(run: PopupRun): Promise<LoginOutcome> {
  const login = waitForLogin(run.loginId);
  let poll: ReturnType<typeof setInterval> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = new Promise<'closed'>((resolve) => {
    poll = setInterval(() => {
      if (run.popup.closed) resolve('closed');
    }, CLOSED_POLL_MS);
  });
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), run.timeoutMs);
  });
  run.popup.location.href = run.url;
  try {
    const first = await Promise.race([login.done.then(() => 'done' as const), closed, timedOut]);
    if (first === 'done') return await run.take(run.loginId);
    if (first === 'closed') {
      // The login may have finished just before the window closed: ask once before giving up.
      try {
        return await run.take(run.loginId);
      } catch {
        await run.abandon(run.loginId).catch(() => {});
        throw new PopupCancelledError();
      }
    }
    await run.abandon(run.loginId).catch(() => {});
    throw new PopupTimeoutError();
  } finally {
    login.cancel();
    clearInterval(poll);
    clearTimeout(timer);
    if (run.closePopup && !run.popup.closed) run.popup.close();
  }
}
