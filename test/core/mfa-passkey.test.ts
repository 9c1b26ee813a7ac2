// The MFA and passkey protocol functions of src/core against a scripted fetch: what goes on the
// wire (paths, Bearer, JSON bodies, client authentication), how answers become camelCase
// results, and how malformed answers and refusals become typed errors.
import { describe, expect, test } from 'vitest';
import { clientSecretPost } from '../../src/core/client-auth.js';
import {
  HttpError,
  MfaError,
  MfaRequiredError,
  PasskeyError,
  ResponseError,
} from '../../src/core/errors.js';
import { mfaGrant } from '../../src/core/grants/mfa.js';
import { webauthnGrant } from '../../src/core/grants/webauthn.js';
import { deleteAuthenticator, listAuthenticators } from '../../src/core/mfa/authenticators.js';
import { challengeAuthenticator } from '../../src/core/mfa/challenge.js';
import { enrollAuthenticator } from '../../src/core/mfa/enroll.js';
import { passkeyChallenge, passkeyRegister } from '../../src/core/passkey/ceremony-start.js';
import { testContext, testMetadata } from '../helpers/context.js';
import { expectError } from '../helpers/expect-error.js';
import { createFetchStub, jsonResponse } from '../helpers/fetch-stub.js';
import { CLIENT_ID, ISSUER } from '../helpers/jwt-factory.js';

const TOKENS = { access_token: 'at-1', token_type: 'Bearer', expires_in: 60 };
const json = (body: string | undefined) => JSON.parse(body ?? '');

