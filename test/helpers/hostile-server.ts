// A scripted authorization server on a real port, for proving over real HTTP how the core copes
// with servers that lie, stall, redirect or send garbage. It serves a discovery document and a
// JWKS (from a jwt-factory signer) and lets each test script any other path.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner, type TestSigner } from './jwt-factory.js';

/** One request the server received, as it arrived on the wire. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request. It may also never answer: {@link HostileServer.close} cuts it off. */
export type HostileHandler = (exchange: {
  request: IncomingMessage;
  response: ServerResponse;
  body: string;
}) => void | Promise<void>;

export interface HostileServer {
  /** `http://127.0.0.1:<port>/`: loopback, so the core accepts plain http. */
  readonly issuer: string;
  /** Signs the ID and logout tokens the JWKS vouches for. */
  readonly signer: TestSigner;
  /** Members that replace (or, set to `undefined`, remove) those of the discovery document. */
  discovery: Record<string, unknown>;
  /** Every request so far, discovery and JWKS included. */
  readonly requests: RecordedRequest[];
  requestsTo(path: string): RecordedRequest[];
  /** Scripts `path` (exact pathname match). */
  route(path: string, handler: HostileHandler): void;
  /** Forgets recorded requests, scripted routes and discovery overrides. */
  reset(): void;
  close(): Promise<void>;
}

/** Sends `body` as JSON with `status`. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** Starts a hostile server on a free loopback port. */
export async function startHostileServer(): Promise<HostileServer> {
  const signer = await createSigner();
  const routes = new Map<string, HostileHandler>();
  const requests: RecordedRequest[] = [];
  let issuer = '';

  const defaultDiscovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    token_endpoint: `${issuer}oauth/token`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    userinfo_endpoint: `${issuer}userinfo`,
    revocation_endpoint: `${issuer}oauth/revoke`,
    id_token_signing_alg_values_supported: ['RS256'],
  });

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = new URL(request.url ?? '/', issuer).pathname;
    requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });
    const scripted = routes.get(path);
    if (scripted) {
      await scripted({ request, response, body });
      return;
    }
    if (path === '/.well-known/openid-configuration') {
      sendJson(response, 200, { ...defaultDiscovery(), ...hostile.discovery });
    } else if (path === '/.well-known/jwks.json') {
      sendJson(response, 200, signer.jwks);
    } else {
      sendJson(response, 404, { error: 'not_found' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const hostile: HostileServer = {
    issuer,
    signer,
    discovery: {},
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
    route(path, handler) {
      routes.set(path, handler);
    },
    reset() {
      requests.length = 0;
      routes.clear();
      hostile.discovery = {};
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Handlers that never answer keep their sockets open; cut them.
        server.closeAllConnections();
      }),
  };
  return hostile;
}
