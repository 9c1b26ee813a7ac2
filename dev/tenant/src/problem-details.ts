import type { Context, Env } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One field-level complaint of a 400 (the shape of Auth0's My Account API). */
export interface ProblemValidationError {
  detail: string;
  field?: string;
  pointer?: string;
  source?: 'body' | 'query' | 'header';
}

/** The JSON body of an RFC 9457 problem-details answer. */
export interface ProblemBody {
  type: string;
  status: number;
  title: string;
  detail: string;
  validation_errors?: ProblemValidationError[];
}

/**
 * Auth0's own type for a refused My Account token (as its SDKs' fixtures show). The other types
 * are this tenant's: Auth0 does not document its `A0E-…` codes, and inventing lookalikes would
 * mislead anyone who compares.
 */
export const INVALID_TOKEN_PROBLEM = 'https://auth0.com/api-errors/A0E-401-0003';

/** This tenant's problem type URI for `slug`, e.g. `urn:auth0-enclave:problem:invalid-connect-code`. */
export function problemType(slug: string): string {
  return `urn:auth0-enclave:problem:${slug}`;
}

/** A refused My Account API request: thrown below a route, answered as `application/problem+json`. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: ContentfulStatusCode;
  readonly type: string;
  readonly title: string;
  readonly validationErrors: ProblemValidationError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(options: {
    status: ContentfulStatusCode;
    type: string;
    title: string;
    detail: string;
    validationErrors?: ProblemValidationError[];
    headers?: Record<string, string>;
  }) {
    super(options.detail);
    this.status = options.status;
    this.type = options.type;
    this.title = options.title;
    this.validationErrors = options.validationErrors;
    this.headers = options.headers ?? {};
  }

  toJSON(): ProblemBody {
    const body: ProblemBody = {
      type: this.type,
      status: this.status,
      title: this.title,
      detail: this.message,
    };
    if (this.validationErrors !== undefined) body.validation_errors = this.validationErrors;
    return body;
  }
}

/** A 400 listing every field that failed (Auth0: "Invalid input based on schema."). */
export function validationProblem(errors: ProblemValidationError[]): ProblemError {
  return new ProblemError({
    status: 400,
    type: problemType('validation-error'),
    title: 'Bad Request',
    detail: 'Invalid input based on schema.',
    validationErrors: errors,
  });
}

/**
 * A route whose `ProblemError`s are answered as problem details ({@link problemResponse});
 * anything else goes on to the app's error handler.
 */
export function problemRoute<E extends Env>(
  handler: (c: Context<E>) => Promise<Response>,
): (c: Context<E>) => Promise<Response> {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      return problemResponse(c, error);
    }
  };
}

/** Answers `error` as `application/problem+json`, never cached. */
export function problemResponse(c: Context, error: ProblemError): Response {
  return c.body(JSON.stringify(error.toJSON()), error.status, {
    ...error.headers,
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
  });
}
