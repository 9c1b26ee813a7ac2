import type { Directory } from './directory.js';
import type { RequestParams } from './request-params.js';
import { grantableScopes, parseScope } from './scopes.js';

/** How the authorization response travels back to the client. */
export type ResponseMode = 'query' | 'fragment' | 'form_post' | 'web_message';

const RESPONSE_MODES: readonly ResponseMode[] = ['query', 'fragment', 'form_post', 'web_message'];
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
// RFC 7636 §4.2: BASE64URL(SHA-256) is exactly 43 characters; a JWK thumbprint likewise.
const SHA256_BASE64URL = /^[A-Za-z0-9_-]{43}$/;

/** Where (and how) to send an authorization response once the client and redirect are trusted. */
export interface ResponseTarget {
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string;
}

/** A checked /authorize request, kept server-side while the user logs in. */
export interface AuthorizationRequest extends ResponseTarget {
  /** Granted scopes (unknown ones dropped). */
  scope: string[];
  audience?: string;
  nonce?: string;
  codeChallenge?: string;
  organizationId?: string;
  dpopJkt?: string;
  prompt: string[];
  maxAge?: number;
  loginHint?: string;
  uiLocales?: string;
  screenHint?: string;
}

/** The outcome of checking /authorize parameters. */
export type ParsedAuthorization =
  | { kind: 'ok'; request: AuthorizationRequest }
  /** The redirect is trusted: the error goes back to the client. */
  | { kind: 'error'; target: ResponseTarget; error: string; description: string }
  /** The client or redirect_uri is not trusted: show a page, redirect nowhere. */
  | { kind: 'fatal'; message: string };

/**
 * Request objects (OIDC Core §6, RFC 9101) are not implemented, and discovery says so
 * (`request_parameter_supported: false`, `request_uri_parameter_supported: false`): a `request`
 * is refused with `request_not_supported`, a `request_uri` with `request_uri_not_supported`,
 * instead of being ignored while the plain parameters beside it are obeyed.
 *
 * Hook for PAR: the /authorize route resolves a `request_uri` that the tenant's own PAR endpoint
 * issued into the pushed parameters, and removes it, before calling
 * {@link parseAuthorizationRequest}. Any `request_uri` still present here was not issued by this
 * tenant (or was already used or expired) and is refused.
 */
function unsupportedRequestObject(
  params: RequestParams,
): { error: string; description: string } | undefined {
  if (params.has('request')) {
    return {
      error: 'request_not_supported',
      description: 'request objects ("request") are not supported; send plain parameters',
    };
  }
  if (params.has('registration')) {
    // OIDC Core §7.2.1 (self-issued clients): refused the same way, rather than ignored.
    return {
      error: 'registration_not_supported',
      description: 'the "registration" parameter is not supported',
    };
  }
  if (params.has('request_uri')) {
    return {
      error: 'request_uri_not_supported',
      description:
        '"request_uri" is accepted only as issued by this tenant\'s pushed authorization request endpoint',
    };
  }
  return undefined;
}

/**
 * Checks /authorize parameters. `client_id` and `redirect_uri` come first: until both are
 * trusted, an error must not be sent anywhere (an open redirector otherwise).
 */
