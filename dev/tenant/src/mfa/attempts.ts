import type { TenantRuntime } from '../context.js';
import { OAuthErrorResponse } from '../oauth-error-response.js';

// Auth0 documents its MFA code rate limit as a bucket of 10 attempts that refills at one attempt
// per 6 minutes; the tenant keeps the same numbers so clients meet the same wall in development.
const BUCKET_SIZE = 10;
const REFILL_SECONDS = 360;

function available(runtime: TenantRuntime, userId: string): number {
  const bucket = runtime.store.mfa.attempts.get(userId);
  if (!bucket) return BUCKET_SIZE;
  const refilled = Math.floor((runtime.clock.now() - bucket.updatedAt) / REFILL_SECONDS);
  return Math.min(BUCKET_SIZE, bucket.tokens + refilled);
}

/** 429 `too_many_attempts` once the user's failed MFA attempts have emptied the bucket. */
export function assertAttemptsLeft(runtime: TenantRuntime, userId: string): void {
  if (available(runtime, userId) < 1) {
    throw new OAuthErrorResponse(
      'too_many_attempts',
      'Too many failed MFA attempts; try again later.',
      {
        status: 429,
      },
    );
  }
}

/** Takes one attempt from the user's bucket (a wrong OTP, binding code or recovery code). */
export function recordFailedAttempt(runtime: TenantRuntime, userId: string): void {
  runtime.store.mfa.attempts.set(userId, {
    tokens: available(runtime, userId) - 1,
    updatedAt: runtime.clock.now(),
  });
}
