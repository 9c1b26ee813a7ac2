// The My Account API's factors and authentication methods at the local tenant, over real HTTP:
// list, get, update, delete, and the two-step enrollment (challenge → verify) with TOTP, email
// and recovery codes; problem details for every refusal.
import { generate } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  adminGet,
  authorizeParams,
  codeOf,
  type JsonResponse,
  loginThroughForm,
  postForm,
  REDIRECT_URI,
  readJson,
  useTenant,
} from '../src/testing.js';

const ALL_SCOPES = [
  'read:me:factors',
  'read:me:authentication_methods',
  'create:me:authentication_methods',
  'update:me:authentication_methods',
  'delete:me:authentication_methods',
].join(' ');

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;
const me = `${issuer}me/`;

/** A Bearer My Account API token for alice with `scope`. */
async function meToken(scope = ALL_SCOPES): Promise<string> {
  const { params, verifier } = await authorizeParams({ audience: me, scope: `openid ${scope}` });
  const { response } = await loginThroughForm(issuer, params, ALICE);
  const tokens = await postForm(`${issuer}oauth/token`, {
    grant_type: 'authorization_code',
    client_id: 'test-spa',
    code: codeOf(response, params.state),
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  expect(tokens.status).toBe(200);
  return tokens.body.access_token;
}

async function call(
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<JsonResponse & { location: string | null }> {
  const response = await fetch(url.startsWith('http') ? url : `${me}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const location = response.headers.get('location');
  return { ...(await readJson(response)), location };
}

/** Enrolls TOTP for alice through the API; returns the new method. */
async function enrollTotp(token: string): Promise<Record<string, unknown>> {
  const started = await call('POST', 'v1/authentication-methods', token, { type: 'totp' });
  expect(started.status).toBe(201);
  const verified = await call('POST', `${started.location}/verify`, token, {
    auth_session: started.body.auth_session,
    otp_code: await generate({ secret: started.body.manual_input_code }),
  });
  expect(verified.status).toBe(200);
  return verified.body;
}

describe('GET /me/v1/factors', () => {
  it('lists the factors the tenant offers', async () => {
    const answer = await call('GET', 'v1/factors', await meToken());
    expect(answer.status).toBe(200);
    expect(answer.body.factors.map((f: { type: string }) => f.type)).toEqual([
      'password',
      'totp',
      'phone',
      'email',
      'push-notification',
      'recovery-code',
    ]);
  });

  it('refuses a token without read:me:factors (403 problem details)', async () => {
    const answer = await call('GET', 'v1/factors', await meToken('read:me:authentication_methods'));
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ status: 403, title: 'Forbidden' });
  });

  it('refuses a request without a token (401)', async () => {
    const answer = await readJson(await fetch(`${me}v1/factors`));
    expect(answer.status).toBe(401);
    expect(answer.body.type).toBe('https://auth0.com/api-errors/A0E-401-0003');
  });
});

describe('authentication methods', () => {
  it('lists the password of a user who has one', async () => {
    const answer = await call('GET', 'v1/authentication-methods', await meToken());
    expect(answer.status).toBe(200);
    expect(answer.body.authentication_methods).toEqual([
      expect.objectContaining({ id: 'password|auth0|alice', type: 'password', usage: ['primary'] }),
    ]);
  });

  it('enrolls TOTP: 201 with Location and a barcode, verify confirms it', async () => {
    const token = await meToken();
    const started = await call('POST', 'v1/authentication-methods', token, { type: 'totp' });
    expect(started.status).toBe(201);
    expect(started.location).toMatch(
      new RegExp(`^${me}v1/authentication-methods/totp%7Cdev_[\\w-]+$`),
    );
    expect(started.body.barcode_uri).toMatch(/^otpauth:\/\/totp\//);
    expect(typeof started.body.auth_session).toBe('string');
    const id = decodeURIComponent(started.location?.split('/').pop() ?? '');
    const verified = await call('POST', `${started.location}/verify`, token, {
      auth_session: started.body.auth_session,
      otp_code: await generate({ secret: started.body.manual_input_code }),
    });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id, type: 'totp', confirmed: true });
    expect(verified.body.secret).toBeUndefined();

    const listed = await call('GET', 'v1/authentication-methods?type=totp', token);
    expect(listed.body.authentication_methods.map((m: { id: string }) => m.id)).toEqual([id]);
    const one = await call('GET', `v1/authentication-methods/${encodeURIComponent(id)}`, token);
    expect(one.body).toMatchObject({ id, type: 'totp' });
  });

  it('refuses a wrong code, and the enrollment is spent by it', async () => {
    const token = await meToken();
    const started = await call('POST', 'v1/authentication-methods', token, { type: 'totp' });
    const wrong = await call('POST', `${started.location}/verify`, token, {
      auth_session: started.body.auth_session,
      otp_code: '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.type).toBe('urn:auth0-enclave:problem:invalid-otp-code');
    const again = await call('POST', `${started.location}/verify`, token, {
      auth_session: started.body.auth_session,
      otp_code: await generate({ secret: started.body.manual_input_code }),
    });
    expect(again.status).toBe(400);
    expect(again.body.type).toBe('urn:auth0-enclave:problem:invalid-auth-session');
  });

  it('enrolls an email with the code sent to the outbox', async () => {
    const token = await meToken();
    const started = await call('POST', 'v1/authentication-methods', token, {
      type: 'email',
      email: 'alice+mfa@example.com',
    });
    expect(started.status).toBe(201);
    const outbox = (await adminGet(issuer, 'outbox')).body;
    const message = outbox.at(-1);
    expect(message).toMatchObject({ channel: 'email', to: 'alice+mfa@example.com' });
    const verified = await call('POST', `${started.location}/verify`, token, {
      auth_session: started.body.auth_session,
      otp_code: message.code,
    });
    expect(verified.body).toMatchObject({ type: 'email', email: 'alice+mfa@example.com' });
  });

  it('enrolls a recovery code without a code to type', async () => {
    const token = await meToken();
    const started = await call('POST', 'v1/authentication-methods', token, {
      type: 'recovery-code',
    });
    expect(started.body.recovery_code).toMatch(/^[0-9A-Z]{24}$/);
    const verified = await call('POST', `${started.location}/verify`, token, {
      auth_session: started.body.auth_session,
    });
    expect(verified.body).toMatchObject({ type: 'recovery-code', confirmed: true });
  });

  it('answers 400 with validation errors for a bad enrollment body', async () => {
    const token = await meToken();
    const unknown = await call('POST', 'v1/authentication-methods', token, {
      type: 'carrier-pigeon',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.validation_errors[0]).toMatchObject({ field: 'type' });
    const phone = await call('POST', 'v1/authentication-methods', token, {
      type: 'phone',
      phone_number: '12',
    });
    expect(phone.body.validation_errors[0]).toMatchObject({ field: 'phone_number' });
    const passkey = await call('POST', 'v1/authentication-methods', token, { type: 'passkey' });
    expect(passkey.body.type).toBe('urn:auth0-enclave:problem:unsupported-type');
  });

  it('renames and deletes a method; another user cannot see it', async () => {
    const token = await meToken();
    const method = await enrollTotp(token);
    const path = `v1/authentication-methods/${encodeURIComponent(String(method.id))}`;
    const renamed = await call('PATCH', path, token, { name: 'Work phone app' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Work phone app');
    const badPatch = await call('PATCH', path, token, { preferred_authentication_method: 'sms' });
    expect(badPatch.status).toBe(400);
    expect((await call('DELETE', path, token)).status).toBe(204);
    expect((await call('GET', path, token)).status).toBe(404);
    expect((await call('DELETE', path, token)).status).toBe(404);
  });

  it('needs the matching scope for each call', async () => {
    const readOnly = await meToken('read:me:authentication_methods');
    const create = await call('POST', 'v1/authentication-methods', readOnly, { type: 'totp' });
    expect(create.status).toBe(403);
    const del = await call('DELETE', 'v1/authentication-methods/totp%7Cx', readOnly);
    expect(del.status).toBe(403);
  });
});
