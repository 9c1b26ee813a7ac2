import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `probe` until it returns a value `accept` takes, or fails after `timeoutMs` with the last
 * value (or error) it saw. A probe that throws (a page between two documents) is retried.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number; what: string },
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: unknown = 'nothing yet';
  for (;;) {
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${options.what}; last seen: ${JSON.stringify(last)}`);
    await sleep(options.intervalMs ?? 100);
  }
}
