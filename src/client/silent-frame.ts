import type { LoginOutcome, TokenOptions } from '../rpc/protocol.js';
import { waitForLogin } from './login-waiter.js';
import type { PageKit } from './page-kit.js';
import type { WorkerConnection } from './worker-connection.js';

// Loaded with ./on-demand.ts when the `useRefreshTokensFallback` path first needs a login: not
// in the first chunk.

/** What {@link loginSilently} needs from the client. */
export interface SilentLogin {
  connection: Pick<WorkerConnection, 'call'>;
  /** The audience and scope the failed call asked for; other parameters are the worker's. */
  authorizationParams: TokenOptions;
  timeoutMs: number;
}

/**
 * Silent authentication: `/authorize?prompt=none` in a hidden iframe. Its callback navigation is
 * intercepted and redeemed by the worker like any other; the iframe gets an empty page. Needs the
 * authorization server's session cookie in a third-party context, so it works on the same site
 * (a custom domain) and fails with `login_required` where browsers block third-party cookies.
 */
export async function loginSilently(kit: PageKit, run: SilentLogin): Promise<LoginOutcome> {
  const { connection } = run;
  const { audience, scope } = run.authorizationParams;
  const { url, loginId } = await connection.call('startLogin', {
    authorizationParams: {
      ...(audience ? { audience } : {}),
      ...(scope ? { scope } : {}),
    },
    mode: 'silent',
  });
  const login = waitForLogin(kit, loginId);
  const frame = document.createElement('iframe');
  frame.setAttribute('width', '0');
  frame.setAttribute('height', '0');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.display = 'none';
  frame.src = url;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), run.timeoutMs);
  });
  document.body.appendChild(frame);
  try {
    const first = await Promise.race([login.done.then(() => 'done' as const), timedOut]);
    if (first === 'done') return await connection.call('takeLoginResult', loginId);
    await connection.call('abandonLogin', loginId).catch(() => {});
    throw new kit.TimeoutError({ message: 'Silent authentication did not finish in time.' });
  } finally {
    login.cancel();
    clearTimeout(timer);
    frame.remove();
  }
}
