import type { Context, Hono } from 'hono';
import type { UserConfig } from '../config.js';
import type { TenantEnv, TenantRuntime } from '../context.js';
import { requiredParam } from '../grants/grant.js';
import { newSixDigitCode } from '../mfa/codes.js';
import { invalidRequest, OAuthErrorResponse } from '../oauth-error-response.js';
import { NO_STORE, oauthRoute } from '../oauth-route.js';
import { randomToken } from '../random-token.js';
import { bodyParams } from '../request-params.js';

const PROFILE = ['username', 'given_name', 'family_name', 'name', 'nickname', 'picture'];

/** `POST /dbconnections/signup` and `/dbconnections/change_password` (public, client_id only). */
export function registerDatabaseRoutes(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post(
    '/dbconnections/signup',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const clientId = requiredParam(params, 'client_id');
      if (!runtime.directory.client(clientId)) throw invalidRequest(`Unknown client "${clientId}"`);
      c.var.log.clientId = clientId;
      const email = requiredParam(params, 'email');
      const password = requiredParam(params, 'password');
      requiredParam(params, 'connection');
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalidRequest('"email" is not an email address');
      // Auth0's default password policy ("fair"): 8 characters at least.
      if (password.length < 8) {
        throw new OAuthErrorResponse(
          'invalid_password',
          'PasswordStrengthError: Password is too weak',
        );
      }
      if (runtime.directory.userByEmail(email)) {
        throw new OAuthErrorResponse('invalid_signup', 'Invalid sign up');
      }
      const user: UserConfig = {
        user_id: `auth0|${randomToken(12)}`,
        email,
        password,
        email_verified: false,
      };
      for (const name of PROFILE) {
        const value = params.get(name);
        if (value !== undefined) user[name] = value;
      }
      const metadata = params.json('user_metadata');
      if (metadata !== undefined) {
        if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
          throw invalidRequest('"user_metadata" must be an object');
        }
        user.user_metadata = metadata;
      }
      runtime.directory.upsertUser(user);
      const body: Record<string, unknown> = {
        _id: user.user_id.slice('auth0|'.length),
        email,
        email_verified: false,
      };
      for (const name of [...PROFILE, 'user_metadata']) {
        if (user[name] !== undefined) body[name] = user[name];
      }
      return c.json(body, 200, NO_STORE);
    }),
  );

  app.post(
    '/dbconnections/change_password',
    oauthRoute(async (c: Context<TenantEnv>) => {
      const params = await bodyParams(c);
      params.assertNoRepeats();
      const clientId = requiredParam(params, 'client_id');
      if (!runtime.directory.client(clientId)) throw invalidRequest(`Unknown client "${clientId}"`);
      c.var.log.clientId = clientId;
      requiredParam(params, 'connection');
      const email = params.get('email');
      const username = params.get('username');
      if (email === undefined && username === undefined) {
        throw invalidRequest('"email" or "username" is required');
      }
      const user =
        email !== undefined
          ? runtime.directory.userByEmail(email)
          : runtime.directory.users().find((candidate) => candidate.username === username);
      // The reset "email" goes to the outbox; unknown users get the same answer (no enumeration).
      if (user) {
        runtime.store.mfa.outbox.push({
          at: new Date().toISOString(),
          channel: 'email',
          to: user.email,
          code: newSixDigitCode(),
        });
      }
      return c.text("We've just sent you an email to reset your password.", 200, NO_STORE);
    }),
  );
}
