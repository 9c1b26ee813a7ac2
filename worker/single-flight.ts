/**
 * At most one run of an async operation per key at a time; callers that arrive while it runs
 * share its result. The worker is one instance for every tab of the origin, so this makes N tabs
 * with an expired token cause exactly one refresh — which is also what keeps refresh-token
 * rotation from tripping the server's reuse detection.
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>();

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (running) return running;
    const started = operation().finally(() => this.#running.delete(key));
    this.#running.set(key, started);
    return started;
  }

  /** Whether an operation for `key` is in flight. */
  has(key: string): boolean {
    return this.#running.has(key);
  }
}
