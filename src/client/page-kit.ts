import {
  InvalidConfigurationError,
  PasskeyError,
  PopupCancelledError,
  PopupTimeoutError,
  TimeoutError,
} from '../core/errors.js';
import { MESSAGE } from '../rpc/protocol.js';

/**
 * auth0-spa-js options that decide security behaviour. The worker owns them (its config is baked
 * into the worker script): the page may repeat them, and a value that differs from the worker's
 * fails with `InvalidConfigurationError` naming the worker option to set — never silently
 * ignored. Each is the worker config's option of the same name.
 */
export const WORKER_OWNED_OPTIONS = ['domain', 'clientId', 'issuer', 'useDpop', 'leeway'] as const;

/** One of {@link WORKER_OWNED_OPTIONS}. */
export type WorkerOwnedOption = (typeof WORKER_OWNED_OPTIONS)[number];

/**
 * What the on-demand chunk (./on-demand.ts) uses of the first one: the error classes it throws and
 * the protocol's message names. Handed to each on-demand entry as its first argument instead of
 * imported: the on-demand modules import src/core/errors.ts and src/rpc/protocol.ts for their
 * types only. A runtime import would make a bundler that splits by what reaches a module (esbuild)
 * move those two modules into a third chunk, shared by the first and the on-demand one, whose
 * import and export lists cost the first chunk ~0.1 KB gzip and the whole API ~0.3 KB (measured)
 * (scripts/budgets.ts fails when a page loads more than one chunk up front). The classes are the
 * first chunk's own, so `instanceof` holds for what the on-demand code throws.
 */
export const PAGE_KIT = {
  InvalidConfigurationError,
  PasskeyError,
  PopupCancelledError,
  PopupTimeoutError,
  TimeoutError,
  MESSAGE,
} as const;

/** The type of {@link PAGE_KIT}. */
export type PageKit = typeof PAGE_KIT;
