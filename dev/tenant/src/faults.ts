import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import { isRecord } from './config-validation.js';
import { summarizeDpopProof } from './dpop-proof-summary.js';
import { randomToken } from './random-token.js';
import { bodyParams } from './request-params.js';
import type { TenantEnv } from './tenant-env.js';

/**
 * A fault to inject, for tests of how clients cope with a failing or slow tenant. With only
 * `delayMs` the request is delayed and then served normally; with `status` the tenant answers
 * that status (and `body`, as JSON) instead of handling the request.
 *
 * @example
 * ```ts
 * tenant.admin.addFault({ path: '/oauth/token', status: 503, times: 1, when: { grantType: 'refresh_token' } });
 * ```
 */
export interface FaultConfig {
  /** The exact request path the fault applies to, e.g. `/oauth/token` (not under `/__admin`). */
  path: string;
  /** Default: any method. */
  method?: string;
  /** Answer with this HTTP status (200–599) instead of serving the request. */
  status?: number;
  /** JSON body for a `status` fault. Default: an empty body. */
  body?: Record<string, unknown>;
  /** Wait this many milliseconds (0–60000) before answering. */
  delayMs?: number;
  /** How many matching requests it affects. Default: until cleared. */
  times?: number;
  /** Only requests with this `grant_type` match (for `/oauth/token`). */
  when?: { grantType?: string };
  /**
   * Serve the request normally, then re-sign the response's ID token with these claims changed
   * (`null` removes a claim) — with the tenant's real key, so the signature is valid.
   */
  idTokenClaims?: Record<string, unknown>;
}

interface Fault extends FaultConfig {
  id: string;
  remaining: number;
}

function fail(field: string, expectation: string): never {
  throw new TypeError(`"fault.${field}" must be ${expectation}`);
}

/** Checks a fault description (it arrives as JSON from the admin surface). */
export function parseFault(input: unknown): FaultConfig {
  if (!isRecord(input)) fail('', 'an object');
  const { path, method, status, body, delayMs, times, when, idTokenClaims } = input;
  if (typeof path !== 'string' || !path.startsWith('/')) fail('path', 'a path starting with "/"');
  if (path.startsWith('/__admin')) fail('path', 'outside /__admin (the admin surface stays up)');
  const fault: FaultConfig = { path };
  if (method !== undefined) {
    if (typeof method !== 'string' || method === '') fail('method', 'an HTTP method');
    fault.method = method.toUpperCase();
  }
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
      fail('status', 'an HTTP status from 200 to 599');
    }
    fault.status = status;
  }
  if (body !== undefined) {
    if (!isRecord(body)) fail('body', 'a JSON object');
    fault.body = body;
  }
  if (delayMs !== undefined) {
    if (
      typeof delayMs !== 'number' ||
      !Number.isInteger(delayMs) ||
      delayMs < 0 ||
      delayMs > 60_000
    ) {
      fail('delayMs', 'an integer from 0 to 60000');
    }
    fault.delayMs = delayMs;
  }
  if (times !== undefined) {
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) {
      fail('times', 'an integer >= 1');
    }
    fault.times = times;
  }
  if (when !== undefined) {
    if (!isRecord(when)) fail('when', 'an object');
    if (when.grantType !== undefined) {
      if (typeof when.grantType !== 'string') fail('when.grantType', 'a string');
      fault.when = { grantType: when.grantType };
    } else {
      fault.when = {};
    }
  }
  if (idTokenClaims !== undefined) {
    if (!isRecord(idTokenClaims)) fail('idTokenClaims', 'an object');
    fault.idTokenClaims = idTokenClaims;
  }
  if (
    fault.status === undefined &&
    fault.delayMs === undefined &&
    fault.idTokenClaims === undefined
  ) {
    fail(
      'status',
      'given when neither "delayMs" nor "idTokenClaims" is (a fault must do something)',
    );
  }
  return fault;
}

/** The faults currently armed. */
/** Re-signs an ID token with changed claims (see `idTokenClaims`). */
export type IdTokenResigner = (
  idToken: string,
  overrides: Record<string, unknown>,
) => Promise<string>;

export class FaultRegistry {
  #faults: Fault[] = [];
  readonly #resign: IdTokenResigner | undefined;

  constructor(options: { resignIdToken?: IdTokenResigner } = {}) {
    this.#resign = options.resignIdToken;
  }

  add(input: FaultConfig): { id: string } {
    const fault = parseFault(input);
    const id = `fault_${randomToken(9)}`;
    this.#faults.push({ ...fault, id, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    return { id };
  }

  clear(): number {
    const count = this.#faults.length;
    this.#faults = [];
    return count;
  }

  /** Applies the first armed fault that matches the request. */
  middleware(): MiddlewareHandler<TenantEnv> {
    return async (c, next) => {
      const fault = await this.#match(c.req.method, c.req.path, async () => {
        try {
          return (await bodyParams(c)).get('grant_type');
        } catch {
          return undefined;
        }
      });
      if (!fault) return next();
      // A faulted answer never reaches the route that would log what was asked: log it here (only
      // then — a delay or a re-signed ID token is served by the route, which logs it), so tests
      // can still see every attempt's grant and DPoP proof (a client's retry after an
      // injected 503 must carry a fresh proof, and only the log can show that it did).
      if (fault.status !== undefined) await logFaultedRequest(c.var.log, c);
      if (fault.delayMs !== undefined) await sleep(fault.delayMs);
      if (fault.idTokenClaims !== undefined && fault.status === undefined) {
        await next();
        const json = (await c.res
          .clone()
          .json()
          .catch(() => undefined)) as Record<string, unknown> | undefined;
        if (this.#resign && typeof json?.id_token === 'string') {
          json.id_token = await this.#resign(json.id_token, fault.idTokenClaims);
          const headers = new Headers(c.res.headers);
          headers.delete('content-length');
          c.res = new Response(JSON.stringify(json), { status: c.res.status, headers });
        }
        return;
      }
      if (fault.status === undefined) return next();
      const status = fault.status as StatusCode;
      return fault.body === undefined
        ? c.body(null, status)
        : c.newResponse(JSON.stringify(fault.body), status, {
            'Content-Type': 'application/json',
          });
    };
  }

  async #match(
    method: string,
    path: string,
    grantType: () => Promise<string | undefined>,
  ): Promise<Fault | undefined> {
    for (const fault of this.#faults) {
      if (fault.path !== path) continue;
      if (fault.method !== undefined && fault.method !== method) continue;
      if (fault.when?.grantType !== undefined && fault.when.grantType !== (await grantType())) {
        continue;
      }
      // Counted when it fires, so `times: 1` affects exactly one request even if it is slow.
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#faults = this.#faults.filter((other) => other !== fault);
      return fault;
    }
    return undefined;
  }
}

/** Fills the request-log entry of a request a fault answers (or delays) from what it carries. */
async function logFaultedRequest(
  log: TenantEnv['Variables']['log'],
  c: Parameters<MiddlewareHandler<TenantEnv>>[0],
): Promise<void> {
  try {
    const params = await bodyParams(c);
    const grantType = params.get('grant_type');
    const clientId = params.get('client_id');
    if (grantType !== undefined) log.grantType = grantType;
    if (clientId !== undefined) log.clientId = clientId;
  } catch {
    // Not a form body: nothing more to log.
  }
  Object.assign(log, await summarizeDpopProof(c.req.header('dpop')));
}
