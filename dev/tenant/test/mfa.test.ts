// The tenant's MFA surface over real HTTP: mfa_required from the password grant, the MFA API
// (/mfa/associate, /mfa/authenticators, /mfa/challenge), the three MFA grants, the outbox and
// the admin operations that stand in for the user's phone.
import { generate } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  API,
  APP_ORIGIN,
  adminDelete,
  adminGet,
  adminPost,
  decodePayload,
  dpopKey,
  type JsonResponse,
  postForm,
  readJson,
  tokenRequestWithDpop,
  useTenant,
} from '../src/testing.js';

const MFA_USER = { email: 'mfa@example.com', password: 'wonderland', sub: 'auth0|mfa' };
const SERVER = { client_id: 'sample-server', client_secret: 'sample-server-secret' };
const OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';
const OOB_GRANT = 'http://auth0.com/oauth/grant-type/mfa-oob';
const RECOVERY_GRANT = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

/** The password grant for the MFA user; asserts the 403 and returns the whole answer. */
async function mfaRequired(extra: Record<string, string> = {}): Promise<JsonResponse['body']> {
  const response = await postForm(`${issuer}oauth/token`, {
    grant_type: 'password',
    ...SERVER,
    username: MFA_USER.email,
    password: MFA_USER.password,
    audience: API,
    scope: 'openid profile offline_access read:notes',
    ...extra,
  });
  expect(response.status).toBe(403);
  expect(response.body.error).toBe('mfa_required');
  return response.body;
}

async function mfaToken(): Promise<string> {
  return (await mfaRequired()).mfa_token;
}

/** A JSON request to the MFA API with the mfa_token as Bearer. */
async function mfaApi(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<JsonResponse> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, issuer), {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return readJson(response);
}

async function challenge(token: string, body: Record<string, string>): Promise<JsonResponse> {
  return mfaApi('POST', 'mfa/challenge', undefined, { ...SERVER, mfa_token: token, ...body });
}

function grant(grantType: string, params: Record<string, string>): Promise<JsonResponse> {
  return postForm(`${issuer}oauth/token`, { grant_type: grantType, ...SERVER, ...params });
}

/** Seeds a confirmed authenticator for the MFA user (admin surface). */
async function seed(body: Record<string, string>): Promise<JsonResponse['body']> {
  const response = await adminPost(issuer, 'mfa/authenticators', { userId: MFA_USER.sub, ...body });
  expect(response.status).toBe(200);
  return response.body;
}

/** The newest outbox message, which must exist. */
async function lastMessage(): Promise<{
  channel: string;
  to: string;
  code: string;
  mfaToken?: string;
}> {
  const outbox = (await adminGet(issuer, 'outbox')).body;
  expect(outbox.length).toBeGreaterThan(0);
  return outbox.at(-1);
}

describe('mfa_required', () => {
  it('answers the password grant of a user with mfa: required with 403, an mfa_token and what to enroll', async () => {
    const body = await mfaRequired();
    expect(body).toMatchObject({
      error: 'mfa_required',
      error_description: expect.any(String),
      mfa_token: expect.any(String),
      mfa_requirements: { enroll: [{ type: 'otp' }, { type: 'oob' }] },
    });
    expect(body.access_token).toBeUndefined();
  });

  it('lists the confirmed factor types to challenge once the user has some', async () => {
    await seed({ type: 'otp' });
    await seed({ type: 'oob', channel: 'sms', to: '+15550001111' });
    const body = await mfaRequired();
    expect(body.mfa_requirements).toEqual({ challenge: [{ type: 'otp' }, { type: 'oob' }] });
  });

  it('leaves users without the policy alone', async () => {
    const response = await grant('password', {
      username: 'alice@example.com',
      password: 'wonderland',
      scope: 'openid',
    });
    expect(response.status).toBe(200);
  });

  it('only for the right password: a wrong one is still 403 invalid_grant', async () => {
    const response = await grant('password', { username: MFA_USER.email, password: 'nope' });
    expect(response).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });
});

