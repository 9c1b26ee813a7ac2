// The surface check of issue 17: every public method (and sub-client method) of
// @auth0/auth0-auth-js's AuthClient, and every error class it exports, read from the installed
// package at run time, must exist on auth0-enclave/core — unless it is on the short exclusion
// lists below, each entry with its reason. A new auth-js version that adds a method fails here.

import * as authJs from '@auth0/auth0-auth-js';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index.js';

/** Methods of auth-js we deliberately do not offer, as `sub.method` or `method`, with why. */
const EXCLUDED_METHODS: Record<string, string> = {};

/** Error classes of auth-js we deliberately do not export, with why. */
const EXCLUDED_ERRORS: Record<string, string> = {
  // Thrown by auth-js when its own response-capturing fetch wrapper lost the response of a
  // `fullResponse` call; our `fullResponse` reads the response it sent, so it cannot happen.
  MissingCapturedResponseError: 'internal to auth-js fullResponse plumbing',
  // auth-js's Enterprise Connect helpers (server-js only) throw it; AuthClient has no such method.
  EnterpriseConnectNotSupportedError: 'no Enterprise Connect methods on AuthClient',
};

const DUMMY = { domain: 'example.auth0.com', clientId: 'client', clientSecret: 'secret' };

/** Own and inherited methods of an object's prototype chain, without `constructor`. */
function methodsOf(object: object): string[] {
  const names = new Set<string>();
  for (
    let proto = Object.getPrototypeOf(object);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      if (typeof (object as Record<string, unknown>)[name] === 'function') names.add(name);
    }
  }
  return [...names].sort();
}

/** `method` and `sub.method` for every method of the client and its object-valued fields. */
function surfaceOf(client: object): string[] {
  const surface = methodsOf(client);
  for (const [key, value] of Object.entries(client)) {
    if (value && typeof value === 'object') {
      for (const method of methodsOf(value)) surface.push(`${key}.${method}`);
    }
  }
  return surface.sort();
}

function isErrorClass(value: unknown): boolean {
  return typeof value === 'function' && value.prototype instanceof Error;
}

const theirs = surfaceOf(new authJs.AuthClient(DUMMY));
const ours = surfaceOf(new core.AuthClient(DUMMY));

describe('the auth-js 1.16 surface', () => {
  it('reads a plausible surface from the installed package', () => {
    // A prototype walk that finds nothing would make every check below pass vacuously.
    expect(theirs.length).toBeGreaterThan(30);
    expect(theirs).toContain('buildAuthorizationUrl');
    expect(theirs).toContain('mfa.verify');
  });

  it('every AuthClient method and sub-client method exists on ours', () => {
    const missing = theirs.filter((name) => !ours.includes(name) && !(name in EXCLUDED_METHODS));
    expect(missing).toEqual([]);
  });

  it('the exclusion list names only methods auth-js has and we lack', () => {
    for (const name of Object.keys(EXCLUDED_METHODS)) {
      expect(theirs).toContain(name);
      expect(ours).not.toContain(name);
    }
  });

  it('every exported error class exists on ours, by name', () => {
    const theirErrors = Object.keys(authJs).filter((name) =>
      isErrorClass((authJs as Record<string, unknown>)[name]),
    );
    expect(theirErrors.length).toBeGreaterThan(20);
    const missing = theirErrors.filter(
      (name) =>
        !isErrorClass((core as Record<string, unknown>)[name]) && !(name in EXCLUDED_ERRORS),
    );
    expect(missing).toEqual([]);
  });

  it('the other exported functions and classes exist on ours', () => {
    for (const name of ['TokenResponse', 'isFederatedDomain', 'isMfaRequiredError']) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
