/**
 * Every error class of src/core/errors.ts by its `name`, filled by the classes themselves as they
 * are defined, and read by the rebuild of errors that crossed the page ↔ worker boundary
 * (src/rpc/rebuild-error.ts). Kept out of errors.ts, whose every export is public API.
 *
 * A class registers itself from its static block: a list of every class in the rebuild would
 * make each bundle that rebuilds errors import every class by name once more (0.3 KB gzip on the
 * page, where the error classes sit in a chunk of their own).
 */

/** What the registry holds: an error class, taking its options object. */
type ErrorClass = abstract new (options: never) => Error;

/** Error classes by name. No prototype: a name like "constructor" or "__proto__" finds nothing. */
export const ERROR_CLASSES: Record<string, ErrorClass | undefined> = Object.create(null);

/**
 * Names an error class on its prototype — never from the constructor's name, which minifiers
 * change, while the rebuilt error must still find its class — and registers it under that name.
 */
export function named(Class: ErrorClass, name: string): void {
  Class.prototype.name = name;
  ERROR_CLASSES[name] = Class;
}
