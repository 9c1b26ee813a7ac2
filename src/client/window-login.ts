/**
 * Logins in another window — a popup, or a hidden iframe for silent authentication. The client
 * loads this module on first use (`import('./window-login.js')`), so a page that only redirects
 * downloads neither. One module for both: they share the wait for the worker's announcement,
 * and one chunk gzips smaller than three. Nothing may import it, popup.ts or silent-frame.ts
 * statically, or bundlers put them back into the first chunk.
 */
export { loginInPopup } from './popup.js';
export { loginSilently } from './silent-frame.js';
