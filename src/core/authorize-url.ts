import { type AuthorizationParams, mergeAuthorizationParams } from './authorization-params.js';
import type { ClientContext } from './context.js';
import { createPkce } from './pkce.js';
import { randomString } from './random.js';

/** What {@link buildAuthorizationUrl} returns: the URL, and the secrets to keep until the callback. */
export interface AuthorizationRequest {
  /** The `/authorize` URL to send the user to. */
  authorizationUrl: URL;
  /** The PKCE verifier: keep it server-side (or in the worker); it redeems the code. */
  codeVerifier: string;
  /** The `state` sent; the callback must carry the same. */
  state: string;
  /** The `nonce` sent; the ID token must carry the same. */
  nonce: string;
  /** The merged parameters that were sent (without the generated ones). */
  params: AuthorizationParams;
}

/**
 * Builds the `/authorize` URL for the authorization-code flow with PKCE S256 (always), a fresh
 * `state` and `nonce`, and `dpop_jkt` when the context has a DPoP key (binding the code to it).
 */
export async function buildAuthorizationUrl(
  context: ClientContext,
  options: {
    defaults?: AuthorizationParams | undefined;
    authorizationParams?: AuthorizationParams | undefined;
    /**
     * Push the parameters to the server first (RFC 9126) with this function (AuthClient passes
     * `pushAuthorizationRequest`); the URL then carries a `request_uri`. Passed in rather than
     * imported, so bundles that never push (the service worker) do not carry it.
     */
    push?: ((context: ClientContext, params: URLSearchParams) => Promise<URL>) | undefined;
    /** The scope when neither `defaults` nor `authorizationParams` has one. */
    defaultScope?: string | undefined;
  },
): Promise<AuthorizationRequest> {
  const params = mergeAuthorizationParams(
    options.defaults,
    options.authorizationParams,
    'authorizationParams',
    options.defaultScope,
  );
  if (typeof params.redirect_uri !== 'string' || params.redirect_uri.length === 0) {
    throw new TypeError('"authorizationParams.redirect_uri" must be a non-empty string');
  }
  const server = await context.metadata();
  const pkce = await createPkce();
  const state = randomString(32);
  const nonce = randomString(32);
  const url = new URL(server.authorization_endpoint);
  const search = url.searchParams;
  search.set('client_id', context.clientId);
  search.set('response_type', 'code');
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) search.set(key, String(value));
  search.set('state', state);
  search.set('nonce', nonce);
  search.set('code_challenge', pkce.codeChallenge);
  search.set('code_challenge_method', pkce.codeChallengeMethod);
  if (context.dpop) search.set('dpop_jkt', context.dpop.thumbprint);
  const authorizationUrl = options.push ? await options.push(context, search) : url;
  return { authorizationUrl, codeVerifier: pkce.codeVerifier, state, nonce, params };
}
