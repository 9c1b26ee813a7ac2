import type { Context, Hono } from 'hono';
import { authenticateClient } from '../client-auth.js';
import type { ResolvedClient } from '../config.js';
import { endpoint, type TenantEnv, type TenantRuntime } from '../context.js';
import { summarizeDpopProof } from '../dpop-proof-summary.js';
import { DpopProofError, type VerifiedDpopProof } from '../dpop-verifier.js';
import { authorizationCodeGrant } from '../grants/authorization-code.js';
import { clientCredentialsGrant } from '../grants/client-credentials.js';
import {
  FEDERATED_CONNECTION_GRANT,
  federatedConnectionGrant,
} from '../grants/federated-connection.js';
import type { GrantHandler } from '../grants/grant.js';
import { MFA_OOB_GRANT, mfaOobGrant } from '../grants/mfa-oob.js';
import { MFA_OTP_GRANT, mfaOtpGrant } from '../grants/mfa-otp.js';
import { MFA_RECOVERY_CODE_GRANT, mfaRecoveryCodeGrant } from '../grants/mfa-recovery-code.js';
import { PASSWORD_REALM_GRANT, passwordGrant } from '../grants/password.js';
import { refreshTokenGrant } from '../grants/refresh-token.js';
import { TOKEN_EXCHANGE_GRANT, tokenExchangeGrant } from '../grants/token-exchange.js';
import { WEBAUTHN_GRANT, webauthnGrant } from '../grants/webauthn.js';
import { OAuthErrorResponse } from '../oauth-error-response.js';
import { bodyParams } from '../request-params.js';
import { CIBA_GRANT, cibaGrant } from '../server-flows/ciba.js';
import { PASSWORDLESS_OTP_GRANT, passwordlessOtpGrant } from '../server-flows/passwordless.js';

const GRANTS: ReadonlyMap<string, GrantHandler> = new Map([
  ['authorization_code', authorizationCodeGrant],
  ['refresh_token', refreshTokenGrant],
  ['password', passwordGrant],
  [PASSWORD_REALM_GRANT, passwordGrant],
  ['client_credentials', clientCredentialsGrant],
  [TOKEN_EXCHANGE_GRANT, tokenExchangeGrant],
  [FEDERATED_CONNECTION_GRANT, federatedConnectionGrant],
  [MFA_OTP_GRANT, mfaOtpGrant],
  [MFA_OOB_GRANT, mfaOobGrant],
  [MFA_RECOVERY_CODE_GRANT, mfaRecoveryCodeGrant],
  [WEBAUTHN_GRANT, webauthnGrant],
  [PASSWORDLESS_OTP_GRANT, passwordlessOtpGrant],
  [CIBA_GRANT, cibaGrant],
]);

/**
 * Verifies the DPoP proof of a token request for a client that may use DPoP, logging the proof's
 * jti and key even when it is refused. Returns undefined when there is none (and the client may
 * go without) or the client has DPoP off: then the header is ignored, as RFC 9449 §5 lets
 * servers that do not use DPoP do.
 */
async function tokenRequestProof(
  c: Context<TenantEnv>,
  runtime: TenantRuntime,
  client: ResolvedClient,
): Promise<VerifiedDpopProof | undefined> {
  if (client.dpop === 'off') return undefined;
  const header = c.req.header('dpop');
  if (header === undefined) {
    if (client.dpop === 'required') {
      throw new OAuthErrorResponse(
        'invalid_request',
        'DPoP proof is required for this client (DPoP header)',
      );
    }
    return undefined;
  }
  Object.assign(c.var.log, await summarizeDpopProof(header));
  try {
    return await runtime.dpop.verify({
      proof: header,
      method: c.req.method,
      url: endpoint(runtime, c.req.path),
      requireNonce: client.dpopNonce,
    });
  } catch (error) {
    if (error instanceof DpopProofError) throw new OAuthErrorResponse(error.code, error.message);
    throw error;
  }
}

/** `POST /oauth/token`: client authentication, DPoP, then the grant. */
export function registerTokenRoute(app: Hono<TenantEnv>, runtime: TenantRuntime): void {
  app.post('/oauth/token', async (c) => {
    let client: ResolvedClient | undefined;
    // Every answer to a client that may use DPoP carries the current nonce, errors included:
    // that is how a client learns it without a wasted round trip.
    const headers = (): Record<string, string> => ({
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...(client && client.dpop !== 'off' ? { 'DPoP-Nonce': runtime.tokenNonces.current() } : {}),
    });
    try {
      const params = await bodyParams(c);
      const grantType = params.get('grant_type');
      if (grantType !== undefined) c.var.log.grantType = grantType;
      const claimedClientId = params.get('client_id');
      if (claimedClientId !== undefined) c.var.log.clientId = claimedClientId;
      params.assertNoRepeats();
      if (grantType === undefined)
        throw new OAuthErrorResponse('invalid_request', '"grant_type" is missing');
      const handler = GRANTS.get(grantType);
      if (!handler) {
        throw new OAuthErrorResponse(
          'unsupported_grant_type',
          `Unsupported grant type: ${grantType}`,
        );
      }
      client = await authenticateClient(
        runtime,
        params,
        '/oauth/token',
        c.req.header('authorization'),
      );
      c.var.log.clientId = client.clientId;
      if (!client.grantTypes.includes(grantType)) {
        throw new OAuthErrorResponse(
          'unauthorized_client',
          `Grant type '${grantType}' not allowed for the client.`,
          { status: 403 },
        );
      }
      const proof = await tokenRequestProof(c, runtime, client);
      const body = await handler({ runtime, client, params, ...(proof ? { proof } : {}) });
      return c.json(body, 200, headers());
    } catch (error) {
      if (!(error instanceof OAuthErrorResponse)) throw error;
      return c.json(error.toJSON(), error.status, { ...headers(), ...error.headers });
    }
  });
}