describe('MFA API', () => {
  test('listAuthenticators: Bearer mfa_token, camelCase rows, oob_channel or oob_channels', async () => {
    const stub = createFetchStub(
      jsonResponse([
        { id: 'totp|dev_1', authenticator_type: 'otp', active: true },
        {
          id: 'sms|dev_2',
          authenticator_type: 'oob',
          active: false,
          name: 'XX12',
          oob_channel: 'sms',
        },
        { id: 'email|dev_3', authenticator_type: 'oob', active: true, oob_channels: ['email'] },
      ]),
    );
    const result = await listAuthenticators(testContext({ fetch: stub.fetch }), { mfaToken: 'mt' });
    expect(stub.requests[0]).toMatchObject({ url: `${ISSUER}mfa/authenticators`, method: 'GET' });
    expect(stub.requests[0]?.headers.get('authorization')).toBe('Bearer mt');
    expect(result).toEqual([
      { id: 'totp|dev_1', authenticatorType: 'otp', active: true },
      {
        id: 'sms|dev_2',
        authenticatorType: 'oob',
        active: false,
        name: 'XX12',
        oobChannels: ['sms'],
      },
      { id: 'email|dev_3', authenticatorType: 'oob', active: true, oobChannels: ['email'] },
    ]);
  });

  test('listAuthenticators: a body that is not an array of authenticators is a ResponseError', async () => {
    for (const body of [{ authenticators: [] }, [{ id: 1 }]]) {
      const stub = createFetchStub(jsonResponse(body));
      await expectError(
        listAuthenticators(testContext({ fetch: stub.fetch }), { mfaToken: 'mt' }),
        ResponseError,
      );
    }
  });

  test('enrollAuthenticator: snake_case JSON out, camelCase in', async () => {
    const stub = createFetchStub(
      jsonResponse({
        authenticator_type: 'oob',
        oob_channel: 'sms',
        oob_code: 'oc',
        binding_method: 'prompt',
        recovery_codes: ['RC'],
      }),
    );
    const result = await enrollAuthenticator(testContext({ fetch: stub.fetch }), {
      mfaToken: 'mt',
      authenticatorTypes: ['oob'],
      oobChannels: ['sms'],
      phoneNumber: '+15550001111',
    });
    expect(stub.requests[0]?.url).toBe(`${ISSUER}mfa/associate`);
    expect(stub.requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(json(stub.requests[0]?.body)).toEqual({
      authenticator_types: ['oob'],
      oob_channels: ['sms'],
      phone_number: '+15550001111',
    });
    expect(result).toEqual({
      authenticatorType: 'oob',
      oobChannel: 'sms',
      oobCode: 'oc',
      bindingMethod: 'prompt',
      recoveryCodes: ['RC'],
    });
  });

  test('enrollAuthenticator: an OTP answer without a secret is a ResponseError', async () => {
    const stub = createFetchStub(
      jsonResponse({ authenticator_type: 'otp', barcode_uri: 'otpauth://x' }),
    );
    await expectError(
      enrollAuthenticator(testContext({ fetch: stub.fetch }), {
        mfaToken: 'mt',
        authenticatorTypes: ['otp'],
      }),
      ResponseError,
    );
  });

  test('challengeAuthenticator: client authentication and mfa_token in the JSON body, no Bearer', async () => {
    const stub = createFetchStub(jsonResponse({ challenge_type: 'oob', oob_code: 'oc' }));
    const context = testContext({
      fetch: stub.fetch,
      authenticate: clientSecretPost('s3cret'),
      metadata: testMetadata({ mfa_challenge_endpoint: `${ISSUER}mfa/challenge` }),
    });
    const result = await challengeAuthenticator(context, {
      mfaToken: 'mt',
      challengeType: 'oob',
      authenticatorId: 'sms|dev_2',
    });
    expect(stub.requests[0]?.headers.get('authorization')).toBeNull();
    expect(json(stub.requests[0]?.body)).toEqual({
      client_id: CLIENT_ID,
      client_secret: 's3cret',
      mfa_token: 'mt',
      challenge_type: 'oob',
      authenticator_id: 'sms|dev_2',
    });
    expect(result).toEqual({ challengeType: 'oob', oobCode: 'oc' });
  });

  test('server refusals are MfaErrors with error and status; 5xx pages stay HttpErrors', async () => {
    const stub = createFetchStub(
      jsonResponse(
        { error: 'not_found', error_description: 'Authenticator not found' },
        { status: 404 },
      ),
      new Response('<html>down</html>', { status: 503 }),
    );
    const context = testContext({ fetch: stub.fetch });
    const error = await expectError(
      deleteAuthenticator(context, { mfaToken: 'mt', authenticatorId: 'totp|dev_1' }),
      MfaError,
      { code: 'mfa_error', error: 'not_found', status: 404 },
    );
    expect(error.message).toBe('Authenticator not found');
    expect(stub.requests[0]?.url).toBe(`${ISSUER}mfa/authenticators/totp%7Cdev_1`);
    await expectError(listAuthenticators(context, { mfaToken: 'mt' }), HttpError, { status: 503 });
  });
});

describe('mfaGrant', () => {
  test.each([
    [
      { factorType: 'otp', otp: '123456' },
      { grant_type: 'http://auth0.com/oauth/grant-type/mfa-otp', otp: '123456' },
    ],
    [
      { factorType: 'oob', oobCode: 'oc', bindingCode: '654321' },
      {
        grant_type: 'http://auth0.com/oauth/grant-type/mfa-oob',
        oob_code: 'oc',
        binding_code: '654321',
      },
    ],
    [
      { factorType: 'recovery-code', recoveryCode: 'RC' },
      { grant_type: 'http://auth0.com/oauth/grant-type/mfa-recovery-code', recovery_code: 'RC' },
    ],
  ] as const)('%o sends its grant', async (factor, expected) => {
    const stub = createFetchStub(jsonResponse({ ...TOKENS, recovery_code: 'NEW' }));
    const tokens = await mfaGrant(testContext({ fetch: stub.fetch }), {
      mfaToken: 'mt',
      ...factor,
    });
    expect(Object.fromEntries(new URLSearchParams(stub.requests[0]?.body))).toEqual({
      ...expected,
      mfa_token: 'mt',
      client_id: CLIENT_ID,
    });
    expect(tokens).toMatchObject({ accessToken: 'at-1', recoveryCode: 'NEW' });
  });

  test('authorization_pending is an MfaError to poll on; mfa_required stays itself', async () => {
    const stub = createFetchStub(
      jsonResponse({ error: 'authorization_pending' }, { status: 400 }),
      jsonResponse({ error: 'mfa_required', mfa_token: 'next' }, { status: 403 }),
    );
    const context = testContext({ fetch: stub.fetch });
    const options = { mfaToken: 'mt', factorType: 'oob', oobCode: 'oc' } as const;
    await expectError(mfaGrant(context, options), MfaError, {
      error: 'authorization_pending',
      status: 400,
    });
    await expectError(mfaGrant(context, options), MfaRequiredError, { mfa_token: 'next' });
  });
});

describe('passkey API', () => {
  test('passkeyRegister: user_profile in snake_case, client authentication, camelCase answer', async () => {
    const publicKey = { challenge: 'ch', rp: { id: 'localhost', name: 'x' } };
    const stub = createFetchStub(
      jsonResponse({ auth_session: 'as', authn_params_public_key: publicKey }),
    );
    const context = testContext({ fetch: stub.fetch, authenticate: clientSecretPost('s3cret') });
    const result = await passkeyRegister(context, {
      email: 'e@example.com',
      givenName: 'E',
      realm: 'db',
      userMetadata: { plan: 'free' },
    });
    expect(stub.requests[0]?.url).toBe(`${ISSUER}passkey/register`);
    expect(json(stub.requests[0]?.body)).toEqual({
      client_id: CLIENT_ID,
      client_secret: 's3cret',
      user_profile: { email: 'e@example.com', given_name: 'E' },
      realm: 'db',
      user_metadata: { plan: 'free' },
    });
    expect(result).toEqual({ authSession: 'as', authnParamsPublicKey: publicKey });
  });

  test('passkeyChallenge: a malformed answer is a ResponseError, a refusal a PasskeyError', async () => {
    const stub = createFetchStub(
      jsonResponse({ auth_session: 'as' }),
      jsonResponse({ error: 'unauthorized_client' }, { status: 403 }),
    );
    const context = testContext({ fetch: stub.fetch });
    await expectError(passkeyChallenge(context), ResponseError);
    await expectError(passkeyChallenge(context, { organization: 'acme' }), PasskeyError, {
      code: 'passkey_error',
      error: 'unauthorized_client',
      status: 403,
    });
    expect(json(stub.requests[1]?.body)).toEqual({ client_id: CLIENT_ID, organization: 'acme' });
  });

  test('webauthnGrant: a JSON body with authn_response nested, not stringified', async () => {
    const stub = createFetchStub(jsonResponse(TOKENS));
    const credential = {
      id: 'cid',
      rawId: 'cid',
      type: 'public-key',
      response: { clientDataJSON: 'cd', authenticatorData: 'ad', signature: 'sig' },
    };
    await webauthnGrant(testContext({ fetch: stub.fetch }), {
      authSession: 'as',
      credential,
      scope: 'openid',
    });
    expect(stub.requests[0]?.headers.get('content-type')).toBe('application/json');
    expect(json(stub.requests[0]?.body)).toEqual({
      grant_type: 'urn:okta:params:oauth:grant-type:webauthn',
      client_id: CLIENT_ID,
      auth_session: 'as',
      scope: 'openid',
      authn_response: credential,
    });
  });
});
