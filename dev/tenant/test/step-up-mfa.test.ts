// Step-up MFA on refresh: an API with `mfa: 'required'` answers a refresh for its audience with
// 403 `mfa_required` (before anything rotates) until the refresh-token family passed MFA; the
// MFA grant starts a family that remembers `amr: ["mfa"]`, and its refreshes keep it.
import { generate } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseApi } from '../src/config-validation.js';
import { STEP_UP_API_AUDIENCE } from '../src/index.js';
import {
  API,
  codeFlow,
  decodePayload,
  dpopKey,
  type JsonResponse,
  postForm,
  readJson,
  TEST_SPA,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const STEP_UP = STEP_UP_API_AUDIENCE;
const OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';
const STEP_UP_SPA = {
  ...TEST_SPA,
  grantTypes: ['authorization_code', 'refresh_token', OTP_GRANT],
};

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
const tokenUrl = `${issuer}oauth/token`;
beforeEach(() => {
  server.tenant.admin.upsertClient(STEP_UP_SPA);
});

function refresh(refreshToken: string, extra: Record<string, string> = {}) {
  return postForm(tokenUrl, {
    grant_type: 'refresh_token',
    client_id: 'test-spa',
    refresh_token: refreshToken,
    ...extra,
  });
}

const TO_STEP_UP = { audience: STEP_UP, scope: 'openid read:secrets offline_access' };

async function login(overrides: Record<string, string> = {}) {
  const { tokens } = await codeFlow(issuer, { overrides: { audience: API, ...overrides } });
  expect(tokens.status).toBe(200);
  return tokens.body as { refresh_token: string; id_token: string };
}

/** Enrolls an OTP authenticator with the mfa_token and verifies a code: the MFA grant's answer. */
async function passOtp(mfaToken: string, key?: Awaited<ReturnType<typeof dpopKey>>) {
  const associated = await readJson(
    await fetch(`${issuer}mfa/associate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mfaToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ authenticator_types: ['otp'] }),
    }),
  );
  expect(associated.status).toBe(200);
  const params = {
    grant_type: OTP_GRANT,
    client_id: 'test-spa',
    mfa_token: mfaToken,
    otp: await generate({ secret: associated.body.secret }),
  };
  return key ? tokenRequestWithDpop(issuer, params, key) : postForm(tokenUrl, params);
}

/** Asserts Auth0's answer; a user with no factor is offered enrollment, one with a factor a challenge. */
function expectMfaRequired(
  response: JsonResponse,
  requirements: unknown = { enroll: [{ type: 'otp' }, { type: 'oob' }] },
): string {
  expect(response.status).toBe(403);
  expect(response.body).toMatchObject({
    error: 'mfa_required',
    mfa_token: expect.any(String),
    mfa_requirements: requirements,
  });
  return response.body.mfa_token;
}

describe('a refresh to a step-up API', () => {
  it('answers 403 mfa_required and rotates nothing: the presented token stays usable', async () => {
    const tokens = await login();
    expectMfaRequired(await refresh(tokens.refresh_token, TO_STEP_UP));
    expect(server.tenant.admin.tokens().refreshTokens.map((token) => token.status)).toEqual([
      'active',
    ]);
    // Not a reuse: the same token refreshes for the login's own API.
    const again = await refresh(tokens.refresh_token);
    expect(again.status).toBe(200);
    expect(decodePayload(again.body.access_token).aud).toContain(API);
  });

  it('checks the refresh token first: a revoked one is invalid_grant, not mfa_required', async () => {
    const tokens = await login();
    server.tenant.admin.revokeRefreshTokens({});
    const response = await refresh(tokens.refresh_token, TO_STEP_UP);
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_grant');
    expect(server.tenant.admin.requests({ path: '/oauth/token' }).at(-1)?.status).toBe(400);
  });

  it('asks a family issued straight for the step-up audience too (the login form has no MFA step)', async () => {
    const tokens = await login({
      audience: STEP_UP,
      scope: 'openid profile offline_access read:secrets',
    });
    expectMfaRequired(await refresh(tokens.refresh_token));
  });

  it('lets other audiences through unchanged', async () => {
    const tokens = await login();
    const response = await refresh(tokens.refresh_token, { audience: API });
    expect(response.status).toBe(200);
    expect(decodePayload(response.body.access_token).amr).toBeUndefined();
  });
});

describe('after the second factor', () => {
  it('issues step-up tokens with amr ["mfa"] and gty refresh_token, in the login session', async () => {
    const tokens = await login();
    const mfaToken = expectMfaRequired(await refresh(tokens.refresh_token, TO_STEP_UP));
    const verified = await passOtp(mfaToken);
    expect(verified.status).toBe(200);
    const access = decodePayload(verified.body.access_token);
    expect(access).toMatchObject({
      aud: expect.arrayContaining([STEP_UP]),
      scope: 'openid read:secrets offline_access',
      amr: ['mfa'],
      gty: 'refresh_token',
      sub: 'auth0|alice',
    });
    const idToken = decodePayload(verified.body.id_token);
    expect(idToken.amr).toEqual(['mfa']);
    expect(idToken.sid).toBe(decodePayload(tokens.id_token).sid);
    expect(idToken.auth_time).toBe(decodePayload(tokens.id_token).auth_time);
    expect(verified.body.refresh_token).toEqual(expect.any(String));
  });

  it('starts a family that passed MFA: its refreshes reach the step-up API and keep amr', async () => {
    const tokens = await login();
    const mfaToken = expectMfaRequired(await refresh(tokens.refresh_token, TO_STEP_UP));
    const verified = await passOtp(mfaToken);
    const first = await refresh(verified.body.refresh_token);
    expect(first.status).toBe(200);
    expect(decodePayload(first.body.access_token)).toMatchObject({
      aud: expect.arrayContaining([STEP_UP]),
      amr: ['mfa'],
    });
    expect(decodePayload(first.body.id_token).amr).toEqual(['mfa']);
    // Rotation goes on as usual, and the family's amr with it.
    const second = await refresh(first.body.refresh_token, { audience: STEP_UP });
    expect(second.status).toBe(200);
    expect(decodePayload(second.body.access_token).amr).toEqual(['mfa']);
    // The login's family has not passed MFA: it is still asked (now to challenge the factor).
    expectMfaRequired(await refresh(tokens.refresh_token, TO_STEP_UP), {
      challenge: [{ type: 'otp' }],
    });
  });

  it('binds the step-up family to the DPoP key of the MFA grant', async () => {
    const key = await dpopKey();
    const { tokens } = await codeFlow(issuer, { key, overrides: { audience: API } });
    const asked = await tokenRequestWithDpop(
      issuer,
      {
        grant_type: 'refresh_token',
        client_id: 'test-spa',
        refresh_token: tokens.body.refresh_token,
        ...TO_STEP_UP,
      },
      key,
    );
    const verified = await passOtp(expectMfaRequired(asked), key);
    expect(verified.status).toBe(200);
    expect(verified.body.token_type).toBe('DPoP');
    expect(decodePayload(verified.body.access_token).cnf).toEqual({ jkt: key.jkt });
    const stolen = await refresh(verified.body.refresh_token);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    const owner = await tokenRequestWithDpop(
      issuer,
      {
        grant_type: 'refresh_token',
        client_id: 'test-spa',
        refresh_token: verified.body.refresh_token,
      },
      key,
    );
    expect(owner.status).toBe(200);
    expect(decodePayload(owner.body.access_token).amr).toEqual(['mfa']);
  });
});

describe('configuration', () => {
  it('accepts mfa "required" or "off" on an API, and names the field otherwise', () => {
    expect(parseApi({ identifier: 'https://a/', scopes: [], mfa: 'required' }).mfa).toBe(
      'required',
    );
    expect(parseApi({ identifier: 'https://a/', scopes: [] }).mfa).toBeUndefined();
    expect(() => parseApi({ identifier: 'https://a/', scopes: [], mfa: 'always' })).toThrow(
      /"api\.mfa" must be one of "required", "off"/,
    );
  });

  it('the demo setup has the step-up API', async () => {
    const { defaultTenantOptions } = await import('../src/index.js');
    expect(defaultTenantOptions().apis).toContainEqual({
      identifier: STEP_UP,
      scopes: ['read:secrets'],
      mfa: 'required',
    });
  });
});
