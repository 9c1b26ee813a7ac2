import type { WorkerMethod } from '../rpc/protocol.js';
import type { WorkerConnection } from './worker-connection.js';

/**
 * A sub-client that only forwards (`auth0.myAccount`, `auth0.anonymous`): any method name read
 * from it is `(...args) => connection.call('<prefix><Name>', ...args)`. The worker checks the
 * arguments and does all of the work, so the page has no code of theirs to load on first use;
 * a Proxy rather than a class of stubs keeps their method names out of the page bundle too (their
 * budget is 0.1 KB gzip). The worker refuses a name it does not serve (`RpcRejectedError`).
 * `own` members (the synchronous ones) are answered directly, and `own.heard` records, after each
 * successful call, whether it left a session (every call but `logout` does): what
 * `anonymous.hasSession()` answers. `then`, `toJSON` and symbols are not methods: awaiting, serialising or printing the
 * sub-client calls nothing.
 */
export function forwardingClient<T extends object>(
  connection: Pick<WorkerConnection, 'call'>,
  prefix: string,
  own: object = {},
): T {
  return new Proxy(own as Record<string, unknown>, {
    // Symbols (`Symbol.toPrimitive`, `Symbol.iterator` …), `then` and `toJSON` are what the
    // language and libraries probe objects for: they are not methods, so they forward nothing.
    get: (target, name: string | symbol) =>
      typeof name === 'symbol' || name in target || name === 'then' || name === 'toJSON'
        ? target[name as string]
        : (...args: unknown[]) =>
            (connection.call as (method: WorkerMethod, ...rest: unknown[]) => Promise<unknown>)(
              (prefix + (name[0] as string).toUpperCase() + name.slice(1)) as WorkerMethod,
              ...args,
            ).then((result) => {
              target.heard = name !== 'logout';
              return result;
            }),
  }) as T;
}
