// AuthClient's MFA surface (`auth.mfa`, `isMfaRequiredError`) against the real local tenant over
// HTTP: mfa_required from the password grant, enrollment, challenges, the three MFA grants,
// polling a push, recovery codes, errors, and DPoP-bound tokens after MFA.

import { API, adminGet, adminPost, useTenant } from 'auth0-enclave-tenant/testing';
import { decodeJwt } from 'jose';
import { generate } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthClient,
  type AuthClientOptions,
  generateDpopKeyPair,
  isMfaRequiredError,
  MfaError,
  MfaRequiredError,
  MfaVerifyError,
  OAuthError,
} from '../../src/core/index.js';
import { expectError } from '../helpers/expect-error.js';

const MFA_USER = { email: 'mfa@example.com', password: 'wonderland', sub: 'auth0|mfa' };

const server = await useTenant({ afterAll, beforeEach });
const { issuer } = server;

function auth(options: Partial<AuthClientOptions> = {}): AuthClient {
  return new AuthClient({
    domain: issuer,
    clientId: 'sample-server',
    clientSecret: 'sample-server-secret',
    timeoutMs: 2_000,
    ...options,
  });
}

/** The password grant for the MFA user: must throw MfaRequiredError; returns it. */
async function passwordLogin(client = auth()): Promise<MfaRequiredError> {
  return expectError(
    client.getTokenByPassword({
      username: MFA_USER.email,
      password: MFA_USER.password,
      audience: API,
      scope: 'openid profile offline_access read:notes',
    }),
    MfaRequiredError,
    { code: 'mfa_required', error: 'mfa_required' },
  );
}

async function seed(
  body: Record<string, string>,
): Promise<{ id: string; secret?: string; recoveryCode?: string }> {
  return (await adminPost(issuer, 'mfa/authenticators', { userId: MFA_USER.sub, ...body })).body;
}

async function lastCode(): Promise<string> {
  const outbox = (await adminGet(issuer, 'outbox')).body;
  return outbox.at(-1).code;
}

function wrongCode(valid: string): string {
  return String((Number(valid) + 500_000) % 1_000_000).padStart(6, '0');
}

describe('isMfaRequiredError', () => {
  it('narrows the error of a password grant that needs MFA', async () => {
    const error = await passwordLogin();
    expect(isMfaRequiredError(error)).toBe(true);
    expect(error.mfa_token).toEqual(expect.any(String));
    expect(error.mfa_requirements).toEqual({ enroll: [{ type: 'otp' }, { type: 'oob' }] });
  });

  it('recognises the shape (an error rebuilt elsewhere) and nothing else', () => {
    expect(isMfaRequiredError({ error: 'mfa_required', mfa_token: 'x' })).toBe(true);
    expect(isMfaRequiredError({ error: 'mfa_required' })).toBe(false);
    expect(isMfaRequiredError(new OAuthError({ error: 'invalid_grant', status: 403 }))).toBe(false);
    expect(isMfaRequiredError(undefined)).toBe(false);
    expect(isMfaRequiredError('mfa_required')).toBe(false);
  });
});

