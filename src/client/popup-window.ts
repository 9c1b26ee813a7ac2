/**
 * Opens the login popup. Must run synchronously in the click handler (browsers block popups
 * opened after an `await`), so the page opens a blank window first and points it at
 * `/authorize` once the worker has prepared the transaction — as auth0-spa-js does. This is the
 * one part of a popup login that cannot wait for its module (./popup.ts) to load.
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
