import { normalizedOrigin } from './host.js';
import type { Session } from './session.js';

// An OpenID Provider may serve its token endpoint on another host than its issuer (Google's is
// oauth2.googleapis.com, its issuer accounts.google.com). The fetch guard keeps page script off
// the worker-only endpoints wherever the server's metadata puts them: their origins are learnt
// here, from discovery the worker fetches itself — never from storage page script can write.

/** What the guard knows of the server's worker-only endpoints. */
export class ServerEndpoints {
  /** Origins of discovered worker-only endpoints (normalised, see host.ts). */
  readonly origins = new Set<string>();
  /** Settles once discovery answered or failed; requests wait for it only while it is pending. */
  #settled: Promise<readonly (string | undefined)[]> | undefined;
  #done = false;

  /** Whether discovery has answered (or failed) in this worker's life. */
  get known(): boolean {
    return this.#done;
  }

  /**
   * The token, revocation and PAR endpoints the metadata names (empty when discovery failed: the
   * well-known paths still apply). Discovery runs once per worker start; a failure is retried on
   * the next call.
   */
  learn(deps: { session: Session }): Promise<readonly (string | undefined)[]> {
    this.#settled ??= (async () => {
      try {
        const server = await deps.session.context().metadata();
        const endpoints = [
          server.token_endpoint,
          server.revocation_endpoint,
          server.pushed_authorization_request_endpoint,
        ];
        for (const endpoint of endpoints) {
          if (!endpoint) continue;
          try {
            this.origins.add(normalizedOrigin(new URL(endpoint)));
          } catch {
            // Not a URL: nothing a request could reach.
          }
        }
        return endpoints;
      } catch {
        this.#settled = undefined;
        return [];
      } finally {
        this.#done = true;
      }
    })();
    return this.#settled;
  }
}
