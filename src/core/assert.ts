// Validation at the public boundary, once. Caller mistakes are TypeErrors that name the option,
// so a typo in an options object fails loudly at the call that made it.

/** Throws a TypeError unless `value` is a non-empty string. */
export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`"${name}" must be a non-empty string`);
  }
}

/** Like {@link assertString}, but `undefined` passes. */
export function assertOptionalString(
  value: unknown,
  name: string,
): asserts value is string | undefined {
  if (value !== undefined) assertString(value, name);
}

/** Throws a TypeError unless `value` is a finite number ≥ 0. */
export function assertNonNegativeNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`"${name}" must be a finite number ≥ 0`);
  }
}

/**
 * Throws a TypeError unless `value` is a plain object (not null, not an array). A typed value
 * keeps its type; an `unknown` one becomes a record.
 */
export function assertObject<T>(
  value: T,
  name: string,
): asserts value is T extends object ? T : T & Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`"${name}" must be an object`);
  }
}

/** Throws a TypeError unless `value` is a function. */
export function assertFunction(
  value: unknown,
  name: string,
): asserts value is (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new TypeError(`"${name}" must be a function`);
}

/**
 * Throws a TypeError naming the first key of `value` that is not in `known`: no option is ever
 * silently ignored (a misspelt `pushedAuthorizationRequest` would otherwise downgrade a login).
 */
export function assertKnownKeys(value: object, known: readonly string[], name: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`"${name}.${key}" is not a supported option`);
    }
  }
}