export function parseAuthorizationRequest(
  params: RequestParams,
  directory: Directory,
): ParsedAuthorization {
  const clientId = params.get('client_id');
  const client = clientId === undefined ? undefined : directory.client(clientId);
  if (!client || params.repeated().includes('client_id')) {
    return { kind: 'fatal', message: `Unknown client_id "${clientId ?? ''}".` };
  }
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === undefined) {
    // A request object would carry redirect_uri; without one there is nowhere to send the error.
    const unsupported = unsupportedRequestObject(params);
    if (unsupported) return { kind: 'fatal', message: `${unsupported.description}.` };
  }
  if (
    redirectUri === undefined ||
    params.repeated().includes('redirect_uri') ||
    !client.redirectUris.includes(redirectUri)
  ) {
    return {
      kind: 'fatal',
      message: `The redirect_uri "${redirectUri ?? ''}" is not registered for client "${client.clientId}".`,
    };
  }
  const mode = params.get('response_mode') ?? 'query';
  const knownMode = (RESPONSE_MODES as readonly string[]).includes(mode);
  const responseMode = knownMode ? (mode as ResponseMode) : 'query';
  if (
    responseMode === 'web_message' &&
    !client.allowedWebOrigins.includes(new URL(redirectUri).origin)
  ) {
    // As Auth0 does: web_message hands the code to script in the redirect origin's page, so it
    // is answered only for origins the client lists in its Allowed Web Origins. An SDK whose
    // worker intercepts query callbacks never needs it, and a client that lists none leaves an
    // XSS no way to have a code posted to it.
    return {
      kind: 'fatal',
      message: `response_mode=web_message needs the origin of "${redirectUri}" in the client's allowed web origins.`,
    };
  }
  const target: ResponseTarget = { clientId: client.clientId, redirectUri, responseMode };
  const state = params.get('state');
  if (state !== undefined) target.state = state;
  const error = (code: string, description: string): ParsedAuthorization => ({
    kind: 'error',
    target,
    error: code,
    description,
  });

  const [repeated] = params.repeated();
  if (repeated !== undefined) return error('invalid_request', `"${repeated}" must not be repeated`);
  const unsupported = unsupportedRequestObject(params);
  if (unsupported) return error(unsupported.error, unsupported.description);
  if (!knownMode) return error('invalid_request', `unsupported response_mode "${mode}"`);
  if (params.get('response_type') !== 'code') {
    return error('unsupported_response_type', 'response_type must be "code"');
  }
  if (!client.grantTypes.includes('authorization_code')) {
    return error('unauthorized_client', 'the client may not use the authorization_code grant');
  }

  const codeChallenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (codeChallenge === undefined) {
    if (client.tokenEndpointAuthMethod === 'none') {
      return error('invalid_request', 'code_challenge (PKCE, S256) is required for public clients');
    }
    if (method !== undefined) return error('invalid_request', 'code_challenge is missing');
  } else {
    // An absent method means "plain" (RFC 7636 §4.3), which gives no protection: refused.
    if (method !== 'S256') return error('invalid_request', 'code_challenge_method must be S256');
    if (!SHA256_BASE64URL.test(codeChallenge)) {
      return error('invalid_request', 'code_challenge must be a base64url SHA-256 (43 characters)');
    }
  }

  const audience = params.get('audience');
  const api = audience === undefined ? undefined : directory.api(audience);
  if (audience !== undefined && !api) {
    return error('access_denied', `Service not found: ${audience}`);
  }

  let organizationId: string | undefined;
  const organization = params.get('organization');
  if (organization !== undefined) {
    const found = directory.organization(organization);
    if (!found) return error('invalid_request', `unknown organization "${organization}"`);
    organizationId = found.id;
  }

  const dpopJkt = params.get('dpop_jkt');
  if (dpopJkt !== undefined) {
    if (client.dpop === 'off')
      return error('invalid_request', 'DPoP is not enabled for this client');
    if (!SHA256_BASE64URL.test(dpopJkt)) {
      return error('invalid_request', 'dpop_jkt must be a base64url JWK SHA-256 thumbprint');
    }
  }

  const prompt = parseScope(params.get('prompt'));
  const unknownPrompt = prompt.find((value) => !PROMPTS.has(value));
  if (unknownPrompt !== undefined) {
    return error('invalid_request', `unsupported prompt "${unknownPrompt}"`);
  }
  if (prompt.includes('none') && prompt.length > 1) {
    return error('invalid_request', 'prompt=none cannot be combined with other prompt values');
  }

  let maxAge: number | undefined;
  const maxAgeText = params.get('max_age');
  if (maxAgeText !== undefined) {
    if (!/^\d{1,10}$/.test(maxAgeText)) {
      return error('invalid_request', 'max_age must be a non-negative integer');
    }
    maxAge = Number(maxAgeText);
  }

  const request: AuthorizationRequest = {
    ...target,
    scope: grantableScopes(parseScope(params.get('scope') ?? 'openid'), api),
    prompt,
  };
  if (audience !== undefined) request.audience = audience;
  if (codeChallenge !== undefined) request.codeChallenge = codeChallenge;
  if (organizationId !== undefined) request.organizationId = organizationId;
  if (dpopJkt !== undefined) request.dpopJkt = dpopJkt;
  if (maxAge !== undefined) request.maxAge = maxAge;
  for (const [param, key] of [
    ['nonce', 'nonce'],
    ['login_hint', 'loginHint'],
    ['ui_locales', 'uiLocales'],
    ['screen_hint', 'screenHint'],
  ] as const) {
    const value = params.get(param);
    if (value !== undefined) request[key] = value;
  }
  // Accepted and deliberately ignored (no consent screen, one database connection, no
  // invitations or ACR policies in a dev tenant): connection, invitation, acr_values, auth0Client.
  return { kind: 'ok', request };
}
