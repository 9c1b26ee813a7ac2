import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An OAuth error answer (`{ error, error_description }`, RFC 6749 §5.2). Thrown anywhere below a
 * JSON endpoint and turned into the response there, with any extra headers it carries
 * (`DPoP-Nonce`, `WWW-Authenticate`). Named apart from the SDK's `OAuthError`, which is what a
 * client makes of such an answer; the tenant imports nothing from the SDK.
 */
export class OAuthErrorResponse extends Error {
  override readonly name = 'OAuthErrorResponse';
  readonly error: string;
  readonly status: ContentfulStatusCode;
  readonly headers: Record<string, string>;
  /** Members the body carries besides the two standard ones (`mfa_token`, `mfa_requirements`). */
  readonly extra: Record<string, unknown>;

  constructor(
    error: string,
    description: string,
    options: {
      status?: ContentfulStatusCode;
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(description);
    this.error = error;
    this.status = options.status ?? 400;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }

  /** The JSON body. */
  toJSON(): { error: string; error_description: string; [member: string]: unknown } {
    return { ...this.extra, error: this.error, error_description: this.message };
  }
}

/** The protection space of the tenant's client-authenticating endpoints (RFC 7617). */
export const CLIENT_AUTH_REALM = 'auth0-enclave-tenant';

/**
 * 401 `invalid_client`: unknown client or failed client authentication. Every 401 carries a
 * challenge (RFC 9110 §11.6.1); RFC 6749 §5.2 asks for the scheme the client used when it sent an
 * `Authorization` header, and HTTP Basic is also the one method every client with a secret may
 * use, so the challenge is always Basic.
 */
export function invalidClient(description: string): OAuthErrorResponse {
  return new OAuthErrorResponse('invalid_client', description, {
    status: 401,
    headers: { 'WWW-Authenticate': `Basic realm="${CLIENT_AUTH_REALM}", charset="UTF-8"` },
  });
}

/** 400 `invalid_request`: a missing, repeated or malformed parameter. */
export function invalidRequest(description: string): OAuthErrorResponse {
  return new OAuthErrorResponse('invalid_request', description);
}

/** 400 `invalid_grant`: the code, refresh token or credentials are not (or no longer) good. */
export function invalidGrant(
  description: string,
  status: ContentfulStatusCode = 400,
): OAuthErrorResponse {
  return new OAuthErrorResponse('invalid_grant', description, { status });
}
