import type { Context } from 'hono';
import { isRecord } from './config-validation.js';
import { invalidRequest } from './oauth-error-response.js';

/**
 * OAuth request parameters from a query string, a form body or a JSON body. Empty values count
 * as absent (RFC 6749 §3.1), and a parameter sent twice is remembered so that endpoints can
 * refuse it instead of silently picking one.
 */
export class RequestParams {
  readonly #values = new Map<string, string>();
  readonly #repeated = new Set<string>();
  /** Objects and arrays of a JSON body, readable only through {@link RequestParams.json}. */
  readonly #nested = new Map<string, unknown>();

  static fromSearchParams(search: URLSearchParams): RequestParams {
    const params = new RequestParams();
    for (const [name, value] of search) params.#add(name, value);
    return params;
  }

  /**
   * JSON bodies may carry strings, numbers and booleans. Objects and arrays (the webauthn grant's
   * `authn_response`, `/passkey/register`'s `user_profile`) are kept apart: only
   * {@link RequestParams.json} reads them; to {@link RequestParams.get} they are absent.
   */
  static fromJson(body: unknown): RequestParams {
    if (!isRecord(body)) throw invalidRequest('JSON body must be an object');
    const params = new RequestParams();
    for (const [name, value] of Object.entries(body)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') {
        params.#nested.set(name, value);
        continue;
      }
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw invalidRequest(`parameter "${name}" must be a string`);
      }
      params.#add(name, String(value));
    }
    return params;
  }

  #add(name: string, value: string): void {
    if (this.#values.has(name)) this.#repeated.add(name);
    if (value !== '') this.#values.set(name, value);
  }

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** An object or array parameter of a JSON body (undefined when absent or a plain string). */
  json(name: string): unknown {
    return this.#nested.get(name);
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The names that were sent more than once. */
  repeated(): string[] {
    return [...this.#repeated];
  }

  /** Throws `invalid_request` when any parameter was sent more than once (RFC 6749 §3.1). */
  assertNoRepeats(): void {
    const [first] = this.#repeated;
    if (first !== undefined) throw invalidRequest(`parameter "${first}" must not be repeated`);
  }
}

const PARSED = new WeakMap<object, Promise<RequestParams>>();

/**
 * The body of a POST as parameters: `application/x-www-form-urlencoded` (the OAuth default) or
 * `application/json` (Auth0 accepts both). Parsed once per request; faults, the request log and
 * the handler all read the same result. Rejects with `invalid_request` for other media types
 * and malformed JSON.
 */
export function bodyParams(c: Context): Promise<RequestParams> {
  let parsed = PARSED.get(c.req);
  if (!parsed) {
    parsed = parse(c);
    PARSED.set(c.req, parsed);
  }
  return parsed;
}

async function parse(c: Context): Promise<RequestParams> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = await c.req.text();
  if (type === 'application/x-www-form-urlencoded' || (type === '' && text === '')) {
    return RequestParams.fromSearchParams(new URLSearchParams(text));
  }
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw invalidRequest('request body is not valid JSON');
    }
    return RequestParams.fromJson(body);
  }
  throw invalidRequest(
    'request body must be application/x-www-form-urlencoded or application/json',
  );
}
