import { expect, test } from 'vitest';
import { ERROR_CLASSES, named } from '../../src/core/error-registry.js';
import * as errors from '../../src/core/errors.js';
import { deserializeError } from '../../src/rpc/rebuild-error.js';

// The rebuild finds a class by the name the class registered itself under (no list of every class
// to keep in step): each class of src/core/errors.ts must be there under its own name, and only
// they — and nothing but an SDK error class may come out of it.

const classes = Object.entries(errors).filter(
  ([exported, value]) =>
    exported !== 'GenericError' && typeof value === 'function' && value.prototype instanceof Error,
) as [string, typeof errors.EnclaveError][];

test('every error class registers itself under its exported name, and nothing else is registered', () => {
  expect(classes.length).toBeGreaterThan(30);
  for (const [exported, Class] of classes) {
    expect(Class.prototype.name, exported).toBe(exported);
    expect(ERROR_CLASSES[exported], exported).toBe(Class);
  }
  expect(Object.keys(ERROR_CLASSES).sort()).toEqual(classes.map(([exported]) => exported).sort());
});

test('the registry answers no name with a member of Object', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype']) {
    expect(ERROR_CLASSES[name], name).toBeUndefined();
  }
});

test('a registered class that is not an SDK error is not used to rebuild: a plain Error', () => {
  class Foreign extends Error {}
  named(Foreign, 'Foreign');
  const rebuilt = deserializeError({
    name: 'Foreign',
    code: 'oauth_error',
    message: 'm',
    fields: {},
  });
  expect(rebuilt.constructor).toBe(Error);
  expect(rebuilt.message).toBe('m');
  // An SDK class stays rebuildable next to it.
  const sdk = deserializeError({
    name: 'OAuthError',
    code: 'oauth_error',
    message: 'm',
    fields: {},
  });
  expect(sdk).toBeInstanceOf(errors.OAuthError);
});
