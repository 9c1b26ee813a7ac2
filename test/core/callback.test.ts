import { describe, expect, test } from 'vitest';
import {
  readAuthorizationResponse,
  validateAuthorizationResponse,
} from '../../src/core/callback.js';
import { AuthenticationError, InvalidStateError, ResponseError } from '../../src/core/errors.js';
import { ISSUER } from '../helpers/jwt-factory.js';

const CALLBACK = 'https://app.example/callback';
const expectation = { state: 'state-1', issuer: ISSUER };

function validate(
  url: string,
  expect: Parameters<typeof validateAuthorizationResponse>[1] = expectation,
) {
  return validateAuthorizationResponse(readAuthorizationResponse(url), expect);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('readAuthorizationResponse', () => {
  test('reads a query response', () => {
    const params = readAuthorizationResponse(`${CALLBACK}?code=c1&state=s1`);
    expect(params.get('code')).toBe('c1');
    expect(params.get('state')).toBe('s1');
  });

  test('reads a fragment response', () => {
    const params = readAuthorizationResponse(new URL(`${CALLBACK}?utm=x#code=c1&state=s1`));
    expect(params.get('code')).toBe('c1');
    expect(params.get('state')).toBe('s1');
  });

  test('a string that is not a URL is a ResponseError', () => {
    const error = thrown(() => readAuthorizationResponse('/callback?code=c1&state=s1'));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });
});

describe('validateAuthorizationResponse', () => {
  test('returns the code of a matching query or fragment response', () => {
    expect(validate(`${CALLBACK}?code=c1&state=state-1`)).toBe('c1');
    expect(validate(`${CALLBACK}#code=c2&state=state-1`)).toBe('c2');
    expect(validate(`${CALLBACK}?code=c3&state=state-1&iss=${encodeURIComponent(ISSUER)}`)).toBe(
      'c3',
    );
  });

  test.each([
    ['unknown state', `${CALLBACK}?code=c1&state=other`],
    ['missing state', `${CALLBACK}?code=c1`],
    ['empty state', `${CALLBACK}?code=c1&state=`],
    ['error with unknown state', `${CALLBACK}?error=login_required&state=other`],
    ['error without state', `${CALLBACK}?error=login_required`],
    ['nothing at all', CALLBACK],
  ])('%s → InvalidStateError', (_label, url) => {
    const error = thrown(() => validate(url));
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error).toMatchObject({ code: 'invalid_state', error: 'invalid_state' });
  });

  test.each([
    ['state', `${CALLBACK}?code=c1&state=state-1&state=state-1`],
    ['code', `${CALLBACK}?code=c1&code=c2&state=state-1`],
    ['iss', `${CALLBACK}?code=c1&state=state-1&iss=${encodeURIComponent(ISSUER)}&iss=x`],
    ['error', `${CALLBACK}?error=a&error=b&state=state-1`],
  ])('a duplicated %s parameter is a ResponseError', (_name, url) => {
    const error = thrown(() => validate(url));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  test('an iss naming another server is a ResponseError', () => {
    const error = thrown(() =>
      validate(
        `${CALLBACK}?code=c1&state=state-1&iss=${encodeURIComponent('https://evil.example/')}`,
      ),
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });

  test('an iss mismatch wins over an error response', () => {
    const error = thrown(() => validate(`${CALLBACK}?error=access_denied&state=state-1&iss=x`));
    expect(error).toBeInstanceOf(ResponseError);
  });

  test('a missing iss is a ResponseError only when the server promised it', () => {
    const url = `${CALLBACK}?code=c1&state=state-1`;
    expect(validate(url, { ...expectation, issRequired: false })).toBe('c1');
    const error = thrown(() => validate(url, { ...expectation, issRequired: true }));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'invalid_response' });
    expect(
      validate(`${url}&iss=${encodeURIComponent(ISSUER)}`, { ...expectation, issRequired: true }),
    ).toBe('c1');
  });

  test('an error response is an AuthenticationError with error, state and appState', () => {
    const appState = { returnTo: '/notes' };
    const error = thrown(() =>
      validate(
        `${CALLBACK}?error=login_required&error_description=Login%20required&state=state-1`,
        {
          ...expectation,
          appState,
        },
      ),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      code: 'authentication_error',
      error: 'login_required',
      error_description: 'Login required',
      state: 'state-1',
      appState,
    });
  });

  test('an error response in the fragment is an AuthenticationError too', () => {
    const error = thrown(() => validate(`${CALLBACK}#error=consent_required&state=state-1`));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'authentication_error', error: 'consent_required' });
  });

  test.each([
    ['no code', `${CALLBACK}?state=state-1`],
    ['an empty code', `${CALLBACK}?code=&state=state-1`],
  ])('%s is a ResponseError', (_label, url) => {
    const error = thrown(() => validate(url));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'invalid_response' });
  });
});
