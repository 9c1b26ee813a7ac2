/**
 * Globals the e2e tests add to pages themselves (the sample app's own are in
 * dev/app/test-hooks.ts). Each is set by the helper or page named before it is read.
 */
import type { SessionState } from '../../src/client/index.js';

declare global {
  interface Window {
    /** recordSessionEvents (lifecycle.ts): every `session` event since it was called. */
    __sessionEvents: SessionState[];
    /** countUpdates (lifecycle/update.spec.ts): `update` events since it was called. */
    __updates: number;
    /** countDelivered (attacks/10-other-origins.spec.ts): messages from the watched origin. */
    __delivered: number;
    /** The attacker's recorder page (attacker.ts): every message posted to it. */
    received: unknown[];
    /** attacks/10-other-origins.spec.ts: the app window the attacker's page opened. */
    app: Window | null;
    /** The packed-tarball Vite app (package.spec.ts): `fetchWithAuth(url)`, body as data. */
    call(url: string): Promise<unknown>;
  }
}
