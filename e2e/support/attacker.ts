import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { BrowserContext, Page } from '@playwright/test';
import type { Auth0Method } from '../../dev/app/test-hooks.js';

/**
 * Tools for the attacker suite (e2e/attacks): a recording server that plays "another origin",
 * a wire tap on the tokens the tenant hands the worker, a network log of every request the
 * browser sends (pages and the worker alike), and page-side attacker scripts. Page-side functions
 * here are self-contained (no imports, no closures) so they can be handed to `page.evaluate`.
 */

/** Ports the attacker suite may use for its own servers (items 1–8). */
export const ATTACKER_PORTS = { recorder: 4420, app: 4421 } as const;

/** One request the recorder received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server on another origin: it records every request and answers anything, CORS-open. */
export interface Recorder {
  /** `http://localhost:PORT` */
  origin: string;
  requests(): RecordedRequest[];
  /** Requests that carried an `Authorization` or `DPoP` header. */
  credentialed(): RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

/**
 * Starts the recorder. `/page` is an HTML page that keeps what it is posted (`window.received`)
 * and can be framed or opened from the app, for cross-origin messaging tests; every other path
 * answers a small JSON body.
 */
export async function startRecorder(port: number = ATTACKER_PORTS.recorder): Promise<Recorder> {
  const log: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      log.push({
        method: request.method ?? 'GET',
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const origin = request.headers.origin;
      const cors: Record<string, string> = origin
        ? {
            'access-control-allow-origin': origin,
            'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
            'access-control-allow-headers': 'authorization, dpop, content-type, x-auth0-enclave',
            'access-control-expose-headers': 'DPoP-Nonce, WWW-Authenticate',
            vary: 'origin',
          }
        : {};
      if (path.startsWith('/page')) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...cors });
        response.end(
          '<!doctype html><title>attacker</title><script>' +
            'window.received = [];' +
            'addEventListener("message", (event) => window.received.push(event.data));' +
            'addEventListener("messageerror", () => window.received.push("messageerror"));' +
            '</script><p>another origin</p>',
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', ...cors });
      response.end(JSON.stringify({ recorder: true, path }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://localhost:${port}`,
    requests: () => [...log],
    credentialed: () =>
      log.filter((entry) => entry.headers.authorization !== undefined || entry.headers.dpop),
    clear: () => {
      log.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The secrets the tenant handed the worker (and the worker sent it), as seen on the wire. */
export interface WireSecrets {
  accessTokens: string[];
  refreshTokens: string[];
  idTokens: string[];
  codes: string[];
  verifiers: string[];
  /** Every one of the above. */
  all(): string[];
}

/**
 * Taps `/oauth/token` (context.route sees the worker's own requests): every access, refresh and
 * ID token the tenant issues, every code and PKCE verifier the worker redeems. `onRequest` runs
 * before the request is forwarded (e.g. to look at storage at that very moment).
 */
export async function tapTokenEndpoint(
  context: BrowserContext,
  onRequest?: (form: URLSearchParams) => Promise<void>,
): Promise<WireSecrets> {
  const secrets: WireSecrets = {
    accessTokens: [],
    refreshTokens: [],
    idTokens: [],
    codes: [],
    verifiers: [],
    all() {
      return [
        ...this.accessTokens,
        ...this.refreshTokens,
        ...this.idTokens,
        ...this.codes,
        ...this.verifiers,
      ];
    },
  };
  // Each value once: with DPoP nonces the worker sends most token requests twice.
  const add = (list: string[], value: unknown) => {
    if (typeof value === 'string' && value !== '' && !list.includes(value)) list.push(value);
  };
  await context.route('**/oauth/token', async (route) => {
    const form = new URLSearchParams(route.request().postData() ?? '');
    add(secrets.codes, form.get('code'));
    add(secrets.verifiers, form.get('code_verifier'));
    add(secrets.refreshTokens, form.get('refresh_token'));
    if (onRequest) await onRequest(form);
    const response = await route.fetch();
    const text = await response.text();
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      add(secrets.accessTokens, body.access_token);
      add(secrets.refreshTokens, body.refresh_token);
      add(secrets.idTokens, body.id_token);
    } catch {}
    await route.fulfill({ response, body: text });
  });
  return secrets;
}

/** One request the browser sent, from a page or from the worker. */
export interface WireRequest {
  url: string;
  method: string;
  fromWorker: boolean;
  authorization: string | undefined;
  dpop: string | undefined;
  resourceType: string;
}

/**
 * Logs every request of the context whose URL starts with one of `prefixes`, with the
 * credential headers it carried on the wire (the worker's own requests included).
 */
export function tapNetwork(context: BrowserContext, prefixes: string[]): () => WireRequest[] {
  const log: WireRequest[] = [];
  context.on('request', (request) => {
    const url = request.url();
    if (!prefixes.some((prefix) => url.startsWith(prefix))) return;
    const headers = request.headers();
    log.push({
      url,
      method: request.method(),
      fromWorker: request.serviceWorker() !== null,
      authorization: headers.authorization,
      dpop: headers.dpop,
      resourceType: request.resourceType(),
    });
  });
  return () => [...log];
}

/**
 * Logs every URL a frame of `page` commits (main frame and iframes), in order.
 */
export function recordCommittedUrls(page: Page): () => string[] {
  const urls: string[] = [];
  page.on('framenavigated', (frame) => urls.push(frame.url()));
  return () => [...urls];
}

/** A rejection as page script sees it, or `'resolved'`. */
export type Settled = 'resolved' | { name: string; code?: string | undefined; message: string };

/**
 * Runs `auth0[method](...args)` in the page and reports how it settled. `args` go as they are,
 * however wrong: attacker script is not type-checked.
 */
export function callAuth0(page: Page, method: Auth0Method, ...args: unknown[]): Promise<Settled> {
  return page.evaluate(
    async ({ method, args }) => {
      try {
        await Reflect.apply(window.auth0[method], window.auth0, args);
        return 'resolved' as const;
      } catch (caught) {
        const error = caught as { name: string; code?: string; message: string };
        return { name: error.name, code: error.code, message: error.message };
      }
    },
    { method, args },
  );
}

export { type CustomApp, loginAt, startCustomApp } from './custom-app.js';

/** What {@link hostileConnection} saw on its port. */
export interface HostileTranscript {
  /** The worker's answer to the connect message (`'none'` when it never answered). */
  handshake: unknown;
  /** Every later message on the port: Comlink replies, with how many ports each carried. */
  replies: { data: unknown; ports: number }[];
}

/**
 * The attacker's own RPC connection, made by hand in the page: posts `connect` with a fresh
 * MessagePort to the controlling worker, waits for its answer, then posts each of `messages`
 * raw on the port (an entry with `transferPort: true` gets a live MessagePort as its first
 * argument's value, transferred). When `until` is given, waits for the reply with that id, then
 * `settleMs` more, so a reply that should not come has had every chance to.
 * Self-contained: hand it to `page.evaluate`.
 */
export async function hostileConnection(options: {
  connect: Record<string, unknown>;
  messages: { message: unknown; transferPort?: boolean }[];
  until?: string;
  settleMs?: number;
}): Promise<HostileTranscript> {
  const controller = navigator.serviceWorker.controller;
  if (!controller) throw new Error('The page is not controlled by a worker.');
  const { port1, port2 } = new MessageChannel();
  const received: { data: unknown; ports: number }[] = [];
  let notify: () => void = () => {};
  port1.onmessage = (event) => {
    received.push({ data: event.data, ports: event.ports.length });
    notify();
  };
  const waitFor = (test: () => boolean, ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      notify = () => {
        if (test()) {
          clearTimeout(timer);
          resolve();
        }
      };
      notify();
    });
  controller.postMessage(options.connect, [port2]);
  // The worker waits up to 2 s for its connection lock before it gives up silently.
  await waitFor(() => received.length > 0, 3_000);
  const handshake = received.shift()?.data ?? 'none';
  for (const { message, transferPort } of options.messages) {
    if (transferPort) {
      const channel = new MessageChannel();
      const call = message as { argumentList: { value?: unknown }[] };
      const first = call.argumentList[0];
      if (first) first.value = channel.port1;
      port1.postMessage(message, [channel.port1]);
    } else port1.postMessage(message);
  }
  const until = options.until;
  if (until !== undefined) {
    await waitFor(
      () => received.some((reply) => (reply.data as { id?: unknown } | null)?.id === until),
      5_000,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 150));
  port1.close();
  return { handshake, replies: received };
}

/** How many records a store of the worker's vault holds, read as page script can. */
export async function vaultCount(store: string): Promise<number> {
  // Opening a database that does not exist would create it, empty, under the worker's feet.
  const names = (await indexedDB.databases()).map((info) => info.name);
  if (!names.includes('auth0-enclave')) return 0;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('auth0-enclave');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    if (!db.objectStoreNames.contains(store)) return 0;
    return await new Promise<number>((resolve, reject) => {
      const count = db.transaction(store).objectStore(store).count();
      count.onsuccess = () => resolve(count.result);
      count.onerror = () => reject(count.error);
    });
  } finally {
    db.close();
  }
}
