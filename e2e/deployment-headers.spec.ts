import { expect, test } from '@playwright/test';
import { cspDirectives } from './support/csp.js';
import { appUrl, type Variant, variantServers } from './support/environment.js';

// The headers the sample app serves are the ones docs/deploying.md recommends. Above all: the
// page's connect-src never lists the authorization server — only the worker talks to it, under
// its own CSP — so page script cannot reach the token endpoint past the worker (Firefox sends
// keepalive fetches and beacons around service workers; e2e/engines/page-csp.spec.ts proves the
// CSP refuses them in every engine). Read over HTTP from the servers the browser suite uses.

const VARIANTS: Variant[] = ['dpop', 'bearer', 'oidc'];

for (const variant of VARIANTS) {
  test(`the ${variant} app's page CSP: connect-src is 'self' and the APIs, never the authorization server; the worker script's CSP lists it`, async () => {
    const { authOrigin, apiOrigins } = variantServers(variant);
    for (const path of ['/', '/callback', '/index.html']) {
      const response = await fetch(`${appUrl(variant)}${path}`);
      expect(response.status, path).toBe(200);
      const page = cspDirectives(response.headers.get('content-security-policy'));
      expect(page.get('connect-src'), path).toEqual(["'self'", ...apiOrigins]);
      expect(page.get('connect-src'), path).not.toContain(authOrigin);
      // No fallback that would let a fetch through: default-src is 'self' only.
      expect(page.get('default-src'), path).toEqual(["'self'"]);
      // What the page does need of the authorization server: frames (silent login) and forms.
      expect(page.get('frame-src'), path).toEqual(["'self'", authOrigin]);
    }
    const worker = await fetch(`${appUrl(variant)}/auth-worker.js`);
    const policy = cspDirectives(worker.headers.get('content-security-policy'));
    expect(policy.get('connect-src')).toEqual(["'self'", authOrigin, ...apiOrigins]);
    expect(policy.get('default-src')).toEqual(["'none'"]);
  });
}
