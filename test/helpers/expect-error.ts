import { expect } from 'vitest';

/**
 * Awaits `promise`, which must reject with an instance of `type` whose fields include `fields`
 * (`code`, `error`, `status`: never the message). Returns the error for further checks.
 */
export async function expectError<T extends Error>(
  promise: Promise<unknown>,
  // biome-ignore lint/suspicious/noExplicitAny: any error constructor, whatever its parameters
  type: new (...args: any[]) => T,
  fields: Record<string, unknown> = {},
): Promise<T> {
  let outcome: { value: unknown } | { error: unknown };
  try {
    outcome = { value: await promise };
  } catch (error) {
    outcome = { error };
  }
  if (!('error' in outcome)) {
    throw new Error(`expected a ${type.name}, but the call succeeded`);
  }
  expect(outcome.error).toBeInstanceOf(type);
  expect(outcome.error).toMatchObject(fields);
  return outcome.error as T;
}
