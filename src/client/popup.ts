import type { LoginOutcome, PageAuthorizationParams } from '../rpc/protocol.js';
import { waitForLogin } from './login-waiter.js';
import type { PageKit } from './page-kit.js';
import type { WorkerConnection } from './worker-connection.js';

// Loaded with ./on-demand.ts when `loginWithPopup` is first called: not in the first chunk.

/** What {@link loginInPopup} needs from the client. */
export interface PopupLogin {
  connection: Pick<WorkerConnection, 'call'>;
  /** Opened (blank) by the caller, in the user's gesture: see ./popup-window.ts. */
  popup: Window;
  authorizationParams: PageAuthorizationParams;
  timeoutMs: number;
  /** Close the popup when done (auth0-spa-js's `closePopup`, default true). */
  closePopup: boolean;
}

/** How often a closed popup is noticed: auth0-spa-js polls once a second too. */
const CLOSED_POLL_MS = 1000;

/**
 * Has the worker start a popup login, sends the popup to `/authorize` and waits for the worker to
 * redeem its callback (which it intercepts like a redirect login's). The popup never carries the
 * code to this page: the worker announces the finished login by id and this page fetches the
 * outcome over RPC.
 */
export async function loginInPopup(kit: PageKit, run: PopupLogin): Promise<LoginOutcome> {
  const { connection, popup } = run;
  const { url, loginId } = await connection.call('startLogin', {
    authorizationParams: run.authorizationParams,
    mode: 'popup',
  });
  const login = waitForLogin(kit, loginId);
  let poll: ReturnType<typeof setInterval> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = new Promise<'closed'>((resolve) => {
    poll = setInterval(() => {
      if (popup.closed) resolve('closed');
    }, CLOSED_POLL_MS);
  });
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), run.timeoutMs);
  });
  popup.location.href = url;
  try {
    const first = await Promise.race([login.done.then(() => 'done' as const), closed, timedOut]);
    if (first === 'done') return await connection.call('takeLoginResult', loginId);
    if (first === 'closed') {
      // The login may have finished just before the window closed: ask once before giving up.
      try {
        return await connection.call('takeLoginResult', loginId);
      } catch {
        await connection.call('abandonLogin', loginId).catch(() => {});
        throw new kit.PopupCancelledError({ popup });
      }
    }
    await connection.call('abandonLogin', loginId).catch(() => {});
    throw new kit.PopupTimeoutError({ popup });
  } finally {
    login.cancel();
    clearInterval(poll);
    clearTimeout(timer);
    if (run.closePopup && !popup.closed) popup.close();
  }
}
