import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { randomToken } from './random-token.js';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** JSON that is safe inside an inline `<script>` (no `</script>`, no line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

/** Content-Security-Policy inputs of one page. */
export interface PagePolicy {
  /** Origins allowed to frame the page. Default: none. */
  frameAncestors?: readonly string[];
  /** Where forms may submit, including where a form submission may redirect to. */
  formAction?: readonly string[];
  /** Inline script the page needs (it gets a nonce). */
  script?: string;
}

/** One page: its title, trusted body HTML, status and policy. */
export interface PageOptions extends PagePolicy {
  title: string;
  /** Trusted HTML: every interpolated value must already be escaped. */
  body: string;
  status?: ContentfulStatusCode;
  lang?: string;
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f4f5f7;color:#1b1d21}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:min(22rem,90vw)}
h1{font-size:1.4rem;margin:0 0 .25rem}p{margin:.25rem 0 1rem}
label{display:block;font-weight:600;margin-top:1rem}
input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;border:1px solid #767676;border-radius:4px}
button{margin-top:1.5rem;width:100%;padding:.6rem;font:inherit;font-weight:600;color:#fff;background:#0b57d0;border:0;border-radius:4px;cursor:pointer}
[role=alert]{color:#a50e0e;font-weight:600}
`;

/**
 * Renders one of the tenant's pages. They load nothing from anywhere (styles and scripts are
 * inline and nonce-locked), may be framed only by the origins given, and are never cached.
 */
export function renderPage(c: Context, options: PageOptions): Response {
  const nonce = randomToken(16);
  const ancestors = options.frameAncestors?.length ? options.frameAncestors.join(' ') : "'none'";
  const formAction = options.formAction?.length ? options.formAction.join(' ') : "'none'";
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    options.script === undefined ? "script-src 'none'" : `script-src 'nonce-${nonce}'`,
    `form-action ${formAction}`,
    `frame-ancestors ${ancestors}`,
    "base-uri 'none'",
  ].join('; ');
  const script =
    options.script === undefined ? '' : `<script nonce="${nonce}">${options.script}</script>`;
  const html = `<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
${options.body}
${script}
</body>
</html>`;
  return c.html(html, options.status ?? 200, {
    'Content-Security-Policy': csp,
    'Cache-Control': 'no-store',
    // Not no-referrer: with it Chromium sends `Origin: null` on the login form's own POST.
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  });
}

/** A page that explains why the tenant will not continue (nothing is redirected). */
export function errorPage(
  c: Context,
  options: { status?: ContentfulStatusCode; title: string; message: string },
): Response {
  return renderPage(c, {
    title: options.title,
    status: options.status ?? 400,
    body: `<main><h1>${escapeHtml(options.title)}</h1><p role="alert">${escapeHtml(options.message)}</p></main>`,
  });
}
