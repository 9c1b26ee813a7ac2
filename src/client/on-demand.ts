/**
 * What the page client loads on first use, as one chunk (`import('./on-demand.js')`): logins in
 * another window (a popup, or a hidden iframe for silent authentication), passkey ceremonies, and
 * the auth0-spa-js compatibility paths that report a page option or per-call value the worker
 * does not share. A page that only redirects and fetches downloads none of it.
 *
 * One chunk, not one per feature: each chunk is a request and is gzipped on its own, and small
 * files gzip worse, so a page that uses two of these downloads less this way (measured by
 * scripts/budgets.ts, "the whole API"), at the price of a popup-only page also fetching the
 * ~0.5 KB passkey half. Nothing may import these modules statically, or bundlers put them back
 * into the first chunk (the budget check fails if one does).
 */
export { PasskeyCeremonies } from './passkey-ceremony.js';
export { loginInPopup } from './popup.js';
export { loginSilently } from './silent-frame.js';
export { checkPageOptions, checkSame } from './spa-options.js';
