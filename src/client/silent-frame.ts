import { TimeoutError } from '../core/errors.js';
import type { LoginOutcome } from '../rpc/protocol.js';
import { waitForLogin } from './login-waiter.js';

/** What {@link runSilent} needs from the client. */
export interface SilentRun {
  url: string;
  loginId: string;
  timeoutMs: number;
  take: (loginId: string) => Promise<LoginOutcome>;
  abandon: (loginId: string) => Promise<void>;
}

/**
 * Silent authentication: `/authorize?prompt=none` in a hidden iframe. Its callback navigation is
 * intercepted and redeemed by the worker like any other; the iframe gets an empty page. Needs the
 * authorization server's session cookie in a third-party context, so it works on the same site
 * (a custom domain) and fails with `login_required` where browsers block third-party cookies.
 */
export async function runSilent(run: SilentRun): Promise<LoginOutcome> {
  const login = waitForLogin(run.loginId);
  const frame = document.createElement('iframe');
  frame.setAttribute('width', '0');
  frame.setAttribute('height', '0');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.display = 'none';
  frame.src = run.url;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), run.timeoutMs);
  });
  document.body.appendChild(frame);
  try {
    const first = await Promise.race([login.done.then(() => 'done' as const), timedOut]);
    if (first === 'done') return await run.take(run.loginId);
    await run.abandon(run.loginId).catch(() => {});
    throw new TimeoutError({ message: 'Silent authentication did not finish in time.' });
  } finally {
    login.cancel();
    clearTimeout(timer);
    frame.remove();
  }
}