describe('auth.mfa with an OTP app', () => {
  it('enrolls, lists, refuses a wrong code, then verifies and returns the withheld tokens', async () => {
    const client = auth();
    const { mfa_token: mfaToken } = await passwordLogin(client);
    const enrollment = await client.mfa.enrollAuthenticator({
      mfaToken,
      authenticatorTypes: ['otp'],
    });
    expect(enrollment).toEqual({
      authenticatorType: 'otp',
      secret: expect.any(String),
      barcodeUri: expect.stringMatching(/^otpauth:\/\/totp\//),
      recoveryCodes: [expect.any(String)],
    });
    if (enrollment.authenticatorType !== 'otp') throw new Error('unreachable');
    const listed = await client.mfa.listAuthenticators({ mfaToken });
    expect(listed).toEqual([
      { id: expect.stringMatching(/^totp\|/), authenticatorType: 'otp', active: false },
      {
        id: expect.stringMatching(/^recovery-code\|/),
        authenticatorType: 'recovery-code',
        active: false,
      },
    ]);

    const otp = await generate({ secret: enrollment.secret });
    await expectError(
      client.mfa.verify({ mfaToken, factorType: 'otp', otp: wrongCode(otp) }),
      // auth0-spa-js's class for a failed verify: an MfaError with the operation's name.
      MfaVerifyError,
      { code: 'mfa_error', error: 'invalid_grant', status: 403, name: 'MfaVerifyError' },
    );
    const tokens = await client.mfa.verify({ mfaToken, factorType: 'otp', otp });
    expect(tokens).toMatchObject({
      tokenType: 'Bearer',
      refreshToken: expect.any(String),
      scope: 'openid profile offline_access read:notes',
      claims: { sub: MFA_USER.sub, iss: issuer, aud: 'sample-server', amr: ['mfa'] },
    });
    expect(decodeJwt(tokens.accessToken)).toMatchObject({ aud: [API, `${issuer}userinfo`] });
    // The refresh token works like any other.
    const refreshed = await client.getTokenByRefreshToken({
      refreshToken: tokens.refreshToken ?? '',
    });
    expect(refreshed.claims?.sub).toBe(MFA_USER.sub);
  });

  it('refuses an expired mfa_token (tenant clock) with MfaError expired_token', async () => {
    const { secret } = await seed({ type: 'otp' });
    const { mfa_token: mfaToken } = await passwordLogin();
    await adminPost(issuer, 'clock', { advance: 601 });
    await expectError(
      auth().mfa.verify({
        mfaToken,
        factorType: 'otp',
        otp: await generate({ secret: secret ?? '' }),
      }),
      MfaError,
      { error: 'expired_token', status: 403 },
    );
    await expectError(auth().mfa.listAuthenticators({ mfaToken }), MfaError, {
      error: 'expired_token',
    });
  });

  it('turns too many wrong codes into MfaError too_many_attempts (429)', async () => {
    const { secret } = await seed({ type: 'otp' });
    const { mfa_token: mfaToken } = await passwordLogin();
    const otp = await generate({ secret: secret ?? '' });
    for (let attempt = 0; attempt < 10; attempt++) {
      await expectError(
        auth().mfa.verify({ mfaToken, factorType: 'otp', otp: wrongCode(otp) }),
        MfaError,
      );
    }
    await expectError(auth().mfa.verify({ mfaToken, factorType: 'otp', otp }), MfaError, {
      error: 'too_many_attempts',
      status: 429,
    });
  });

  it('answers challengeType otp for an OTP authenticator', async () => {
    await seed({ type: 'otp' });
    const { mfa_token: mfaToken } = await passwordLogin();
    expect(await auth().mfa.challengeAuthenticator({ mfaToken, challengeType: 'otp' })).toEqual({
      challengeType: 'otp',
    });
  });

  it('binds the tokens to the DPoP key when the client has one', async () => {
    const { secret } = await seed({ type: 'otp' });
    const dpop = await generateDpopKeyPair();
    const client = auth({ dpop });
    const { mfa_token: mfaToken } = await passwordLogin(client);
    const tokens = await client.mfa.verify({
      mfaToken,
      factorType: 'otp',
      otp: await generate({ secret: secret ?? '' }),
    });
    expect(tokens.tokenType).toBe('DPoP');
    expect(decodeJwt(tokens.accessToken).cnf).toEqual({ jkt: dpop.thumbprint });
    const requests = (await adminGet(issuer, 'requests?path=/oauth/token')).body;
    expect(requests.at(-1)).toMatchObject({
      grantType: 'http://auth0.com/oauth/grant-type/mfa-otp',
      dpopJkt: dpop.thumbprint,
      status: 200,
    });
  });
});

describe('auth.mfa with out-of-band factors', () => {
  it('enrolls SMS and verifies with the binding code from the outbox', async () => {
    const client = auth();
    const { mfa_token: mfaToken } = await passwordLogin(client);
    const enrollment = await client.mfa.enrollAuthenticator({
      mfaToken,
      authenticatorTypes: ['oob'],
      oobChannels: ['sms'],
      phoneNumber: '+15551234567',
    });
    expect(enrollment).toEqual({
      authenticatorType: 'oob',
      oobChannel: 'sms',
      oobCode: expect.any(String),
      bindingMethod: 'prompt',
      recoveryCodes: [expect.any(String)],
    });
    if (enrollment.authenticatorType !== 'oob') throw new Error('unreachable');
    const tokens = await client.mfa.verify({
      mfaToken,
      factorType: 'oob',
      oobCode: enrollment.oobCode ?? '',
      bindingCode: await lastCode(),
    });
    expect(tokens.claims?.sub).toBe(MFA_USER.sub);
    const next = await passwordLogin(client);
    expect(next.mfa_requirements).toEqual({ challenge: [{ type: 'oob' }] });
    expect(await client.mfa.listAuthenticators({ mfaToken: next.mfa_token })).toContainEqual({
      id: expect.stringMatching(/^sms\|/),
      authenticatorType: 'oob',
      active: true,
      name: 'XXXXXXXX4567',
      oobChannels: ['sms'],
    });
  });

  it('enrolls email and challenges it', async () => {
    const client = auth();
    const first = await passwordLogin(client);
    const enrollment = await client.mfa.enrollAuthenticator({
      mfaToken: first.mfa_token,
      authenticatorTypes: ['oob'],
      oobChannels: ['email'],
    });
    if (enrollment.authenticatorType !== 'oob') throw new Error('unreachable');
    expect(enrollment.oobChannel).toBe('email');
    await client.mfa.verify({
      mfaToken: first.mfa_token,
      factorType: 'oob',
      oobCode: enrollment.oobCode ?? '',
      bindingCode: await lastCode(),
    });
    const { mfa_token: mfaToken } = await passwordLogin(client);
    const [email] = await client.mfa.listAuthenticators({ mfaToken });
    const challenge = await client.mfa.challengeAuthenticator({
      mfaToken,
      challengeType: 'oob',
      authenticatorId: email?.id,
    });
    expect(challenge).toEqual({
      challengeType: 'oob',
      oobCode: expect.any(String),
      bindingMethod: 'prompt',
    });
    expect((await adminGet(issuer, 'outbox')).body.at(-1)).toMatchObject({
      channel: 'email',
      to: MFA_USER.email,
    });
    const tokens = await client.mfa.verify({
      mfaToken,
      factorType: 'oob',
      oobCode: challenge.oobCode ?? '',
      bindingCode: await lastCode(),
    });
    expect(tokens.accessToken).toEqual(expect.any(String));
  });

  it('polls a push: authorization_pending, slow_down, then tokens after approval', async () => {
    await seed({ type: 'oob', channel: 'auth0' });
    const client = auth();
    const { mfa_token: mfaToken } = await passwordLogin(client);
    const { oobCode } = await client.mfa.challengeAuthenticator({ mfaToken, challengeType: 'oob' });
    const poll = () => client.mfa.verify({ mfaToken, factorType: 'oob', oobCode: oobCode ?? '' });
    await expectError(poll(), MfaError, { error: 'authorization_pending', status: 400 });
    await expectError(poll(), MfaError, { error: 'slow_down' });
    await adminPost(issuer, 'mfa/oob/decide', { oobCode });
    await adminPost(issuer, 'clock', { advance: 5 });
    const tokens = await poll();
    expect(tokens.claims?.amr).toEqual(['mfa']);
  });

  it('refuses a wrong binding code and an unknown authenticator', async () => {
    await seed({ type: 'oob', channel: 'sms', to: '+15550001111' });
    const client = auth();
    const { mfa_token: mfaToken } = await passwordLogin(client);
    await expectError(
      client.mfa.challengeAuthenticator({
        mfaToken,
        challengeType: 'oob',
        authenticatorId: 'sms|dev_nope',
      }),
      MfaError,
      { error: 'invalid_request', status: 400 },
    );
    const { oobCode } = await client.mfa.challengeAuthenticator({ mfaToken, challengeType: 'oob' });
    await expectError(
      client.mfa.verify({
        mfaToken,
        factorType: 'oob',
        oobCode: oobCode ?? '',
        bindingCode: wrongCode(await lastCode()),
      }),
      MfaError,
      { error: 'invalid_grant', status: 403 },
    );
  });
});

describe('auth.mfa recovery codes and deletion', () => {
  it('verifies with a recovery code, returns the new one, and spends the old', async () => {
    const { recoveryCode } = await seed({ type: 'otp' });
    const client = auth();
    const first = await passwordLogin(client);
    const tokens = await client.mfa.verify({
      mfaToken: first.mfa_token,
      factorType: 'recovery-code',
      recoveryCode: recoveryCode ?? '',
    });
    expect(tokens.recoveryCode).toEqual(expect.any(String));
    expect(tokens.recoveryCode).not.toBe(recoveryCode);
    const second = await passwordLogin(client);
    await expectError(
      client.mfa.verify({
        mfaToken: second.mfa_token,
        factorType: 'recovery-code',
        recoveryCode: recoveryCode ?? '',
      }),
      MfaError,
      { error: 'invalid_grant' },
    );
    const third = await client.mfa.verify({
      mfaToken: second.mfa_token,
      factorType: 'recovery-code',
      recoveryCode: tokens.recoveryCode ?? '',
    });
    expect(third.recoveryCode).toEqual(expect.any(String));
  });

  it('deletes an authenticator, and answers MfaError not_found (404) for an unknown one', async () => {
    const { id } = await seed({ type: 'otp' });
    const client = auth();
    const { mfa_token: mfaToken } = await passwordLogin(client);
    await client.mfa.deleteAuthenticator({ mfaToken, authenticatorId: id });
    const ids = (await client.mfa.listAuthenticators({ mfaToken })).map((item) => item.id);
    expect(ids).not.toContain(id);
    await expectError(client.mfa.deleteAuthenticator({ mfaToken, authenticatorId: id }), MfaError, {
      error: 'not_found',
      status: 404,
    });
  });
});

describe('auth.mfa option checks', () => {
  it('throws TypeErrors naming the option', async () => {
    const { mfa } = auth();
    const bad = (call: () => unknown, pattern: RegExp) => expect(call).toThrow(pattern);
    bad(() => mfa.listAuthenticators({ mfaToken: '' }), /"options.mfaToken"/);
    bad(
      () => mfa.enrollAuthenticator({ mfaToken: 't', authenticatorTypes: ['sms'] as never }),
      /"options.authenticatorTypes"/,
    );
    bad(
      () =>
        mfa.enrollAuthenticator({
          mfaToken: 't',
          authenticatorTypes: ['oob'],
          oobChannels: ['pigeon'] as never,
        }),
      /"options.oobChannels\[0\]"/,
    );
    bad(
      () => mfa.challengeAuthenticator({ mfaToken: 't', challengeType: 'sms' as never }),
      /"options.challengeType"/,
    );
    bad(
      () => mfa.deleteAuthenticator({ mfaToken: 't', authenticatorId: '' }),
      /"options.authenticatorId"/,
    );
    bad(() => mfa.verify({ mfaToken: 't', factorType: 'sms' } as never), /"options.factorType"/);
    bad(() => mfa.verify({ mfaToken: 't', factorType: 'otp', otp: '' }), /"options.otp"/);
    bad(() => mfa.verify({ mfaToken: 't', factorType: 'oob', oobCode: '' }), /"options.oobCode"/);
    bad(
      () => mfa.verify({ mfaToken: 't', factorType: 'recovery-code', recoveryCode: 1 as never }),
      /"options.recoveryCode"/,
    );
  });
});
