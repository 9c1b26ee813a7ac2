import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { TenantRuntime } from './context.js';
import type { Session } from './store.js';

/** The tenant's login-session cookie. */
export const SESSION_COOKIE = 'enclave_tenant_session';

function secure(runtime: TenantRuntime): boolean {
  return runtime.issuer().startsWith('https:');
}

/** The live session of the browser making this request, if any. */
export function currentSession(c: Context, runtime: TenantRuntime): Session | undefined {
  return runtime.store.findSession(getCookie(c, SESSION_COOKIE), runtime.clock.now());
}

/**
 * Sets the session cookie: HttpOnly, SameSite=Lax, Path=/ (Secure on https). Lax is what lets
 * the silent-auth iframe of an app on another *port* of localhost send it (same site); apps on
 * another site must use refresh tokens instead, as browsers block third-party cookies anyway.
 */
export function setSessionCookie(c: Context, runtime: TenantRuntime, session: Session): void {
  setCookie(c, SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: secure(runtime),
    maxAge: Math.max(0, session.expiresAt - runtime.clock.now()),
  });
}

/** Expires the session cookie in the browser (logout). */
export function clearSessionCookie(c: Context, runtime: TenantRuntime): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: '/',
    secure: secure(runtime),
    httpOnly: true,
    sameSite: 'Lax',
  });
}
