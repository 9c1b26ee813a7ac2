import type { Context } from 'hono';
import type { ResponseTarget } from './authorization-request.js';
import type { TenantRuntime } from './context.js';
import { escapeHtml, renderPage, scriptJson } from './html-page.js';

/** What the authorization endpoint answers: a code, or an error. */
export type AuthorizationResult = { code: string } | { error: string; description: string };

function responseParams(
  target: ResponseTarget,
  result: AuthorizationResult,
  issuer: string,
): [string, string][] {
  const params: [string, string][] =
    'code' in result
      ? [['code', result.code]]
      : [
          ['error', result.error],
          ['error_description', result.description],
        ];
  if (target.state !== undefined) params.push(['state', target.state]);
  // RFC 9207: every authorization response, success or error, names its issuer, so a client
  // talking to several servers cannot be sent one server's code as another's (mix-up).
  params.push(['iss', issuer]);
  return params;
}

/**
 * Sends the authorization response to a trusted redirect_uri in the requested response mode:
 * a 302 with query or fragment parameters, an auto-submitting form (`form_post`), or a page that
 * posts `{type: 'authorization_response', response}` to its opener or parent (`web_message`,
 * the auth0-spa-js popup and silent-iframe flows).
 */
export function sendAuthorizationResponse(
  c: Context,
  runtime: TenantRuntime,
  target: ResponseTarget,
  result: AuthorizationResult,
): Response {
  const params = responseParams(target, result, runtime.issuer());
  const redirectOrigin = new URL(target.redirectUri).origin;
  c.header('Cache-Control', 'no-store');

  switch (target.responseMode) {
    case 'query': {
      const url = new URL(target.redirectUri);
      for (const [name, value] of params) url.searchParams.set(name, value);
      return c.redirect(url.href, 302);
    }
    case 'fragment': {
      const url = new URL(target.redirectUri);
      url.hash = new URLSearchParams(params).toString();
      return c.redirect(url.href, 302);
    }
    case 'form_post': {
      const inputs = params
        .map(
          ([name, value]) =>
            `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        )
        .join('');
      return renderPage(c, {
        title: 'Continuing…',
        formAction: [redirectOrigin],
        body: `<main><form method="post" action="${escapeHtml(target.redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></main>`,
        script: 'document.forms[0].submit();',
      });
    }
    case 'web_message': {
      const response = Object.fromEntries(params);
      const message = { type: 'authorization_response', response };
      // Framing is allowed only for the client's allowed web origins: the silent-auth iframe
      // lives there. (The request was refused before this point for any other origin.)
      const client = runtime.directory.client(target.clientId);
      return renderPage(c, {
        title: 'Authorization response',
        frameAncestors: client?.allowedWebOrigins ?? [],
        body: '<main><p>You can close this window.</p></main>',
        script: `(window.opener || window.parent).postMessage(${scriptJson(message)}, ${scriptJson(redirectOrigin)});`,
      });
    }
  }
}
