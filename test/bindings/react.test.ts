// auth0-enclave/react's own rules, in real React (react-dom/server renders in Node): what the
// context does outside a provider, the reducer's transitions, and which URLs are a callback.
// The provider's whole flow (worker, tenant, API) is e2e/engines/framework-examples.spec.ts.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import { hasAuthParams } from '../../src/bindings/redirect-return.js';
import { InvalidStateError } from '../../src/core/errors.js';
import { initialAuthState, reducer } from '../../src/react/auth-state.js';
import { initialContext, useAuth0, useFetchWithAuth } from '../../src/react/index.js';

describe('outside <Auth0Provider>', () => {
  test('the state is loading, and every method throws InvalidStateError naming the fix', async () => {
    let seen: ReturnType<typeof useAuth0> | undefined;
    function Probe() {
      seen = useAuth0();
      return null;
    }
    renderToString(createElement(Probe));
    expect(seen).toMatchObject({ isLoading: true, isAuthenticated: false, user: undefined });
    expect(() => seen?.loginWithRedirect()).toThrow(InvalidStateError);
    expect(() => seen?.loginWithRedirect()).toThrow(/wrap your component in <Auth0Provider>/);
    expect(() => seen?.mfa.getAuthenticators('x')).toThrow(InvalidStateError);
    // Awaiting the clients is not a call: `then` is not a method of theirs.
    expect((initialContext.passkey as unknown as { then?: unknown }).then).toBeUndefined();
  });

  test('useFetchWithAuth() is the throwing method too', () => {
    let fetchWithAuth: ReturnType<typeof useFetchWithAuth> | undefined;
    function Probe() {
      fetchWithAuth = useFetchWithAuth();
      return null;
    }
    renderToString(createElement(Probe));
    expect(() => fetchWithAuth?.('https://api.example.com/')).toThrow(
      expect.objectContaining({ code: 'invalid_state' }),
    );
  });
});

describe('the reducer', () => {
  test('an unchanged user keeps the state object (effects on `user` do not run again)', () => {
    const signedIn = reducer(initialAuthState, {
      type: 'INITIALISED',
      user: { sub: 'a', name: 'A' },
    });
    expect(signedIn).toMatchObject({ isLoading: false, isAuthenticated: true });
    expect(reducer(signedIn, { type: 'SYNC_USER', user: { sub: 'a', name: 'A' } })).toBe(signedIn);
    expect(reducer(signedIn, { type: 'SYNC_USER', user: undefined })).toMatchObject({
      isAuthenticated: false,
      user: undefined,
    });
  });

  test('an error ends loading and is kept; a popup login clears it', () => {
    const failed = reducer(initialAuthState, { type: 'ERROR', error: new InvalidStateError() });
    expect(failed).toMatchObject({ isLoading: false, error: expect.any(InvalidStateError) });
    const again = reducer(reducer(failed, { type: 'LOGIN_POPUP_STARTED' }), {
      type: 'LOGIN_POPUP_COMPLETE',
      user: { sub: 'a' },
    });
    expect(again).toMatchObject({ isLoading: false, error: undefined, isAuthenticated: true });
    expect(reducer(again, { type: 'LOGOUT' })).toMatchObject({ isAuthenticated: false });
  });
});

test.each([
  ['?code=abc&state=xyz', true],
  ['?error=access_denied&state=xyz', true],
  ['?connect_code=abc&state=xyz', true],
  ['?code=abc', false],
  ['?state=xyz', false],
  ['?page=2', false],
  ['', false],
])('a query of %j is an uncontrolled callback: %s', (search, expected) => {
  expect(hasAuthParams(search)).toBe(expected);
});
