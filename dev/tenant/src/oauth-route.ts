import type { Context } from 'hono';
import type { TenantEnv } from './context.js';
import { OAuthErrorResponse } from './oauth-error-response.js';

/** Responses of the tenant's JSON APIs carry secrets (codes, tokens): never cache them. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * Wraps a JSON endpoint handler: an {@link OAuthErrorResponse} it throws becomes the `{ error,
 * error_description, … }` answer with its status and headers; anything else is a 500.
 */
export function oauthRoute(
  handler: (c: Context<TenantEnv>) => Promise<Response>,
): (c: Context<TenantEnv>) => Promise<Response> {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (!(error instanceof OAuthErrorResponse)) throw error;
      return c.json(error.toJSON(), error.status, { ...NO_STORE, ...error.headers });
    }
  };
}