describe('OTP enrollment and the mfa-otp grant', () => {
  it('associates, refuses a wrong code, and issues the original grant’s tokens for the right one', async () => {
    const token = await mfaToken();
    const associated = await mfaApi('POST', 'mfa/associate', token, {
      authenticator_types: ['otp'],
    });
    expect(associated.status).toBe(200);
    expect(associated.headers.get('cache-control')).toBe('no-store');
    expect(associated.body).toMatchObject({
      authenticator_type: 'otp',
      secret: expect.stringMatching(/^[A-Z2-7]+$/),
      barcode_uri: expect.stringMatching(/^otpauth:\/\/totp\/.+secret=/),
      recovery_codes: [expect.stringMatching(/^[0-9A-Z]{24}$/)],
    });
    const listed = await mfaApi('GET', 'mfa/authenticators', token);
    expect(listed.body).toEqual([
      { id: expect.stringMatching(/^totp\|dev_/), authenticator_type: 'otp', active: false },
      {
        id: expect.stringMatching(/^recovery-code\|dev_/),
        authenticator_type: 'recovery-code',
        active: false,
      },
    ]);

    const valid = await generate({ secret: associated.body.secret });
    const wrong = String((Number(valid) + 500_000) % 1_000_000).padStart(6, '0');
    const refused = await grant(OTP_GRANT, { mfa_token: token, otp: wrong });
    expect(refused).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });

    const tokens = await grant(OTP_GRANT, { mfa_token: token, otp: valid });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({
      token_type: 'Bearer',
      scope: 'openid profile offline_access read:notes',
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    expect(decodePayload(tokens.body.access_token)).toMatchObject({
      sub: MFA_USER.sub,
      aud: [API, `${issuer}userinfo`],
      gty: 'password',
      amr: ['mfa'],
    });
    expect(decodePayload(tokens.body.id_token)).toMatchObject({ sub: MFA_USER.sub, amr: ['mfa'] });

    // The mfa_token is spent; the factor (and the recovery code) are now confirmed.
    const reused = await grant(OTP_GRANT, { mfa_token: token, otp: valid });
    expect(reused).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    const next = await mfaToken();
    const after = await mfaApi('GET', 'mfa/authenticators', next);
    expect(after.body.map((row: { active: boolean }) => row.active)).toEqual([true, true]);
    // A TOTP code is good once, even with a new mfa_token.
    const replayed = await grant(OTP_GRANT, { mfa_token: next, otp: valid });
    expect(replayed).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });

  it('refuses to associate with an mfa_token once the user has a confirmed factor', async () => {
    await seed({ type: 'otp' });
    const response = await mfaApi('POST', 'mfa/associate', await mfaToken(), {
      authenticator_types: ['otp'],
    });
    expect(response).toMatchObject({ status: 403, body: { error: 'access_denied' } });
  });

  it('returns recovery codes with the first enrollment only', async () => {
    const token = await mfaToken();
    const first = await mfaApi('POST', 'mfa/associate', token, { authenticator_types: ['otp'] });
    const second = await mfaApi('POST', 'mfa/associate', token, { authenticator_types: ['otp'] });
    expect(first.body.recovery_codes).toHaveLength(1);
    expect(second.status).toBe(200);
    expect(second.body.recovery_codes).toBeUndefined();
  });

  it('validates the association request', async () => {
    const token = await mfaToken();
    for (const body of [
      {},
      { authenticator_types: ['webauthn'] },
      { authenticator_types: ['oob'] },
      { authenticator_types: ['oob'], oob_channels: ['pigeon'] },
      { authenticator_types: ['oob'], oob_channels: ['sms'] },
      { authenticator_types: ['oob'], oob_channels: ['sms'], phone_number: '555' },
    ]) {
      const response = await mfaApi('POST', 'mfa/associate', token, body);
      expect(response, JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });

  it('answers 429 too_many_attempts after ten wrong codes, even for the right one', async () => {
    const { secret } = await seed({ type: 'otp' });
    const token = await mfaToken();
    const valid = await generate({ secret });
    const wrong = String((Number(valid) + 500_000) % 1_000_000).padStart(6, '0');
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await grant(OTP_GRANT, { mfa_token: token, otp: wrong });
      expect(response.status).toBe(403);
    }
    const blocked = await grant(OTP_GRANT, { mfa_token: token, otp: valid });
    expect(blocked).toMatchObject({ status: 429, body: { error: 'too_many_attempts' } });
    // The bucket refills one attempt per 6 minutes (tenant clock); the mfa_token lasts 10.
    await adminPost(issuer, 'clock', { advance: 360 });
    const allowed = await grant(OTP_GRANT, { mfa_token: token, otp: valid });
    expect(allowed.status).toBe(200);
  });

  it('binds tokens to the DPoP key of the MFA grant', async () => {
    const { secret } = await seed({ type: 'otp' });
    const key = await dpopKey();
    const response = await tokenRequestWithDpop(
      issuer,
      {
        grant_type: OTP_GRANT,
        ...SERVER,
        mfa_token: await mfaToken(),
        otp: await generate({ secret }),
      },
      key,
    );
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('DPoP');
    expect(decodePayload(response.body.access_token).cnf).toEqual({ jkt: key.jkt });
  });
});

describe('mfa_token checks', () => {
  it('expires after 10 minutes of tenant time: 403 expired_token', async () => {
    const { secret } = await seed({ type: 'otp' });
    const token = await mfaToken();
    await adminPost(issuer, 'clock', { advance: 601 });
    const response = await grant(OTP_GRANT, { mfa_token: token, otp: await generate({ secret }) });
    expect(response).toMatchObject({ status: 403, body: { error: 'expired_token' } });
    const listed = await mfaApi('GET', 'mfa/authenticators', token);
    expect(listed).toMatchObject({ status: 403, body: { error: 'expired_token' } });
  });

  it('refuses unknown tokens (403 invalid_grant) and a missing one (401)', async () => {
    const unknown = await grant(OTP_GRANT, { mfa_token: 'forged', otp: '123456' });
    expect(unknown).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    const api = await mfaApi('GET', 'mfa/authenticators', 'forged');
    expect(api).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    const missing = await mfaApi('GET', 'mfa/authenticators', undefined);
    expect(missing).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('is bound to the client it was issued to', async () => {
    server.tenant.admin.upsertClient({
      clientId: 'other-server',
      tokenEndpointAuthMethod: 'client_secret_post',
      clientSecret: 'other-secret',
      grantTypes: [OTP_GRANT],
    });
    const { secret } = await seed({ type: 'otp' });
    const response = await postForm(`${issuer}oauth/token`, {
      grant_type: OTP_GRANT,
      client_id: 'other-server',
      client_secret: 'other-secret',
      mfa_token: await mfaToken(),
      otp: await generate({ secret }),
    });
    expect(response).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });

  it('needs the MFA grant types on the client', async () => {
    server.tenant.admin.upsertClient({
      clientId: 'plain-server',
      tokenEndpointAuthMethod: 'client_secret_post',
      clientSecret: 'plain-secret',
      grantTypes: ['password'],
    });
    const response = await postForm(`${issuer}oauth/token`, {
      grant_type: OTP_GRANT,
      client_id: 'plain-server',
      client_secret: 'plain-secret',
      mfa_token: 'x',
      otp: '123456',
    });
    expect(response).toMatchObject({ status: 403, body: { error: 'unauthorized_client' } });
  });
});

describe('out-of-band factors and the mfa-oob grant', () => {
  it('enrolls SMS: the code goes to the outbox and completes the grant as binding_code', async () => {
    const token = await mfaToken();
    const associated = await mfaApi('POST', 'mfa/associate', token, {
      authenticator_types: ['oob'],
      oob_channels: ['sms'],
      phone_number: '+15551234567',
    });
    expect(associated.body).toMatchObject({
      authenticator_type: 'oob',
      oob_channel: 'sms',
      oob_code: expect.any(String),
      binding_method: 'prompt',
      recovery_codes: [expect.any(String)],
    });
    const message = await lastMessage();
    expect(message).toMatchObject({
      channel: 'sms',
      to: '+15551234567',
      code: expect.stringMatching(/^\d{6}$/),
      mfaToken: token,
    });
    const wrong = await grant(OOB_GRANT, {
      mfa_token: token,
      oob_code: associated.body.oob_code,
      binding_code: message.code === '000000' ? '111111' : '000000',
    });
    expect(wrong).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    const tokens = await grant(OOB_GRANT, {
      mfa_token: token,
      oob_code: associated.body.oob_code,
      binding_code: message.code,
    });
    expect(tokens.status).toBe(200);
    const listed = await mfaApi('GET', 'mfa/authenticators', await mfaToken());
    expect(listed.body).toContainEqual({
      id: expect.stringMatching(/^sms\|dev_/),
      authenticator_type: 'oob',
      active: true,
      name: 'XXXXXXXX4567',
      oob_channel: 'sms',
      oob_channels: ['sms'],
    });
  });

  it('challenges an email authenticator and completes with the emailed code', async () => {
    const { id } = await seed({ type: 'oob', channel: 'email' });
    const token = await mfaToken();
    const challenged = await challenge(token, { challenge_type: 'oob', authenticator_id: id });
    expect(challenged.body).toEqual({
      challenge_type: 'oob',
      oob_code: expect.any(String),
      binding_method: 'prompt',
    });
    const message = await lastMessage();
    expect(message).toMatchObject({ channel: 'email', to: MFA_USER.email });
    const tokens = await grant(OOB_GRANT, {
      mfa_token: token,
      oob_code: challenged.body.oob_code,
      binding_code: message.code,
    });
    expect(tokens.status).toBe(200);
    // The oob_code is single-use.
    const again = await grant(OOB_GRANT, {
      mfa_token: await mfaToken(),
      oob_code: challenged.body.oob_code,
      binding_code: message.code,
    });
    expect(again).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });

  it('push: authorization_pending, slow_down when polled too fast, tokens once approved', async () => {
    await seed({ type: 'oob', channel: 'auth0' });
    const token = await mfaToken();
    const challenged = await challenge(token, { challenge_type: 'oob' });
    expect(challenged.body).toEqual({ challenge_type: 'oob', oob_code: expect.any(String) });
    const poll = () => grant(OOB_GRANT, { mfa_token: token, oob_code: challenged.body.oob_code });
    expect(await poll()).toMatchObject({ status: 400, body: { error: 'authorization_pending' } });
    expect(await poll()).toMatchObject({ status: 400, body: { error: 'slow_down' } });
    const decided = await adminPost(issuer, 'mfa/oob/decide', { userId: MFA_USER.sub });
    expect(decided.body).toEqual({ oobCode: challenged.body.oob_code, status: 'approved' });
    await adminPost(issuer, 'clock', { advance: 5 });
    const tokens = await poll();
    expect(tokens.status).toBe(200);
    expect(tokens.body.access_token).toEqual(expect.any(String));
  });

  it('push: a denied request ends the polling with 403 invalid_grant', async () => {
    await seed({ type: 'oob', channel: 'auth0' });
    const token = await mfaToken();
    const { oob_code } = (await challenge(token, { challenge_type: 'oob' })).body;
    await adminPost(issuer, 'mfa/oob/decide', { oobCode: oob_code, deny: true });
    const response = await grant(OOB_GRANT, { mfa_token: token, oob_code });
    expect(response).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
  });

  it('SMS can also be approved out of band (a test convenience)', async () => {
    await seed({ type: 'oob', channel: 'sms', to: '+15550001111' });
    const token = await mfaToken();
    const { oob_code } = (await challenge(token, { challenge_type: 'oob' })).body;
    await adminPost(issuer, 'mfa/oob/decide', { oobCode: oob_code });
    expect((await grant(OOB_GRANT, { mfa_token: token, oob_code })).status).toBe(200);
  });

  it('expires an oob_code after 5 minutes: 403 expired_token', async () => {
    await seed({ type: 'oob', channel: 'sms', to: '+15550001111' });
    const token = await mfaToken();
    const { oob_code } = (await challenge(token, { challenge_type: 'oob' })).body;
    const { code } = await lastMessage();
    await adminPost(issuer, 'clock', { advance: 301 });
    const response = await grant(OOB_GRANT, { mfa_token: token, oob_code, binding_code: code });
    expect(response).toMatchObject({ status: 403, body: { error: 'expired_token' } });
  });
});

describe('POST /mfa/challenge', () => {
  it('answers challenge_type otp for an OTP authenticator', async () => {
    await seed({ type: 'otp' });
    const response = await challenge(await mfaToken(), { challenge_type: 'otp' });
    expect(response).toMatchObject({ status: 200, body: { challenge_type: 'otp' } });
  });

  it('refuses an unknown authenticator_id, a type the user lacks, and a bad client', async () => {
    await seed({ type: 'otp' });
    const token = await mfaToken();
    const unknown = await challenge(token, {
      challenge_type: 'otp',
      authenticator_id: 'totp|dev_x',
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const lacking = await challenge(token, { challenge_type: 'oob' });
    expect(lacking).toMatchObject({ status: 400, body: { error: 'unsupported_challenge_type' } });
    const badClient = await mfaApi('POST', 'mfa/challenge', undefined, {
      client_id: 'sample-server',
      client_secret: 'wrong',
      mfa_token: token,
      challenge_type: 'otp',
    });
    expect(badClient).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('accepts a form body too', async () => {
    await seed({ type: 'otp' });
    const response = await postForm(`${issuer}mfa/challenge`, {
      ...SERVER,
      mfa_token: await mfaToken(),
      challenge_type: 'otp oob',
    });
    expect(response).toMatchObject({ status: 200, body: { challenge_type: 'otp' } });
  });
});

describe('DELETE /mfa/authenticators/{id}', () => {
  it('removes the user’s authenticator (204) and answers 404 for unknown ones', async () => {
    const { id } = await seed({ type: 'otp' });
    const token = await mfaToken();
    const removed = await mfaApi('DELETE', `mfa/authenticators/${encodeURIComponent(id)}`, token);
    expect(removed.status).toBe(204);
    const listed = await mfaApi('GET', 'mfa/authenticators', token);
    expect(listed.body.map((row: { id: string }) => row.id)).not.toContain(id);
    const again = await mfaApi('DELETE', `mfa/authenticators/${encodeURIComponent(id)}`, token);
    expect(again).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('answers 404 for another user’s authenticator', async () => {
    const { id } = (
      await adminPost(issuer, 'mfa/authenticators', { userId: 'auth0|alice', type: 'otp' })
    ).body;
    const response = await mfaApi(
      'DELETE',
      `mfa/authenticators/${encodeURIComponent(id)}`,
      await mfaToken(),
    );
    expect(response.status).toBe(404);
  });
});

describe('the mfa-recovery-code grant', () => {
  it('spends the code and answers a new one', async () => {
    const { recoveryCode } = await seed({ type: 'otp' });
    const tokens = await grant(RECOVERY_GRANT, {
      mfa_token: await mfaToken(),
      recovery_code: recoveryCode,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.recovery_code).toMatch(/^[0-9A-Z]{24}$/);
    expect(tokens.body.recovery_code).not.toBe(recoveryCode);
    const old = await grant(RECOVERY_GRANT, {
      mfa_token: await mfaToken(),
      recovery_code: recoveryCode,
    });
    expect(old).toMatchObject({ status: 403, body: { error: 'invalid_grant' } });
    const fresh = await grant(RECOVERY_GRANT, {
      mfa_token: await mfaToken(),
      recovery_code: tokens.body.recovery_code.toLowerCase(),
    });
    expect(fresh.status).toBe(200);
  });
});

describe('admin surface for MFA', () => {
  it('lists and clears the outbox', async () => {
    await seed({ type: 'oob', channel: 'sms', to: '+15550001111' });
    await challenge(await mfaToken(), { challenge_type: 'oob' });
    const listed = await adminGet(issuer, 'outbox');
    expect(listed.body).toEqual([
      {
        at: expect.any(String),
        channel: 'sms',
        to: '+15550001111',
        code: expect.stringMatching(/^\d{6}$/),
        mfaToken: expect.any(String),
      },
    ]);
    expect((await adminGet(issuer, 'outbox?to=%2B1999')).body).toEqual([]);
    expect((await adminDelete(issuer, 'outbox')).body).toEqual({ cleared: 1 });
    expect((await adminGet(issuer, 'outbox')).body).toEqual([]);
  });

  it('reports bad inputs as 400 naming the field', async () => {
    for (const [path, body] of [
      ['mfa/oob/decide', {}],
      ['mfa/oob/decide', { oobCode: 'nothing-pending' }],
      ['mfa/authenticators', { userId: 'auth0|nobody', type: 'otp' }],
      ['mfa/authenticators', { userId: MFA_USER.sub, type: 'otp', secret: 'short' }],
      ['mfa/authenticators', { userId: MFA_USER.sub, type: 'oob', channel: 'sms' }],
      ['mfa/authenticators', { userId: MFA_USER.sub, type: 'carrier-pigeon' }],
    ] as const) {
      const response = await adminPost(issuer, path, body);
      expect(response, JSON.stringify(body)).toMatchObject({
        status: 400,
        body: { error: 'invalid_request' },
      });
    }
  });

  it('sets a user’s MFA policy through POST /__admin/users', async () => {
    await adminPost(issuer, 'users', {
      user_id: 'auth0|bob',
      email: 'bob@example.com',
      password: 'builder',
      mfa: 'required',
    });
    const response = await grant('password', { username: 'bob@example.com', password: 'builder' });
    expect(response).toMatchObject({ status: 403, body: { error: 'mfa_required' } });
    const bad = await adminPost(issuer, 'users', {
      user_id: 'auth0|bob',
      email: 'bob@example.com',
      password: 'builder',
      mfa: 'sometimes',
    });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  });

  it('forgets enrollments on reset', async () => {
    await seed({ type: 'otp' });
    await adminPost(issuer, 'reset');
    expect((await mfaRequired()).mfa_requirements).toEqual({
      enroll: [{ type: 'otp' }, { type: 'oob' }],
    });
  });
});

describe('CORS', () => {
  it('answers the app origin’s preflight on /mfa/*', async () => {
    const response = await fetch(`${issuer}mfa/authenticators/x`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
  });
});
